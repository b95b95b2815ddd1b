/*
 * What a host that serves nothing gets: a host nobody claimed, a claim not (or no longer) verified, a
 * removed domain, an archived portal. The same bytes in every case, whatever the path, with no name of
 * an organisation or portal, no link and no script, so probing host names tells nothing about who uses
 * this instance. Served by lib/server/start.ts before Next is involved (and by proxy.ts should a
 * request ever reach it without the server's site header).
 *
 * No imports: proxy.ts bundles this file.
 */

const STYLE = 'html{color-scheme:light}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f8fafc;color:#0f172a;font:15px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}main{max-width:26rem;margin:1.5rem;padding:2rem 2.25rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 2px rgba(15,23,42,.06),0 0 0 1px rgba(15,23,42,.08)}p.code{margin:0 0 .5rem;font-size:12px;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:#64748b}h1{margin:0 0 .5rem;font-size:1.25rem;line-height:1.4}p{margin:0;color:#475569}';
// sha256 of STYLE, base64 (tests/unit/neutral-page.test.ts recomputes it): the page's only style.
const STYLE_HASH = 'sha256-6Hbz90O0j/E0HUxgeF5/HRp/ytHlO7dw33OJsPHOApY=';

export const NEUTRAL_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>Not found</title><style>${STYLE}</style></head><body><main><p class="code">404 · Not found</p><h1>Nothing is served at this address</h1><p>Check that the address is complete and spelled correctly. If someone sent you this link, ask them for a new one.</p></main></body></html>`;

export const NEUTRAL_JSON = JSON.stringify({ error: 'not_found', error_description: 'Not found.' });

export const NEUTRAL_STATUS = 404;

const COMMON = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex',
} as const;

export const NEUTRAL_HTML_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON,
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src '${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
};

export const NEUTRAL_JSON_HEADERS: Readonly<Record<string, string>> = { ...COMMON, 'content-type': 'application/json; charset=utf-8' };

export const NEUTRAL_STYLE = STYLE;
