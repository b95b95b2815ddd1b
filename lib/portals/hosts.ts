import { config } from '../config';
import { prisma } from '../db/client';
import { normaliseHost } from '../http/request-host';

/**
 * Hosts that serve the console (and every portal at /p/<slug>): the public URL's host, and the loopback
 * names, which only a client on this machine can reach (local use, tests, a proxy on the same host).
 */
export function consoleHosts(): string[] {
  const pub = normaliseHost(new URL(config().publicUrl).host);
  return [...new Set([pub, 'localhost', '127.0.0.1', '[::1]'].filter((h): h is string => Boolean(h)))];
}

/** Where a portal is served now: the console hosts and its verified custom domains. */
export async function portalHosts(portalId: string): Promise<string[]> {
  const domains = await prisma().portalDomain.findMany({ where: { portalId, verifiedAt: { not: null } }, select: { hostname: true } });
  return [...consoleHosts(), ...domains.map((d) => d.hostname)];
}

/** On a portal's own domain the portal sits at "/"; on the console host, at /p/<slug>. */
export async function portalBasePath(slug: string, host: string | null | undefined): Promise<string> {
  if (host && !consoleHosts().includes(host)) {
    const own = await prisma().portalDomain.findFirst({ where: { hostname: host, verifiedAt: { not: null }, portal: { slug } }, select: { id: true } });
    if (own) return '';
  }
  return `/p/${slug}`;
}
