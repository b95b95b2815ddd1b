import { cookies, headers } from 'next/headers';
import type { GuestRequest } from '../guest/facts';
import { portalBasePath, portalHosts } from '../portals/hosts';
import { findPortalBySlug, type PortalRow } from '../portals/portal-lookup';
import { cookieFrom, readCodeEmail } from './guest-cookie';
import { PORTAL_CODE_EMAIL_COOKIE, PORTAL_COOKIE } from './portal-cookie';
import { factsFromHeaders, hostFromHeaders } from './request-facts';
import { proofOfPage, proofOfRequest } from './request-proof';

export interface PortalPageContext {
  portal: PortalRow;
  /** "" on the portal's own domain, "/p/<slug>" on the console host: every link is built on it. */
  base: string;
  request: GuestRequest;
  sessionToken: string | null;
  codeEmail: string | null;
  /** Where the portal is served (this request's host among them), for the policy's host check. */
  hosts: string[];
}

type HeaderBag = { get(name: string): string | null };

/** What pages and route handlers both need, from the request's headers and a way to read its cookies. */
async function contextOf(slug: string, h: HeaderBag, cookie: (name: string) => string | null, proof: GuestRequest['proof']): Promise<PortalPageContext | null> {
  const f = factsFromHeaders(h);
  const request: GuestRequest = { ip: f.ip ?? null, userAgent: f.userAgent ?? null, host: hostFromHeaders(h), proof };
  const portal = await findPortalBySlug(slug);
  const hosts = portal ? await portalHosts(portal.id) : [];
  if (!portal || !request.host || !hosts.includes(request.host)) return null;
  return {
    portal, hosts, base: portalBasePath(portal.slug, h, request.host), request,
    sessionToken: cookie(PORTAL_COOKIE) || null, codeEmail: readCodeEmail(cookie(PORTAL_CODE_EMAIL_COOKIE)),
  };
}

/**
 * The portal a page under /p/<slug> is about, as seen from this host, or null when there is no such
 * live portal or it is not served on this host (another organisation's domain, an unverified one).
 */
export async function portalPageContext(slug: string): Promise<PortalPageContext | null> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  return contextOf(slug, h, (name) => c.get(name)?.value ?? null, proofOfPage(h));
}

/** The same for route handlers under /p/<slug>/…, from the request itself. */
export async function portalRouteContext(req: Request, slug: string): Promise<PortalPageContext | null> {
  const raw = req.headers.get('cookie');
  return contextOf(slug, req.headers, (name) => cookieFrom(raw, name), proofOfRequest(req));
}
