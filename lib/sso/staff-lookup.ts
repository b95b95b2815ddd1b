import { assertNotThrottled, countAttempt, failureLimiter } from '../auth/throttle';
import { factsFromHeaders } from '../http/request-facts';
import { normalEmail } from './domains';
import { staffProviderForEmail } from './staff-idp';

// Lookups per client address: enough for people mistyping, too few to map which domains use SSO.
const lookupsPerClient = () => failureLimiter('sso-staff-lookup', 20, 15 * 60);

const redirect = (location: string) => new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });

/**
 * POST /sso/staff (the sign-in page's "single sign-on" step, a plain form with `email`). An address
 * whose domain an organisation's staff IdP claims is offered that IdP; every other address, whether or not
 * any organisation or account exists for it, gets the same answer: back to the sign-in page with
 * sso=unavailable. Nothing here says which organisations exist.
 */
export async function handleStaffSsoLookup(req: Request): Promise<Response> {
  const client = factsFromHeaders(req.headers).ip ?? 'unknown';
  try {
    await assertNotThrottled([[lookupsPerClient(), client]]);
  } catch {
    return redirect('/signin?error=rate_limited');
  }
  await countAttempt([[lookupsPerClient(), client]]);
  let email: string | null = null;
  if (/^application\/x-www-form-urlencoded\b/i.test(req.headers.get('content-type') ?? '')) {
    const text = await req.text();
    if (text.length <= 4096) email = normalEmail(new URLSearchParams(text).get('email'));
  }
  const idp = email ? await staffProviderForEmail(email) : null;
  if (!idp || !email) return redirect('/signin?sso=unavailable');
  // Back to the sign-in page, which offers "Sign in with <the IdP's name>" for this address.
  return redirect(`/signin?sso_provider=${encodeURIComponent(idp.providerId)}&sso_email=${encodeURIComponent(email)}`);
}
