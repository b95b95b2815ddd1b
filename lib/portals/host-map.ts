import { cacheStamp, invalidate, onInvalidation } from '../cluster/invalidation';
import { config } from '../config';
import { log } from '../log';
import { prisma } from '../db/client';
import { normaliseHost } from '../http/request-host';
import { isConsoleHost, type Site } from './site';

export type { Site } from './site';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Entry = { site: Site; at: number; stamp: number };
// On globalThis: Next's bundles (server actions, GraphQL) and server.ts each load their own copy of
// this module, and a bust from any of them must reach the map server.ts reads.
const g = globalThis as unknown as { __liaisonHostMap?: Map<string, Entry> };
const cache = () => (g.__liaisonHostMap ??= new Map());

/**
 * What a host serves: the console (host of LIAISON_PUBLIC_URL, or a loopback name), the portal whose
 * verified claim it is (archived portals serve nothing), or nothing. Every request asks, so the answer
 * is kept a few seconds in this process; a verify, unverify or remove busts it at once here and, through
 * the invalidation channel, on every other instance. An entry is used only under the channel's current
 * cacheStamp: while the channel is down every request asks the database, so an instance that missed a
 * bust never routes by what it read before. Unknown hosts are cached too (bounded), so a flood of made-up
 * Host headers costs one query per name and TTL, not one per request.
 */
export async function resolveHost(host: string | null, now = Date.now()): Promise<Site> {
  if (!host) return { kind: 'unknown' };
  if (isConsoleHost(host, config().publicUrl)) return { kind: 'console' };
  const stamp = cacheStamp();
  const hit = cache().get(host);
  if (hit && stamp !== null && hit.stamp === stamp && now - hit.at < TTL_MS) return hit.site;
  const row = await prisma().portalDomain.findFirst({
    where: { hostname: host, verifiedAt: { not: null }, portal: { archivedAt: null } },
    select: { hostname: true, portal: { select: { id: true, slug: true, orgId: true } } },
  });
  const site: Site = row ? { kind: 'portal', portalId: row.portal.id, slug: row.portal.slug, orgId: row.portal.orgId, hostname: row.hostname } : { kind: 'unknown' };
  if (stamp === null) return site;
  if (cache().size >= MAX_ENTRIES) cache().clear();
  cache().set(host, { site, at: now, stamp });
  return site;
}

function forget(host: string | null): void {
  if (host) cache().delete(host);
  else cache().clear();
}

onInvalidation('host-map', (m) => forget(m.host));

/**
 * Forgets what was cached for one host (or every host), here at once and on every other instance:
 * call after a claim is verified, lost or removed, or a portal archived.
 */
export function bustHostMap(host?: string): void {
  invalidate({ type: 'host-map', host: host ?? null }).catch((e: unknown) => log.warn({ err: e }, 'host map bust not published'));
}

/**
 * Caddy's on-demand TLS question ("may I get a certificate for this name?"): yes only for the console
 * host and verified portal domains, so nobody can make us request certificates for arbitrary names.
 */
export async function isServedHost(raw: string | null): Promise<boolean> {
  const host = normaliseHost(raw);
  return (await resolveHost(host)).kind !== 'unknown';
}
