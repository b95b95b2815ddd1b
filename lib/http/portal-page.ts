import { cookies, headers } from 'next/headers';
import type { GuestRequest } from '../guest/facts';
import { portalBasePath, portalHosts } from '../portals/hosts';
import { findPortalBySlug, type PortalRow } from '../portals/portal-lookup';
import { readCodeEmail } from './guest-cookie';
import { cookieFrom, PORTAL_CODE_EMAIL_COOKIE, PORTAL_COOKIE } from './portal-cookie';
import { factsFromHeaders, hostFromHeaders } from './request-facts';
import { proofOfPage, proofOfRequest } from './request-proof';

export interface PortalPageContext {
  portal: PortalRow;
  /** "" on the portal's own domain, "/p/<slug>" on the console host: every link is built on it. */
  base: string;
  request: GuestRequest;
  sessionToken: string | null;
  codeEmail: string | null;
}

/**
 * The portal a page under /p/<slug> is about, as seen from this host, or null when there is no such
 * live portal or it is not served on this host (another organisation's domain, an unverified one).
 */
export async function portalPageContext(slug: string): Promise<PortalPageContext | null> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  const f = factsFromHeaders(h);
  const request: GuestRequest = { ip: f.ip ?? null, userAgent: f.userAgent ?? null, host: hostFromHeaders(h), proof: proofOfPage(h) };
  const portal = await findPortalBySlug(slug);
  if (!portal || !request.host || !(await portalHosts(portal.id)).includes(request.host)) return null;
  return {
    portal, base: portalBasePath(portal.slug, h, request.host), request,
    sessionToken: c.get(PORTAL_COOKIE)?.value || null, codeEmail: readCodeEmail(c.get(PORTAL_CODE_EMAIL_COOKIE)?.value),
  };
}

/** The same for route handlers under /p/<slug>/…, from the request itself. */
export async function portalRouteContext(req: Request, slug: string): Promise<PortalPageContext | null> {
  const f = factsFromHeaders(req.headers);
  const request: GuestRequest = { ip: f.ip ?? null, userAgent: f.userAgent ?? null, host: hostFromHeaders(req.headers), proof: proofOfRequest(req) };
  const portal = await findPortalBySlug(slug);
  if (!portal || !request.host || !(await portalHosts(portal.id)).includes(request.host)) return null;
  const cookie = req.headers.get('cookie');
  return {
    portal, base: portalBasePath(portal.slug, req.headers, request.host), request,
    sessionToken: cookieFrom(cookie, PORTAL_COOKIE), codeEmail: readCodeEmail(cookieFrom(cookie, PORTAL_CODE_EMAIL_COOKIE)),
  };
}
