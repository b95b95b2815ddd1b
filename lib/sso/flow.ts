import { recordAudit, type RequestFacts } from '../audit/record';
import { failureLimiter, takeAttempt, type Attempt as Throttled } from '../auth/throttle';
import { isAppError } from '../errors';
import { signInFederatedGuest } from '../guest/federated';
import { signInFederatedPortalGuest } from '../portals/federated';
import { findPortalBySlug } from '../portals/portal-lookup';
import { portalReturnHost } from '../portals/sso-handoff';
import { factsFromHeaders } from '../http/request-facts';
import { log } from '../log';
import { normalEmail } from './domains';
import { completeOidc, startOidc } from './oidc';
import { loadProvider, type LoadedProvider } from './providers';
import { refuse, SsoRefusal, type SsoReason } from './refusal';
import { completeSaml, spMetadata, startSaml } from './saml';
import { signInStaffBySso } from './staff-signin';
import { consumeState, findState, STATE_TTL_MS, type Purpose, type StateRow } from './state';
import { linkTokenFromReturn, portalSlugFromReturn, refusedUrl } from './urls';

/**
 * The browser side of single sign-on: /sso/<providerId>/start, /callback (OIDC), /acs (SAML) and
 * /metadata. Each route calls one of these. Nothing here answers 500: every failure is audited in the
 * provider's organisation and the browser is sent to /sso/refused with a stable reason.
 */

/** Binds a sign-in to the browser that started it (login CSRF). SameSite=None: the SAML ACS is a cross-site POST. */
const STATE_COOKIE = 'liaison_sso';
const stateCookie = (providerId: string, value: string, maxAge: number) =>
  `${STATE_COOKIE}=${value}; Path=/sso/${encodeURIComponent(providerId)}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=None`;

const MAX_FORM_BYTES = 512 * 1024;

/**
 * Per client address: every start (it writes a state row) and every refused answer (it writes an audit
 * event) takes a point; a completed sign-in gives its point back. Generous enough for a partner office
 * behind one address, small enough that nobody fills the state table or the audit trail.
 */
const perClient = () => failureLimiter('sso-client', 120, 10 * 60);

async function throttle(request: RequestFacts): Promise<Throttled> {
  try {
    return await takeAttempt([[perClient(), request.ip ?? 'unknown']]);
  } catch {
    return refuse('rate_limited', 'client');
  }
}

function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

