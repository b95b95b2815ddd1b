import { config } from '../config';
import { prisma } from '../db/client';
import { decodeSite, LOOPBACK, publicHost, SITE_HEADER } from './site';

/**
 * Hosts that serve the console (and every portal at /p/<slug>): the public URL's host, and the loopback
 * names (see ./site.ts, isConsoleHost, which answers the same question for proxy.ts).
 */
export function consoleHosts(): string[] {
  const pub = publicHost(config().publicUrl);
  return [...new Set([...(pub ? [pub] : []), ...LOOPBACK])];
}

/** Where a portal is served now: the console hosts and its verified custom domains. */
export async function portalHosts(portalId: string): Promise<string[]> {
  const domains = await prisma().portalDomain.findMany({ where: { portalId, verifiedAt: { not: null } }, select: { hostname: true } });
  return [...consoleHosts(), ...domains.map((d) => d.hostname)];
}

/**
 * On a portal's own domain the portal sits at "/"; on the console host, at /p/<slug>. Read from the site
 * server.ts decided for this request (no database work).
 */
export function portalBasePath(slug: string, headers: { get(name: string): string | null }, host: string | null | undefined): string {
  const site = decodeSite(headers.get(SITE_HEADER), host ?? null);
  return site?.kind === 'portal' && site.slug === slug ? '' : `/p/${slug}`;
}
