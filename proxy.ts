import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce } from './lib/http/security-headers';
import { CONSOLE_URL_HEADER } from './lib/http/console-url';
import { HOST_HEADER, normaliseHost } from './lib/http/request-host';
import { decodeSite, isConsoleHost, SITE_HEADER, type Site } from './lib/portals/site';
import { NEUTRAL_HTML, NEUTRAL_HTML_HEADERS, NEUTRAL_STATUS } from './lib/portals/neutral-page';
import { CLIENT_IP_HEADER } from './lib/http/client-ip';
import { precheckGuestToken } from './lib/http/token-precheck';
import { countryOf } from './lib/geo/country';

// next-auth v4 cookie names (plain and __Secure- on HTTPS); a large JWT is split into ".0", ".1"….
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

// Pages anyone may open on the console host: sign-in, the guest paths, portals at /p/<slug> and single
// sign-on (/sso/…). Everything else the matcher lets through is the console. A new guest area (an
// invitation page, say) must be added here.
const PUBLIC_PAGES = /^\/(signin(\/|$)|s\/|i\/|p\/|sso\/|portal(\/|$)|\.well-known\/)/;

// The end of a single sign-on handed over from the console host, and its device step (it replaces the cookie).
const SSO_COMPLETE = /^(\/(p|s)\/[^/]+)?\/sso\/(complete|device)$/;

// On a portal domain, the files below a guest document's page (the portal's /d/<docId>/…).
const DOCUMENT_FILES = /^\/d\/[^/]+\/./;

/**
 * The site of this request, as lib/server/start.ts decided it from the host (with the database) and
 * wrote into SITE_HEADER. Should that header ever be missing, only what needs no database is known:
 * the console host, or else nothing (fail closed).
 */
function siteOf(req: NextRequest): Site {
  const host = req.headers.get(HOST_HEADER) ?? normaliseHost(req.headers.get('host'));
  const decided = decodeSite(req.headers.get(SITE_HEADER), host);
  if (decided) return decided;
  const publicUrl = process.env.LIAISON_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return isConsoleHost(host, publicUrl) ? { kind: 'console' } : { kind: 'unknown' };
}

/**
 * Runs before every HTML page (see the matcher) and does cheap things, with no database work, since
 * it also runs on every prefetch:
 *
 * 1. Host routing. On a portal's verified custom domain the portal is the whole site: every page path
 *    is served from /p/<slug>/… (so `/` is the portal's home), and no console page or sign-in redirect
 *    is reachable there. A host that serves nothing gets the neutral page.
 * 2. A fresh nonce and the page's Content-Security-Policy. Next reads the policy from the request
 *    headers and puts the nonce on its own scripts and styles, which is why the policy goes on the
 *    request as well as on the response, and why every page renders per request (app/layout.tsx).
 * 3. On console pages, an optimistic sign-in check: without a session cookie, the visitor is sent to
 *    sign in. Whether the cookie is valid, and what the user may do, is decided again by every page,
 *    route and server action.
 */
export async function proxy(req: NextRequest) {
  const site = siteOf(req);
  if (site.kind === 'unknown') return new NextResponse(NEUTRAL_HTML, { status: NEUTRAL_STATUS, headers: NEUTRAL_HTML_HEADERS });
  const refused = await precheckGuestCookie(req, site);
  if (refused) return refused;

  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development', publicUrl: process.env.LIAISON_PUBLIC_URL });
  const { pathname, search } = req.nextUrl;
  const headers = new Headers(req.headers);
  headers.set('content-security-policy', csp);
  // What the browser asked for, for the console layout's id check.
  headers.set(CONSOLE_URL_HEADER, pathname + search);

  let res: NextResponse;
  if (site.kind === 'portal') {
    const base = `/p/${site.slug}`;
    const url = req.nextUrl.clone();
    if (pathname === base || pathname.startsWith(`${base}/`)) {
      // The console-host form of a link, followed on the portal's own domain: one canonical address.
      url.pathname = pathname.slice(base.length) || '/';
      res = NextResponse.redirect(url, 308);
    } else {
      // Any other path, /p/<another slug>/… included, stays inside this portal.
      url.pathname = pathname === '/' ? base : `${base}${pathname}`;
      // What lies below a document's page (/d/<docId>/…: page images, the download) sets its own,
      // stricter policy, as the matcher arranges for /p/<slug>/d/<docId>/… on the console host.
      if (DOCUMENT_FILES.test(pathname)) return NextResponse.rewrite(url);
      res = NextResponse.rewrite(url, { request: { headers } });
    }
  } else if (!PUBLIC_PAGES.test(pathname) && !req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name))) {
    const url = req.nextUrl.clone();
    const callbackUrl = pathname + search;
    url.pathname = '/signin';
    url.search = callbackUrl === '/' ? '' : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    res = NextResponse.redirect(url);
  } else {
    res = NextResponse.next({ request: { headers } });
  }
  res.headers.set('content-security-policy', csp);
  return res;
}

