import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log';
import { resolveHost } from './host-map';
import { NEUTRAL_HTML, NEUTRAL_HTML_HEADERS, NEUTRAL_JSON, NEUTRAL_JSON_HEADERS, NEUTRAL_STATUS } from './neutral-page';
import { encodeSite, SITE_HEADER, type Site } from './site';

// Reachable on any host: the load balancer's health check, and Caddy's on-demand TLS question, which
// it asks before it has a certificate for the name (README, "Custom domains and TLS").
const ANY_HOST = /^\/api\/(health|portal\/v1\/domains\/check)(\?|$)/;
// The console's own APIs: staff GraphQL, the staff REST API, next-auth.
// Also the owner's preview page images: proxy.ts does not see them (they set their own policy), so they
// would not be turned into portal paths there.
const STAFF_ONLY = /^\/(api\/(graphql|v1|auth)(\/|\?|$)|portals\/[^/?]+\/preview\/pages\/)/;

/**
 * Decides, for the raw request and before Next sees it, which site its host is, and writes the answer
 * into SITE_HEADER (replacing any client copy) for proxy.ts and the pages. On a host that serves
 * nothing it answers itself with the neutral page, or the neutral JSON 404 for /api/…, so no console
 * page, asset or staff API is reachable there. Returns true when it answered.
 */
export async function routeSite(req: IncomingMessage, res: ServerResponse, host: string | null): Promise<boolean> {
  let site: Site;
  try {
    site = await resolveHost(host);
  } catch (e) {
    // The same answer for every host that is not the console's, so an outage reveals nothing either.
    log.warn({ err: (e as Error)?.message }, 'host lookup failed');
    res.writeHead(503, { ...NEUTRAL_JSON_HEADERS, 'retry-after': '5' });
    res.end(JSON.stringify({ error: 'database_unavailable', error_description: 'Try again shortly.' }));
    return true;
  }
  req.headers[SITE_HEADER] = encodeSite(site);
  const url = req.url ?? '/';
  // A portal's domain serves the portal and the guest API, never the console's staff APIs or sign-in:
  // a staff cookie could not reach them there anyway (it is the console host's), but nothing should answer.
  if (site.kind === 'portal' && STAFF_ONLY.test(url)) {
    res.writeHead(NEUTRAL_STATUS, { ...NEUTRAL_JSON_HEADERS, connection: 'close' });
    res.end(req.method === 'HEAD' ? undefined : NEUTRAL_JSON);
    return true;
  }
  if (site.kind !== 'unknown') return false;
  if (ANY_HOST.test(url)) return false;
  const api = url.startsWith('/api/') || url === '/api';
  // The body, if any, is never read: closing the connection keeps its bytes from being taken for the next request.
  res.writeHead(NEUTRAL_STATUS, { ...(api ? NEUTRAL_JSON_HEADERS : NEUTRAL_HTML_HEADERS), connection: 'close' });
  res.end(req.method === 'HEAD' ? undefined : api ? NEUTRAL_JSON : NEUTRAL_HTML);
  return true;
}
