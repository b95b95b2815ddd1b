import { prisma } from '../db/client';

/** Slugs as stored (lib/portals/slug.ts decides which may be created); anything else cannot name a portal. */
export const PORTAL_SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/;

const portalSelect = {
  id: true, orgId: true, slug: true, name: true, primaryColor: true, accentColor: true, welcome: true, footer: true,
  supportEmail: true, logoUpdatedAt: true, revocationEpoch: true,
  org: { select: { name: true, tlpCeiling: true } },
} as const;

export interface PortalRow {
  id: string; orgId: string; slug: string; name: string; primaryColor: string; accentColor: string; welcome: string;
  footer: string; supportEmail: string | null; logoUpdatedAt: Date | null; revocationEpoch: number;
  org: { name: string; tlpCeiling: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER_STRICT' | 'RED' };
}

/** A live (not archived) portal by its slug, or null. */
export async function findPortalBySlug(slug: string): Promise<PortalRow | null> {
  if (typeof slug !== 'string' || !PORTAL_SLUG.test(slug)) return null;
  return prisma().portal.findFirst({ where: { slug, archivedAt: null }, select: portalSelect });
}

/** A live portal by id (a session's portal), or null. */
export async function findPortalById(id: string): Promise<PortalRow | null> {
  return prisma().portal.findFirst({ where: { id, archivedAt: null }, select: portalSelect });
}

/** What a portal page shows before sign-in: its branding, nothing about its content or grants. */
export interface PortalBranding {
  slug: string; name: string; primaryColor: string; accentColor: string; welcome: string; footer: string;
  supportEmail: string | null; logoUrl: string | null;
}

export const brandingOf = (p: PortalRow): PortalBranding => ({
  slug: p.slug, name: p.name, primaryColor: p.primaryColor, accentColor: p.accentColor, welcome: p.welcome, footer: p.footer,
  supportEmail: p.supportEmail,
  logoUrl: p.logoUpdatedAt ? `/api/portal/v1/portals/${p.slug}/logo?v=${p.logoUpdatedAt.getTime().toString(36)}` : null,
});
