import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Header that server.ts sets, after removing any copy the client sent, for code inside Next. */
export const HOST_HEADER = 'x-liaison-host';

/**
 * A host name as Liaison compares them: lower case, without port or trailing dot; null when it is not a
 * plausible DNS name or IP literal (so a malformed Host can never match a portal domain).
 */
export function normaliseHost(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  let h = raw.trim().toLowerCase();
  if (!h || h.length > 260) return null;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return null;
    h = h.slice(0, end + 1);
    return /^\[[0-9a-f:.]+\]$/.test(h) ? h : null;
  }
  h = h.replace(/:\d{1,5}$/, '').replace(/\.$/, '');
  if (h.length > 253 || !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(h)) return null;
  return h;
}

let trustCache: { raw: string; fn: (addr: string, i: number) => boolean } | undefined;
function trust() {
  const raw = process.env.LIAISON_TRUSTED_PROXIES ?? '';
  if (trustCache?.raw !== raw) trustCache = { raw, fn: proxyaddr.compile(raw.split(',').map((s) => s.trim()).filter(Boolean)) };
  return trustCache.fn;
}

/**
 * Header that server.ts sets, before any rewrite and after removing a client's copy: the URL the client
 * addressed, without query (scheme://host[:port]/path), which device proofs must name (htu).
 */
export const REQUEST_URL_HEADER = 'x-liaison-request-url';

/** requestOrigin plus the path as the client sent it (query and fragment dropped), or null. */
export function requestUrl(req: IncomingMessage): string | null {
  const origin = requestOrigin(req);
  if (!origin) return null;
  const path = (req.url ?? '/').split('?')[0].split('#')[0] || '/';
  return path.startsWith('/') ? `${origin}${path}` : null;
}

/**
 * The origin the client addressed: the scheme (X-Forwarded-Proto from a trusted proxy, else whether this
 * connection is TLS) and the Host as sent (with its port). Device proofs name the URL the browser used;
 * behind a TLS-terminating proxy that is https even though Liaison itself is reached over http.
 */
export function requestOrigin(req: IncomingMessage): string | null {
  const peer = (req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');
  const trusted = Boolean(peer && trust()(peer, 0));
  const fproto = req.headers['x-forwarded-proto'];
  const proto = trusted && typeof fproto === 'string' && /^https?$/i.test(fproto.split(',')[0].trim())
    ? fproto.split(',')[0].trim().toLowerCase()
    : (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const fhost = req.headers['x-forwarded-host'];
  const raw = (trusted && typeof fhost === 'string' && fhost ? fhost.split(',')[0] : req.headers.host ?? '').trim().toLowerCase();
  if (!normaliseHost(raw)) return null;
  return `${proto}://${raw}`;
}

/**
 * The host the client asked for: the Host header, or X-Forwarded-Host only when the socket peer is a
 * trusted proxy (LIAISON_TRUSTED_PROXIES). A client talking to us directly cannot pick another
 * organisation's portal by sending X-Forwarded-Host.
 */
export function requestHost(req: IncomingMessage): string | null {
  const peer = (req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');
  const forwarded = req.headers['x-forwarded-host'];
  if (typeof forwarded === 'string' && forwarded && peer && trust()(peer, 0)) {
    // The first value is what the client asked the outermost proxy for.
    return normaliseHost(forwarded.split(',')[0]);
  }
  return normaliseHost(req.headers.host ?? null);
}
