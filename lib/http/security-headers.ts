/**
 * Response headers that protect every page. The static ones (nosniff, Referrer-Policy, Permissions-Policy,
 * COOP, CORP) are set for every path in next.config.js; the ones that depend on the request or on the
 * runtime configuration are built here: the per-request Content-Security-Policy (proxy.ts) and HSTS
 * (lib/server/start.ts, on every response when LIAISON_PUBLIC_URL is https).
 *
 * No imports: proxy.ts bundles this file and runs it on every navigation.
 */

export const HSTS_VALUE = 'max-age=63072000; includeSubDomains';

/** sha256-base64 of "display:none" (see contentSecurityPolicy). */
const DISPLAY_NONE_HASH = 'sha256-aqNNdDLnnrDOnTNdkJpYlAxKVJtLt9CtFLklmInuUAE=';

/** Strict-Transport-Security only makes sense, and is only honoured, when the site is served over HTTPS. */
export function hstsHeader(publicUrl: string | undefined): string | null {
  return publicUrl && /^https:\/\//i.test(publicUrl) ? HSTS_VALUE : null;
}

/** 128 random bits, base64: what CSP 3 asks of a nonce (unguessable, fresh for every response). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export interface CspOptions {
  nonce: string;
  /** Development server: React's debugging needs eval, and hot reload injects styles without a nonce. */
  dev: boolean;
  /** LIAISON_PUBLIC_URL, when set: https turns on upgrade-insecure-requests and names the socket.io origin. */
  publicUrl?: string;
}

/**
 * The Content-Security-Policy of an HTML page.
 *
 * - Scripts: only those carrying this response's nonce (Next adds it to its own), and what they load
 *   ('strict-dynamic'). 'self' is ignored by browsers that know 'strict-dynamic' and only helps old ones.
 * - Styles: our stylesheet files and nonce-carrying <style> elements. No 'unsafe-inline': the pages
 *   use no style attributes in server-rendered markup (colours and offsets are classes), and style
 *   changes made from script through the CSSOM (the PDF viewer's canvas size, the upload progress bar)
 *   are not governed by CSP. The development server is the exception: its hot reload injects styles.
 * - Workers: pdf.js runs its worker from /vendor/ (same origin), or from a blob: URL as a fallback.
 * - connect-src 'self' also covers same-origin ws:/wss: in CSP 3 browsers; the public origin's
 *   WebSocket form is named too for the others (socket.io).
 * - Nothing may frame the pages, change their base URL, embed plugins, or post forms elsewhere.
 */
export function contentSecurityPolicy({ nonce, dev, publicUrl }: CspOptions): string {
  const https = Boolean(publicUrl && /^https:\/\//i.test(publicUrl));
  const socketOrigin = publicUrl ? publicUrl.replace(/^http/i, 'ws').replace(/^(wss?:\/\/[^/]+).*$/i, '$1') : null;
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    // A nonce makes browsers ignore 'unsafe-inline', so development lists only the latter.
    ['style-src', "'self'", ...(dev ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    // One style attribute value is allowed, by its hash: React's streaming renderer hides the out-of-order
    // SVG segments it sends (icons inside a part of the page that arrives later) as <svg style="display:none">
    // until its nonce'd script moves them in place. Nothing else can use an attribute: a hash allows only
    // that exact text (sha256 of "display:none"), which can hide an element but never load or send anything.
    ...(dev ? [] : [['style-src-attr', "'unsafe-hashes'", `'${DISPLAY_NONE_HASH}'`] as [string, ...string[]]]),
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(socketOrigin ? [socketOrigin] : [])],
    ['worker-src', "'self'", 'blob:'],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['frame-ancestors', "'none'"],
    ['form-action', "'self'"],
    ...(https ? [['upgrade-insecure-requests'] as [string]] : []),
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}
