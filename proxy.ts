import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce } from './lib/http/security-headers';
import { CONSOLE_URL_HEADER } from './lib/http/console-url';

// next-auth v4 cookie names (plain and __Secure- on HTTPS); a large JWT is split into ".0", ".1"….
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

// Pages anyone may open: sign-in, the guest paths and single sign-on (/sso/…). Everything else the matcher lets through is the
// console. A new guest area (a portal, an invitation page) must be added here.
const PUBLIC_PAGES = /^\/(signin(\/|$)|s\/|i\/|p\/|sso\/|portal(\/|$)|\.well-known\/)/;

/**
 * Runs before every HTML page (see the matcher) and does two cheap things, with no database work,
 * since it also runs on every prefetch:
 *
 * 1. A fresh nonce and the page's Content-Security-Policy. Next reads the policy from the request
 *    headers and puts the nonce on its own scripts and styles, which is why the policy goes on the
 *    request as well as on the response, and why every page renders per request (app/layout.tsx).
 * 2. On console pages, an optimistic sign-in check: without a session cookie, the visitor is sent to
 *    sign in. Whether the cookie is valid, and what the user may do, is decided again by every page,
 *    route and server action.
 */
export function proxy(req: NextRequest) {
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development', publicUrl: process.env.LIAISON_PUBLIC_URL });
  const { pathname, search } = req.nextUrl;

  let res: NextResponse;
  if (!PUBLIC_PAGES.test(pathname) && !req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name))) {
    const url = req.nextUrl.clone();
    const callbackUrl = pathname + search;
    url.pathname = '/signin';
    url.search = callbackUrl === '/' ? '' : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    res = NextResponse.redirect(url);
  } else {
    const headers = new Headers(req.headers);
    headers.set('content-security-policy', csp);
    // What the browser asked for, for the console layout's id check.
    headers.set(CONSOLE_URL_HEADER, pathname + search);
    res = NextResponse.next({ request: { headers } });
  }
  res.headers.set('content-security-policy', csp);
  return res;
}

export const config = {
  // Every page, guest pages and error pages included. Not: the JSON APIs; Next's build assets; the
  // files in public/ (robots.txt, vendor/ with the pdf.js worker) and /.well-known/ (jwks.json); and
  // what lies below a guest document's page, /s/<token>/d/<docId>/… (its download and page images),
  // files that set their own, stricter policy (sandbox) that a page policy here would replace.
  // Files are named one by one rather than by "has an extension": /documents/x.js is a console page.
  matcher: ['/((?!api/|_next/static/|_next/image|favicon\\.ico$|robots\\.txt$|vendor/|\\.well-known/|s/[^/]+/d/[^/]+/.|p/[^/]+/d/[^/]+/.).*)'],
};
