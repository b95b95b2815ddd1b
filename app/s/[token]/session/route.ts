import { openGuestSession } from '@/lib/guest/session';
import { isLinkToken } from '@/lib/guest/link';
import { guestRequest } from '@/lib/http/guest-route';
import { proofOfRequest } from '@/lib/http/request-proof';
import { codeEmailCookieHeader, guestCookieHeader } from '@/lib/http/guest-cookie';
import { gateFailure, readGateForm } from '@/lib/http/guest-gate';

export const dynamic = 'force-dynamic';

/**
 * The browser form of POST /api/portal/v1/sessions: same domain call, answered with a cookie and a
 * redirect. A share with a password and terms opens its session on the password alone; the terms
 * are asked for next, on the session (see ../terms/route.ts).
 */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!isLinkToken(token)) return new Response('Not found', { status: 404 });
  try {
    const form = await readGateForm(req);
    const s = await openGuestSession(
      {
        link: token, password: form.str('password'), acceptTerms: form.accepted ? form.str('termsVersionId') : undefined,
        email: form.str('email'), code: form.str('code')?.replace(/\s+/g, ''), totp: form.str('totp')?.replace(/\s+/g, ''),
      },
      { ...guestRequest(req), proof: proofOfRequest(req, form.str('dpop')) }, { pendingTerms: true });
    const headers = new Headers({ location: `/s/${token}`, 'cache-control': 'no-store' });
    headers.append('set-cookie', guestCookieHeader(token, s.accessToken, s.expiresIn));
    headers.append('set-cookie', codeEmailCookieHeader(token, null));
    return new Response(null, { status: 303, headers });
  } catch (e) {
    return gateFailure(token, e);
  }
}