const redirect = (location: string, cookies: string[] = []) => {
  const h = new Headers({ location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  for (const c of cookies) h.append('set-cookie', c);
  return new Response(null, { status: 303, headers: h });
};

interface Attempt { provider: LoadedProvider | null; purpose: Purpose | null; request: RequestFacts; stage: string }

/** Audits a refusal (best effort: the browser gets its answer even if the trail is unavailable) and redirects. */
async function refused(a: Attempt, e: unknown, providerId: string): Promise<Response> {
  let reason: SsoReason;
  let check: string;
  let detail: string | null = null;
  if (e instanceof SsoRefusal) {
    ({ reason, check } = e);
    // What the library said, for whoever reads the trail (never shown to the browser).
    if (e.message !== `${reason}: ${check}`) detail = e.message.slice(0, 200);
  } else {
    log.error({ err: (e as Error)?.message, providerId, stage: a.stage }, 'single sign-on failed unexpectedly');
    reason = isAppError(e) && e.code === 'database_unavailable' ? 'provider_unavailable' : 'idp_error';
    check = isAppError(e) ? e.code : 'error';
  }
  if (reason === 'rate_limited') {
    // Not audited one by one: that is what the limit protects. The log keeps a trace.
    log.warn({ providerId, ip: a.request.ip, stage: a.stage }, 'single sign-on throttled');
  } else if (a.provider) {
    try {
      await recordAudit({
        orgId: a.provider.orgId, type: a.purpose === 'staff' ? 'staff.sso' : 'guest.sso', actor: { type: 'anonymous', label: `sso ${a.provider.name}`.slice(0, 200) },
        request: a.request, outcome: 'denied', reason,
        details: { providerId: a.provider.id, kind: a.provider.kind, stage: a.stage, check, ...(detail ? { detail } : {}), ...(a.provider.partnerOrg ? { partnerOrgId: a.provider.partnerOrg.id } : {}) },
      });
    } catch (err) {
      log.warn({ err: (err as Error)?.message, providerId, reason, check }, 'refused single sign-on not audited');
    }
  }
  const clear = a.provider ? [stateCookie(a.provider.id, '', 0)] : [];
  return redirect(refusedUrl(reason) + (a.purpose === 'staff' ? '&staff=1' : ''), clear);
}

async function usableProvider(providerId: string): Promise<LoadedProvider> {
  const p = await loadProvider(providerId);
  if (!p) return refuse('provider_unavailable', 'unknown_provider');
  return p;
}

/** GET /sso/<providerId>/start?return=/s/<token> (guests) or ?purpose=staff. */
export async function handleSsoStart(req: Request, providerId: string): Promise<Response> {
  const a: Attempt = { provider: null, purpose: null, request: factsFromHeaders(req.headers), stage: 'start' };
  try {
    await throttle(a.request);
    const q = new URL(req.url).searchParams;
    a.provider = await usableProvider(providerId);
    const p = a.provider;
    a.purpose = p.purpose;
    if (!p.enabled) refuse('provider_unavailable', 'disabled');
    let returnTo: string | null = null;
    let returnHost: string | null = null;
    if (p.purpose === 'staff') {
      if (q.get('purpose') !== 'staff') refuse('bad_request', 'purpose');
    } else {
      const token = linkTokenFromReturn(q.get('return'));
      const slug = token ? null : portalSlugFromReturn(q.get('return'));
      if (!token && !slug) refuse('bad_request', 'return');
      returnTo = token ? `/s/${token}` : `/p/${slug}`;
      // A portal sign-in started on the portal's own domain goes back there (only a verified domain of
      // that very portal is accepted, so this is no open redirect).
      if (slug && q.has('host')) returnHost = await startHost(slug, q.get('host'));
    }
    const hint = p.purpose === 'staff' ? normalEmail(q.get('login_hint')) ?? undefined : undefined;
    const { location, state } = p.kind === 'OIDC' ? await startOidc(p, p.purpose, returnTo, hint, returnHost) : await startSaml(p, p.purpose, returnTo, returnHost);
    return redirect(location, [stateCookie(p.id, state, STATE_TTL_MS / 1000)]);
  } catch (e) {
    return refused(a, e, providerId);
  }
}

/** The portal's custom domain a sign-in started on, or null for the console host; anything else is refused. */
async function startHost(slug: string, raw: string | null): Promise<string | null> {
  const portal = await findPortalBySlug(slug);
  if (!portal) return refuse('bad_request', 'return');
  try {
    return await portalReturnHost(portal.id, raw);
  } catch {
    return refuse('bad_request', 'host');
  }
}

/**
 * The state an answer carries must be the one this browser's cookie holds, of this provider, not yet
 * expired, and is used up here, atomically: of two callbacks with it, one proceeds.
 */
async function takeState(p: LoadedProvider, req: Request, state: string | null): Promise<StateRow> {
  const cookie = readCookie(req, STATE_COOKIE);
  if (!state) return refuse('bad_request', 'state_missing');
  if (!cookie) return refuse('state_mismatch', 'no_cookie');
  if (cookie !== state) return refuse('state_mismatch', 'state');
  const row = await findState(state);
  if (!row || row.providerId !== p.id || row.purpose !== p.purpose) return refuse('state_mismatch', 'unknown_state');
  if (row.consumedAt) return refuse('replayed', 'state_used');
  if (row.expiresAt.getTime() <= Date.now()) return refuse('sign_in_expired', 'state_expired');
  if (!(await consumeState(row.id))) return refuse('replayed', 'state_used');
  return row;
}

interface Verified { subject: string; email: string | null; emailVerified: boolean; name: string | null; groups: string[]; mfa: boolean }

/** After the IdP's answer passed every check: the guest's session on their share, or the staff member's console session. */
async function finish(p: LoadedProvider, row: StateRow, v: Verified, request: RequestFacts): Promise<Response> {
  const email = normalEmail(v.email);
  if (!email) return refuse('email_not_allowed', 'no_email');
  if (!v.emailVerified) return refuse('email_not_allowed', 'email_unverified');
  const clear = stateCookie(p.id, '', 0);
  if (p.purpose === 'staff') {
    if (!p.staffDomains.includes(email.slice(email.lastIndexOf('@') + 1))) refuse('email_not_allowed', 'domain');
    const s = await signInStaffBySso(p.orgId, p.id, email, request);
    return redirect(s.location, [s.setCookie, clear]);
  }
  const partner = p.partnerOrg!;
  if (!partner.domains.includes(email.slice(email.lastIndexOf('@') + 1))) refuse('email_not_allowed', 'domain');
  const token = linkTokenFromReturn(row.returnTo);
  const slug = token ? null : portalSlugFromReturn(row.returnTo);
  if (!token && !slug) return refuse('bad_request', 'return');
  let done: { location: string; setCookie: string | null };
  const identity = { providerId: p.id, partnerOrgId: partner.id, subject: v.subject, email, name: v.name, groups: v.groups, mfa: v.mfa };
  const guestRequest = { ip: request.ip ?? null, userAgent: request.userAgent ?? null, host: request.host ?? null };
  try {
    done = token ? await signInFederatedGuest(identity, token, guestRequest) : await signInFederatedPortalGuest(identity, slug!, guestRequest, row.returnHost);
  } catch (e) {
    if (isAppError(e) && !['internal', 'database_unavailable', 'audit_unavailable'].includes(e.code)) refuse('access_refused', e.code);
    throw e;
  }
  // The session itself was audited when it opened; this records which IdP vouched for whom (best effort).
  await recordAudit({ orgId: p.orgId, type: 'guest.sso', actor: { type: 'anonymous', label: email }, request,
    details: { providerId: p.id, kind: p.kind, partnerOrgId: partner.id, subject: v.subject.slice(0, 200), mfa: v.mfa } })
    .catch((e) => log.warn({ err: (e as Error)?.message, providerId: p.id }, 'single sign-on not audited'));
  return redirect(done.location, done.setCookie ? [done.setCookie, clear] : [clear]);
}

/** GET /sso/<providerId>/callback: the OIDC redirect_uri. */
export async function handleOidcCallback(req: Request, providerId: string): Promise<Response> {
  const a: Attempt = { provider: null, purpose: null, request: factsFromHeaders(req.headers), stage: 'callback' };
  try {
    a.provider = await usableProvider(providerId);
    const p = a.provider;
    a.purpose = p.purpose;
    if (p.kind !== 'OIDC') refuse('bad_request', 'not_oidc');
    if (!p.enabled) refuse('provider_unavailable', 'disabled');
    const attempt = await throttle(a.request);
    const url = new URL(req.url);
    const row = await takeState(p, req, url.searchParams.get('state'));
    const r = await completeOidc(p, row, url.search);
    const done = await finish(p, row, r, a.request);
    await attempt.succeeded();
    return done;
  } catch (e) {
    return refused(a, e, providerId);
  }
}

/** POST /sso/<providerId>/acs: the SAML Assertion Consumer Service (HTTP-POST binding). */
export async function handleSamlAcs(req: Request, providerId: string): Promise<Response> {
  const a: Attempt = { provider: null, purpose: null, request: factsFromHeaders(req.headers), stage: 'acs' };
  try {
    a.provider = await usableProvider(providerId);
    const p = a.provider;
    a.purpose = p.purpose;
    if (p.kind !== 'SAML') refuse('bad_request', 'not_saml');
    if (!p.enabled) refuse('provider_unavailable', 'disabled');
    const attempt = await throttle(a.request);
    const form = await readForm(req);
    const samlResponse = form.get('SAMLResponse');
    if (!samlResponse) refuse('bad_request', 'no_response');
    const row = await takeState(p, req, form.get('RelayState'));
    const r = await completeSaml(p, row, samlResponse!);
    const done = await finish(p, row, { ...r, emailVerified: true }, a.request);
    await attempt.succeeded();
    return done;
  } catch (e) {
    return refused(a, e, providerId);
  }
}

async function readForm(req: Request): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers.get('content-type') ?? '')) refuse('bad_request', 'content_type');
  const declared = Number(req.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) refuse('bad_request', 'too_large');
  const text = await req.text();
  if (text.length > MAX_FORM_BYTES) refuse('bad_request', 'too_large');
  return new URLSearchParams(text);
}

/** GET /sso/<providerId>/metadata: Liaison's SP metadata for a SAML provider. */
export async function handleSpMetadata(providerId: string): Promise<Response> {
  const p = await loadProvider(providerId).catch(() => null);
  if (!p || p.kind !== 'SAML') return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(spMetadata(p), { status: 200, headers: { 'content-type': 'application/samlmetadata+xml; charset=utf-8', 'cache-control': 'no-store' } });
}
