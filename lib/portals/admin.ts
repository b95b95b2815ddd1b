import { bustHostMap } from './host-map';
import { reevaluatePortalSockets } from '../realtime/revocation';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { after, invalidCursor } from '../db/keyset';
import { portalContrast } from './contrast';
import { assertLive, auditPortal, isUniqueViolation, loadPortal } from './access';
import { createPortalInput, listPortalsInput, updatePortalInput } from './input';
import { processLogo } from './logo';

/**
 * Staff management of portals: the portal itself, its branding and its logo. Sections are in
 * sections.ts and grants in grants.ts. Reading needs portals:read, every change portals:write
 * (admins and members; see docs/PORTALS.md), and every change is audited with its actor.
 */

/** The public address of a portal's logo; changes with each upload so caches never show an old one. */
export const portalLogoUrl = (portal: { slug: string; logoUpdatedAt: Date | null }) =>
  portal.logoUpdatedAt ? `/api/portal/v1/portals/${portal.slug}/logo?v=${portal.logoUpdatedAt.getTime().toString(36)}` : null;

/** Refuses colours below WCAG AA, naming the pair and its ratio. */
function assertContrast(primaryColor: string, accentColor: string): void {
  const failing = portalContrast(primaryColor, accentColor).filter((c) => !c.passes);
  if (!failing.length) return;
  const field = failing[0].pair === 'primary-on-white' ? 'primaryColor' : 'accentColor';
  throw new AppError('validation_failed', `${field}: ${failing.map((c) => `${c.label} has a contrast of ${c.ratio.toFixed(2)}:1, below the 4.5:1 that WCAG AA asks for text`).join('; ')}.`);
}

const slugTaken = (slug: string) => new AppError('validation_failed', `slug: "${slug}" is already taken by another portal. Choose another slug.`);

/** A slug belongs to one portal across the whole service; the unique index decides a race. */
async function assertSlugFree(slug: string, exceptId?: string) {
  const other = await prisma().portal.findUnique({ where: { slug }, select: { id: true } });
  if (other && other.id !== exceptId) throw slugTaken(slug);
}

