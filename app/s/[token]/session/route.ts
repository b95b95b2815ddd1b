import { isAppError } from '@/lib/errors';
import { describeError } from '@/lib/http/error-response';
import { openGuestSession } from '@/lib/guest/session';
import { isLinkToken } from '@/lib/guest/link';
import { guestRequest } from '@/lib/http/guest-route';
import { guestCookieHeader } from '@/lib/http/guest-cookie';

export const dynamic = 'force-dynamic';

/** The browser form of POST /api/portal/v1/sessions: same domain call, answer as a cookie + redirect. */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!isLinkToken(token)) return new Response('Not found', { status: 404 });
  const back = new URL(`/s/${token}`, req.url);
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > 16 * 1024) return Response.redirect(withError(back, 'bad_request'), 303);
  try {
    const form = await req.formData();
    const str = (k: string) => { const v = form.get(k); return typeof v === 'string' && v !== '' ? v : undefined; };
    const s = await openGuestSession({ link: token, password: str('password'), acceptTerms: form.get('accept') === 'on' ? str('termsVersionId') : undefined }, guestRequest(req));
    return new Response(null, { status: 303, headers: { location: `/s/${token}`, 'set-cookie': guestCookieHeader(token, s.accessToken, s.expiresIn), 'cache-control': 'no-store' } });
  } catch (e) {
    const d = describeError(e);
    const url = withError(back, isAppError(e) ? d.body.error : 'internal');
    if (d.headers['retry-after']) url.searchParams.set('retry', d.headers['retry-after']);
    return new Response(null, { status: 303, headers: { location: url.pathname + url.search, 'cache-control': 'no-store' } });
  }
}

function withError(u: URL, code: string): URL {
  const url = new URL(u);
  url.searchParams.set('error', code);
  return url;
}
