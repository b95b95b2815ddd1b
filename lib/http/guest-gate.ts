import { AppError, isAppError } from '../errors';
import { describeError } from './error-response';

const MAX_FORM_BYTES = 16 * 1024;

/** The gate's small urlencoded form, refused when declared larger than 16 KiB. */
export async function readGateForm(req: Request) {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_FORM_BYTES) throw new AppError('bad_request', 'The form is too large.');
  let form: FormData;
  try { form = await req.formData(); } catch { throw new AppError('bad_request', 'The form could not be read.'); }
  const str = (k: string) => { const v = form.get(k); return typeof v === 'string' && v !== '' ? v.slice(0, 1024) : undefined; };
  return { str, accepted: form.get('accept') === 'on' };
}

/** A refused gate step goes back to the link page with the stable error code (and Retry-After). */
export function gateFailure(token: string, e: unknown): Response {
  const d = describeError(e);
  // A partner's people go straight to their organisation's sign-in, which brings them back here.
  if (isAppError(e) && e.code === 'sso_required' && e.extra?.sso_url) {
    return new Response(null, { status: 303, headers: { location: e.extra.sso_url, 'cache-control': 'no-store' } });
  }
  const url = new URL(`/s/${token}`, 'http://x');
  url.searchParams.set('error', isAppError(e) ? d.body.error : 'internal');
  if (d.headers['retry-after']) url.searchParams.set('retry', d.headers['retry-after']);
  return new Response(null, { status: 303, headers: { location: url.pathname + url.search, 'cache-control': 'no-store' } });
}
