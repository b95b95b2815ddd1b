import { acceptTermsForSession } from '@/lib/guest/terms-accept';
import { findShareByToken } from '@/lib/guest/session';
import { isLinkToken } from '@/lib/guest/link';
import { guestRouteContext } from '@/lib/http/guest-route-context';
import { gateFailure, readGateForm } from '@/lib/http/guest-gate';

export const dynamic = 'force-dynamic';

/** Second step of the gate: the guest, whose session passed the password, accepts the terms. */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const share = isLinkToken(token) ? await findShareByToken(token) : null;
  if (!share) return new Response('Not found', { status: 404 });
  try {
    const form = await readGateForm(req);
    const { request, sessionToken } = guestRouteContext(req);
    await acceptTermsForSession(sessionToken, share, form.accepted ? form.str('termsVersionId') : undefined, request);
    return new Response(null, { status: 303, headers: { location: `/s/${token}`, 'cache-control': 'no-store' } });
  } catch (e) {
    return gateFailure(token, e);
  }
}
