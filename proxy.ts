import { NextResponse, type NextRequest } from 'next/server';

// next-auth v4 cookie names (plain and __Secure- on HTTPS); a large JWT is split into ".0", ".1"….
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/**
 * An optimistic check only: without a session cookie, a console page sends the visitor to sign in.
 * Whether the cookie is valid, and what the user may do, is decided again by every page, route and
 * server action. No database work here: this runs on every navigation and prefetch.
 */
export function proxy(req: NextRequest) {
  if (req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name))) return NextResponse.next();
  const url = req.nextUrl.clone();
  const callbackUrl = req.nextUrl.pathname + req.nextUrl.search;
  url.pathname = '/signin';
  url.search = callbackUrl === '/' ? '' : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Console pages only: not the APIs, sign-in, Next's assets, files with an extension, or guest paths.
  matcher: ['/((?!api/|_next/|signin|s/|portal|\\.well-known/|favicon\\.ico|.*\\.[a-zA-Z0-9]+$).*)'],
};
