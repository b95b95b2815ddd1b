/*
 * What a request's host is: the console, one portal's verified custom domain, or nothing we serve.
 * Decided once per request in lib/server/start.ts (lib/portals/host-map.ts, which reads the database)
 * and handed to code inside Next, proxy.ts first, in the SITE_HEADER request header, which the server
 * sets on every request after removing any copy the client sent. This module stays free of database
 * imports so proxy.ts can use it.
 */

export type Site =
  | { kind: 'console' }
  | { kind: 'portal'; portalId: string; slug: string; orgId: string; hostname: string }
  | { kind: 'unknown' };

export const SITE_HEADER = 'x-liaison-site';

/** The header value: "console", "unknown", or "portal <portalId> <orgId> <slug>" (none of them contain spaces). */
export function encodeSite(site: Site): string {
  return site.kind === 'portal' ? `portal ${site.portalId} ${site.orgId} ${site.slug}` : site.kind;
}

const PORTAL = /^portal ([A-Za-z0-9_-]{1,64}) ([A-Za-z0-9_-]{1,64}) ([a-z0-9][a-z0-9-]{0,62})$/;

/** Reads SITE_HEADER; null when absent or malformed (the caller then fails closed). */
export function decodeSite(value: string | null | undefined, hostname: string | null): Site | null {
  if (value === 'console' || value === 'unknown') return { kind: value };
  const m = value ? PORTAL.exec(value) : null;
  if (!m || !hostname) return null;
  return { kind: 'portal', portalId: m[1], orgId: m[2], slug: m[3], hostname };
}

// Loopback names always reach the console: a developer's browser on http://localhost:3000 and the
// test suites (which talk to 127.0.0.1) use them whatever LIAISON_PUBLIC_URL says. Nobody outside the
// machine can send them to us through DNS, and a proxy in front sets the public Host.
export const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The console's own host name (of LIAISON_PUBLIC_URL), lower case, no port. */
export function publicHost(publicUrl: string): string | null {
  try {
    return new URL(publicUrl).hostname.toLowerCase().replace(/\.$/, '') || null;
  } catch {
    return null;
  }
}

/** True for the host of the public URL and for loopback names. */
export function isConsoleHost(host: string | null, publicUrl: string): boolean {
  if (!host) return false;
  return LOOPBACK.has(host) || host === publicHost(publicUrl);
}
