import { cookies, headers } from 'next/headers';
import type { GuestRequest } from '../guest/facts';
import { CODE_EMAIL_COOKIE, GUEST_COOKIE, readCodeEmail } from './guest-cookie';
import { factsFromHeaders, hostFromHeaders } from './request-facts';
import { proofOfPage } from './request-proof';

/** Request facts and the guest session cookie, for server components under /s/<token>. */
export async function guestPageContext(): Promise<{ request: GuestRequest; sessionToken: string | null; codeEmail: string | null }> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  const f = factsFromHeaders(h);
  return {
    request: { ip: f.ip ?? null, userAgent: f.userAgent ?? null, host: hostFromHeaders(h), proof: proofOfPage(h) }, sessionToken: c.get(GUEST_COOKIE)?.value || null,
    codeEmail: readCodeEmail(c.get(CODE_EMAIL_COOKIE)?.value),
  };
}

