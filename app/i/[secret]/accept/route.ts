import { acceptInvitation, isInvitationSecret } from '@/lib/guest/invitation-accept';
import { guestRequest } from '@/lib/http/guest-route';
import { readGateForm } from '@/lib/http/guest-gate';
import { describeError } from '@/lib/http/error-response';
import { isAppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** The invitation's confirmation (POST): the only request that consumes it. */
export async function POST(req: Request, { params }: { params: Promise<{ secret: string }> }) {
  const { secret } = await params;
  if (!isInvitationSecret(secret)) return new Response('Not found', { status: 404 });
  try {
    const form = await readGateForm(req);
    const r = await acceptInvitation(secret, {
      password: form.str('password') ?? '', confirm: form.str('confirm'), totpSecret: form.str('totpSecret'), totpCode: form.str('totpCode'),
    }, guestRequest(req));
    return new Response(null, { status: 303, headers: { location: r.location, 'set-cookie': r.setCookie, 'cache-control': 'no-store' } });
  } catch (e) {
    if (isAppError(e) && e.code === 'sso_required' && e.extra?.sso_url) return new Response(null, { status: 303, headers: { location: e.extra.sso_url, 'cache-control': 'no-store' } });
    const d = describeError(e);
    const url = new URL(`/i/${secret}`, 'http://x');
    url.searchParams.set('error', d.body.error);
    // The reason a new password was refused, shown on the form (validation messages are ours, never input echoes).
    if (d.body.error === 'validation_failed') url.searchParams.set('why', d.body.error_description.replace(/^\w+: /, '').slice(0, 300));
    if (d.headers['retry-after']) url.searchParams.set('retry', d.headers['retry-after']);
    return new Response(null, { status: 303, headers: { location: url.pathname + url.search, 'cache-control': 'no-store' } });
  }
}
