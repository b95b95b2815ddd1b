import { config } from '../config';
import { prisma } from '../db/client';

export interface PortalUrlFacts {
  slug: string;
  /** The portal's domain claims; only verified ones count. Omit when none were loaded. */
  domains?: ReadonlyArray<{ hostname: string; verifiedAt: Date | null }>;
}

/**
 * The address guests are sent to, in mail and in the console: `https://<domain>/` on the portal's
 * first verified custom domain (earliest verified, so it does not change when another is added), else
 * `<public URL>/p/<slug>` on the console host. Custom domains are always https: they are served
 * behind a TLS-terminating proxy (README, "Custom domains and TLS").
 */
export function portalUrl(portal: PortalUrlFacts): string {
  const verified = (portal.domains ?? []).filter((d) => d.verifiedAt)
    .sort((a, b) => a.verifiedAt!.getTime() - b.verifiedAt!.getTime() || a.hostname.localeCompare(b.hostname));
  return verified.length ? `https://${verified[0].hostname}/` : `${config().publicUrl}/p/${portal.slug}`;
}

/** portalUrl for a portal by id (one query); null when there is no such portal. */
export async function loadPortalUrl(portalId: string): Promise<string | null> {
  const p = await prisma().portal.findUnique({ where: { id: portalId }, select: { slug: true, domains: { where: { verifiedAt: { not: null } }, select: { hostname: true, verifiedAt: true } } } });
  return p ? portalUrl(p) : null;
}
