import { completeFederatedShareSignIn } from '@/lib/guest/federated';
import { isLinkToken } from '@/lib/guest/link';
import { guestRequest } from '@/lib/http/guest-route';
import { proofOfRequest } from '@/lib/http/request-proof';
import { guestCookieHeader } from '@/lib/http/guest-cookie';
import { gateFailure, readGateForm } from '@/lib/http/guest-gate';

export const dynamic = 'force-dynamic';

/**
 * The device step's form (../device/page.tsx): the one-time code of a partner's sign-in and a proof of
 * the browser's device key (field `dpop`, for POST and this URL) open the share's session bound to the key.
 */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!isLinkToken(token)) return new Response('Not found', { status: 404 });
  try {
    const form = await readGateForm(req);
    const s = await completeFederatedShareSignIn(form.str('code'), token, { ...guestRequest(req), proof: proofOfRequest(req, form.str('dpop')) });
    const headers = new Headers({ location: `/s/${token}`, 'cache-control': 'no-store' });
    headers.append('set-cookie', guestCookieHeader(token, s.accessToken, s.expiresIn));
    return new Response(null, { status: 303, headers });
  } catch (e) {
    return gateFailure(token, e);
  }
}