/** The guest cookie a page is about, with where its landing page is and the path the cookie lives on. */
function guestCookieOf(req: NextRequest, site: Site): { token: string; landing: string; cookie: string } | null {
  const { pathname } = req.nextUrl;
  if (site.kind === 'portal') {
    const token = req.cookies.get('liaison_portal')?.value;
    return token ? { token, landing: '/', cookie: 'liaison_portal=; Path=/' } : null;
  }
  const m = /^\/(s|p)\/([A-Za-z0-9_-]{1,64})(\/|$)/.exec(pathname);
  if (!m) return null;
  const name = m[1] === 's' ? 'liaison_guest' : 'liaison_portal';
  const token = req.cookies.get(name)?.value;
  return token ? { token, landing: `/${m[1]}/${m[2]}`, cookie: `${name}=; Path=/${m[1]}/${m[2]}` } : null;
}

/**
 * Defence in depth, before any guest page renders and without the database: a guest cookie whose token
 * has expired or was issued for another host is dropped (the guest lands on the sign-in step), and one
 * whose carried network or country conditions this request does not meet is refused here. The policy
 * still decides every request with live facts; this only ever refuses (lib/http/token-precheck.ts).
 */
async function precheckGuestCookie(req: NextRequest, site: Site): Promise<NextResponse | null> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null; // sign-in forms replace the cookie
  if (SSO_COMPLETE.test(req.nextUrl.pathname)) return null; // so does the end of a single sign-on
  const c = guestCookieOf(req, site);
  if (!c) return null;
  const ip = req.headers.get(CLIENT_IP_HEADER);
  const host = req.headers.get(HOST_HEADER) ?? normaliseHost(req.headers.get('host'));
  const country = await countryOf(ip).catch(() => null);
  const refusal = precheckGuestToken(c.token, { host, ip, country, now: Date.now() });
  if (!refusal) return null;
  if (refusal === 'ip_denied' || refusal === 'geo_denied') {
    const what = refusal === 'ip_denied' ? 'your network' : 'your country';
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Not available</title></head><body style="font-family:system-ui,sans-serif;margin:15vh auto;max-width:32rem;padding:0 1.5rem;color:#0f172a"><h1 style="font-size:1.25rem">Not available from ${what}</h1><p style="color:#475569;line-height:1.5">These documents cannot be opened from where you are connecting. If you think this is a mistake, contact the person who gave you access.</p></body></html>`;
    return new NextResponse(html, { status: 403, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" } });
  }
  const url = req.nextUrl.clone();
  url.pathname = c.landing;
  url.search = '';
  const res = NextResponse.redirect(url, 303);
  res.headers.append('set-cookie', `${c.cookie}; Max-Age=0; HttpOnly; Secure; SameSite=Lax`);
  return res;
}

export const config = {
  // Every page, guest pages and error pages included. Not: the JSON APIs; Next's build assets; the
  // files in public/ (robots.txt, vendor/ with the pdf.js worker) and /.well-known/ (jwks.json); and
  // what lies below a guest document's page, /s/<token>/d/<docId>/… (its download and page images),
  // files that set their own, stricter policy (sandbox) that a page policy here would replace; likewise
  // the owner's preview page images, /portals/<id>/preview/pages/… (they check the console session themselves).
  // Files are named one by one rather than by "has an extension": /documents/x.js is a console page.
  matcher: ['/((?!api/|_next/static/|_next/image|favicon\\.ico$|robots\\.txt$|device-sw\\.js$|vendor/|\\.well-known/|s/[^/]+/d/[^/]+/.|p/[^/]+/d/[^/]+/.|portals/[^/]+/preview/pages/).*)'],
};