export async function createPortal(p: Principal, raw: unknown) {
  authorize(p, 'portals:write');
  const input = createPortalInput.parse(raw);
  assertContrast(input.primaryColor, input.accentColor);
  await assertSlugFree(input.slug);
  try {
    return await prisma().$transaction(async (tx) => {
      const portal = await tx.portal.create({
        data: { ...input, supportEmail: input.supportEmail ?? null, orgId: p.orgId, createdById: p.kind === 'staff' ? p.userId : null },
        omit: { logo: true },
      });
      await auditPortal(tx, p, 'portal.create', portal.id, { slug: portal.slug, name: portal.name, primaryColor: portal.primaryColor, accentColor: portal.accentColor });
      return portal;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw slugTaken(input.slug);
    throw e;
  }
}

export async function updatePortal(p: Principal, id: string, raw: unknown) {
  authorize(p, 'portals:write');
  const input = updatePortalInput.parse(raw);
  const current = await loadPortal(prisma(), p.orgId, id);
  assertLive(current);
  // The rule holds for the portal as it will be, not only for the colours sent.
  assertContrast(input.primaryColor ?? current.primaryColor, input.accentColor ?? current.accentColor);
  if (input.slug && input.slug !== current.slug) await assertSlugFree(input.slug, id);
  const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  try {
    return await prisma().$transaction(async (tx) => {
      const portal = await tx.portal.update({ where: { id, orgId: p.orgId }, data: input, omit: { logo: true } });
      await auditPortal(tx, p, 'portal.update', id, {
        changed, ...(input.slug && input.slug !== current.slug ? { from: current.slug, slug: input.slug } : {}),
        ...(input.primaryColor ? { primaryColor: portal.primaryColor } : {}), ...(input.accentColor ? { accentColor: portal.accentColor } : {}),
      });
      return portal;
    });
  } catch (e) {
    if (isUniqueViolation(e) && input.slug) throw slugTaken(input.slug);
    throw e;
  }
}

/**
 * Archiving takes a portal offline: its pages answer as if it did not exist, and the revocation epoch
 * moves so that every guest session opened on it dies at once. Restoring brings the portal back, but
 * not those sessions.
 */
export async function archivePortal(p: Principal, id: string, archived = true) {
  authorize(p, 'portals:write');
  return prisma().$transaction(async (tx) => {
    const current = await loadPortal(tx, p.orgId, id);
    if (Boolean(current.archivedAt) === archived) return current;
    const portal = await tx.portal.update({
      where: { id, orgId: p.orgId },
      data: archived ? { archivedAt: new Date(), revocationEpoch: { increment: 1 } } : { archivedAt: null },
      omit: { logo: true },
    });
    await auditPortal(tx, p, archived ? 'portal.archive' : 'portal.unarchive', id, { slug: portal.slug });
    return portal;
  }).then((portal) => {
    // Its custom domains stop (or start) serving at once rather than when the host map's cache expires.
    bustHostMap();
    // An archived portal's sessions are over (its epoch moved): live sockets are told and closed.
    if (archived) void reevaluatePortalSockets(id);
    return portal;
  });
}

/** Checks, re-encodes and stores a logo (see logo.ts); the uploaded bytes themselves are never kept. */
export async function setPortalLogo(p: Principal, id: string, upload: Buffer | Uint8Array) {
  authorize(p, 'portals:write');
  assertLive(await loadPortal(prisma(), p.orgId, id));
  const logo = await processLogo(upload);
  return prisma().$transaction(async (tx) => {
    const portal = await tx.portal.update({ where: { id, orgId: p.orgId }, data: { logo: new Uint8Array(logo.bytes), logoMediaType: logo.mediaType, logoUpdatedAt: new Date() }, omit: { logo: true } });
    await auditPortal(tx, p, 'portal.logo', id, { action: 'set', bytes: logo.bytes.length, width: logo.width, height: logo.height, mediaType: logo.mediaType });
    return portal;
  });
}

export async function removePortalLogo(p: Principal, id: string) {
  authorize(p, 'portals:write');
  return prisma().$transaction(async (tx) => {
    const current = await loadPortal(tx, p.orgId, id);
    assertLive(current);
    if (!current.logoUpdatedAt) return current;
    const portal = await tx.portal.update({ where: { id, orgId: p.orgId }, data: { logo: null, logoMediaType: null, logoUpdatedAt: null }, omit: { logo: true } });
    await auditPortal(tx, p, 'portal.logo', id, { action: 'remove' });
    return portal;
  });
}

const summarySelect = {
  _count: { select: { sections: true } },
} as const;

/** Portals of the organisation, newest first, with what the portals table shows. */
export async function listPortals(p: Principal, raw: unknown = {}) {
  authorize(p, 'portals:read');
  const q = listPortalsInput.parse(raw ?? {});
  const position = q.after ? await prisma().portal.findFirst({ where: { id: q.after, orgId: p.orgId }, select: { id: true, createdAt: true } }) : null;
  if (q.after && !position) throw invalidCursor();
  const rows = await prisma().portal.findMany({
    where: { orgId: p.orgId, ...(q.includeArchived ? {} : { archivedAt: null }), ...(position ? { AND: [after(position)] } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.first + 1,
    omit: { logo: true },
    include: summarySelect,
  });
  const hasNextPage = rows.length > q.first;
  const page = rows.slice(0, q.first);
  const stats = await portalStats(page.map((r) => r.id));
  const nodes = page.map(({ _count, ...portal }) => ({ ...portal, sectionCount: _count.sections, ...stats.get(portal.id)! }));
  return { nodes, hasNextPage, endCursor: nodes.length ? nodes[nodes.length - 1].id : null };
}

/**
 * Distinct documents over a portal's sections, and its live grants (not revoked, not expired): active
 * ones serve (no approval needed, or approved); pending ones wait for a second administrator and serve
 * nothing, so they are counted apart.
 */
async function portalStats(ids: string[]) {
  const now = new Date();
  const [docs, grants] = await Promise.all([
    ids.length ? prisma().portalSectionDocument.findMany({ where: { section: { portalId: { in: ids } } }, select: { documentId: true, section: { select: { portalId: true } } } }) : [],
    ids.length ? prisma().portalGrant.groupBy({ by: ['portalId', 'approvalState'], where: { portalId: { in: ids }, state: 'ACTIVE', expiresAt: { gt: now } }, _count: { _all: true } }) : [],
  ]);
  const out = new Map(ids.map((id) => [id, { documentCount: 0, activeGrantCount: 0, pendingGrantCount: 0 }]));
  const seen = new Map(ids.map((id) => [id, new Set<string>()]));
  for (const d of docs) seen.get(d.section.portalId)!.add(d.documentId);
  for (const [id, set] of seen) out.get(id)!.documentCount = set.size;
  for (const g of grants) {
    const o = out.get(g.portalId)!;
    if (g.approvalState === 'NONE' || g.approvalState === 'APPROVED') o.activeGrantCount += g._count._all;
    else if (g.approvalState === 'PENDING') o.pendingGrantCount += g._count._all;
  }
  return out;
}

export async function getPortal(p: Principal, id: string) {
  authorize(p, 'portals:read');
  const portal = await loadPortal(prisma(), p.orgId, id);
  const stats = (await portalStats([id])).get(id)!;
  const sectionCount = await prisma().portalSection.count({ where: { portalId: id } });
  return { ...portal, sectionCount, ...stats };
}

/**
 * The logo as the portal's sign-in page shows it, to anyone: it is public branding. Archived and
 * unknown portals, and portals without a logo, are all null (the route answers 404 alike).
 */
export async function publicPortalLogo(slug: string) {
  if (!/^[a-z0-9-]{3,48}$/.test(slug)) return null;
  const row = await prisma().portal.findUnique({ where: { slug }, select: { logo: true, logoMediaType: true, logoUpdatedAt: true, archivedAt: true } });
  if (!row || row.archivedAt || !row.logo || !row.logoMediaType || !row.logoUpdatedAt) return null;
  return { bytes: Buffer.from(row.logo), mediaType: row.logoMediaType, updatedAt: row.logoUpdatedAt };
}

/** The logo for staff, whatever the portal's state. */
export async function getPortalLogo(p: Principal, id: string) {
  authorize(p, 'portals:read');
  const row = await prisma().portal.findFirst({ where: { id, orgId: p.orgId }, select: { logo: true, logoMediaType: true, logoUpdatedAt: true } });
  if (!row) throw new AppError('not_found', 'No such portal.');
  if (!row.logo || !row.logoMediaType || !row.logoUpdatedAt) return null;
  return { bytes: Buffer.from(row.logo), mediaType: row.logoMediaType, updatedAt: row.logoUpdatedAt };
}
