import { isLinkToken } from '@/lib/guest/link';
import { requestCodeFromGate } from '@/lib/guest/code-gate';
import { guestRequest } from '@/lib/http/guest-route';
import { codeEmailCookieHeader } from '@/lib/http/guest-cookie';
import { gateFailure, readGateForm } from '@/lib/http/guest-gate';

export const dynamic = 'force-dynamic';

/**
 * The gate's "send me a code" form. A partner's address goes to its organisation's sign-in instead;
 * any other address is told the same thing ("if this address may open the share, a code is on its
 * way"), whether or not a code was sent.
 */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!isLinkToken(token)) return new Response('Not found', { status: 404 });
  try {
    const form = await readGateForm(req);
    const next = await requestCodeFromGate(token, form.str('email') ?? '', guestRequest(req));
    if (next.kind === 'sso') return new Response(null, { status: 303, headers: { location: next.url, 'cache-control': 'no-store' } });
    return new Response(null, { status: 303, headers: { location: `/s/${token}`, 'set-cookie': codeEmailCookieHeader(token, next.email), 'cache-control': 'no-store' } });
  } catch (e) {
    return gateFailure(token, e);
  }
}
