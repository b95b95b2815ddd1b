import { z } from 'zod';
import { assertCriminalIntelReleasable, logGrantReleases } from '../cfr/sharing';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { idSchema } from '../http/ids';
import { orgPolicy } from '../shares/service';
import { tlpAllowed, TLP_DISPLAY } from '../shares/tlp';
import { grantsBlockingTlp } from '../governance/tlp';
import { RELEASE_PROBLEM_TEXT } from '../policy/tlp-scope';
import { assertLive, auditPortal, loadPortal, loadSection } from './access';
import { sectionName } from './input';

/**
 * Sections are the folders of a portal. Their documents are the organisation's own, and like shared
 * documents they may not sit above the organisation's TLP ceiling: a section releases them outside.
 */

const documentSelect = { id: true, title: true, versions: { orderBy: { number: 'desc' as const }, take: 1, select: { tlp: true, fileName: true, pages: true } } };

export async function listPortalSections(p: Principal, portalId: string) {
  authorize(p, 'portals:read');
  await loadPortal(prisma(), p.orgId, portalId);
  const rows = await prisma().portalSection.findMany({
    where: { portalId },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    include: { documents: { orderBy: [{ position: 'asc' }, { addedAt: 'asc' }], include: { document: { select: documentSelect } } } },
  });
  return rows.map((s) => ({ ...s, documents: s.documents.map((d) => ({ ...d.document, addedAt: d.addedAt, latest: d.document.versions[0] ?? null })) }));
}

export async function getPortalSection(p: Principal, sectionId: string) {
  authorize(p, 'portals:read');
  const s = await loadSection(prisma(), p.orgId, sectionId);
  return s;
}

export async function createPortalSection(p: Principal, portalId: string, rawName: unknown) {
  authorize(p, 'portals:write');
  const name = sectionName.parse(rawName);
  return prisma().$transaction(async (tx) => {
    assertLive(await loadPortal(tx, p.orgId, portalId));
    const last = await tx.portalSection.findFirst({ where: { portalId }, orderBy: { position: 'desc' }, select: { position: true } });
    const section = await tx.portalSection.create({ data: { portalId, name, position: (last?.position ?? -1) + 1 } });
    await auditPortal(tx, p, 'portal.section.create', portalId, { sectionId: section.id, name });
    return section;
  });
}

export async function renamePortalSection(p: Principal, sectionId: string, rawName: unknown) {
  authorize(p, 'portals:write');
  const name = sectionName.parse(rawName);
  return prisma().$transaction(async (tx) => {
    const current = await loadSection(tx, p.orgId, sectionId);
    assertLive(current.portal);
    const section = await tx.portalSection.update({ where: { id: sectionId }, data: { name } });
    await auditPortal(tx, p, 'portal.section.update', current.portalId, { sectionId, from: current.name, name });
    return section;
  });
}

const orderInput = z.array(idSchema).min(1).max(500);

/** Sets the order of a portal's sections: `sectionIds` must name each of its sections once. */
export async function reorderPortalSections(p: Principal, portalId: string, raw: unknown) {
  authorize(p, 'portals:write');
  const ids = orderInput.parse(raw);
  return prisma().$transaction(async (tx) => {
    assertLive(await loadPortal(tx, p.orgId, portalId));
    const existing = await tx.portalSection.findMany({ where: { portalId }, select: { id: true } });
    const known = new Set(existing.map((s) => s.id));
    if (ids.length !== known.size || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id))) {
      throw new AppError('validation_failed', 'sectionIds: name every section of this portal exactly once.');
    }
    for (const [position, id] of ids.entries()) await tx.portalSection.update({ where: { id }, data: { position } });
    await auditPortal(tx, p, 'portal.section.update', portalId, { order: ids });
    return ids;
  });
}

/** Moves one section up or down by one place (the console's arrows). */
export async function movePortalSection(p: Principal, sectionId: string, direction: 'up' | 'down') {
  authorize(p, 'portals:write');
  const section = await loadSection(prisma(), p.orgId, sectionId);
  const order = (await prisma().portalSection.findMany({ where: { portalId: section.portalId }, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }], select: { id: true } })).map((s) => s.id);
  const i = order.indexOf(sectionId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= order.length) return order;
  [order[i], order[j]] = [order[j], order[i]];
  return reorderPortalSections(p, section.portalId, order);
}

/** Deletes a section. Its documents stay in the library; grants limited to it lose it. */
export async function deletePortalSection(p: Principal, sectionId: string) {
  authorize(p, 'portals:write');
  return prisma().$transaction(async (tx) => {
    const current = await loadSection(tx, p.orgId, sectionId);
    assertLive(current.portal);
    const documents = await tx.portalSectionDocument.count({ where: { sectionId } });
    await tx.portalSection.delete({ where: { id: sectionId } });
    await auditPortal(tx, p, 'portal.section.delete', current.portalId, { sectionId, name: current.name, documents });
    return { id: sectionId, portalId: current.portalId };
  });
}

const documentIdsInput = z.array(idSchema).min(1, 'Choose at least one document').max(200);

/**
 * Adds documents to a section. Adding a document that is already there changes nothing (and is not
 * recorded again). Documents of another organisation are not_found, as if they did not exist.
 */
export async function addDocumentsToSection(p: Principal, sectionId: string, raw: unknown) {
  authorize(p, 'portals:write');
  const ids = [...new Set(documentIdsInput.parse(raw))];
  const section = await loadSection(prisma(), p.orgId, sectionId);
  assertLive(section.portal);
  const { tlpCeiling } = await orgPolicy(p.orgId);
  const docs = await prisma().document.findMany({ where: { id: { in: ids }, orgId: p.orgId }, select: documentSelect });
  if (docs.length !== ids.length) throw new AppError('not_found', 'One or more documents do not exist.');
  const blocked = docs.filter((d) => d.versions[0] && !tlpAllowed(d.versions[0].tlp, tlpCeiling));
  if (blocked.length) {
    throw new AppError('forbidden', `${blocked.map((d) => `"${d.title}" (${TLP_DISPLAY[d.versions[0].tlp]})`).join(', ')} may not leave the organisation: its marking is above the ${TLP_DISPLAY[tlpCeiling]} ceiling.`);
  }
  // The live grants that cover this section must be able to release each document as it is marked
  // (partner ceilings, AMBER+STRICT, RED approved to named recipients): a section is not a way round them.
  for (const d of docs) {
    const tlp = d.versions[0]?.tlp;
    if (!tlp) continue;
    const blocking = (await grantsBlockingTlp(p.orgId, d.id, tlp, new Date(), { sectionId })).filter((g) => g.kind === 'portal');
    if (blocking.length) {
      await auditPortal(prisma(), p, 'portal.section.documents', section.portalId, { sectionId, refused: d.id, tlp, portalGrantIds: blocking.map((g) => g.id), problems: [...new Set(blocking.map((g) => g.problem))] }, 'tlp_scope', 'denied');
      throw new AppError('forbidden', `"${d.title}" (${TLP_DISPLAY[tlp]}) may not be added: ${blocking.length} active ${blocking.length === 1 ? 'grant' : 'grants'} of this section could not release it (${[...new Set(blocking.map((g) => RELEASE_PROBLEM_TEXT[g.problem]))].join('; ')}).`);
    }
  }
  // Criminal intelligence: every live grant that covers this section must meet the rule, and each is a release.
  const grants = await prisma().portalGrant.findMany({
    where: { portalId: section.portalId, state: 'ACTIVE', expiresAt: { gt: new Date() }, OR: [{ allSections: true }, { sections: { some: { sectionId } } }] },
    select: { id: true, emails: true, domains: true, partnerOrgId: true, groups: true, needToKnow: true, approvalState: true },
  });
  const drafts = grants.map((g) => ({ audience: 'GRANTEES' as const, recipients: g.emails, allowedDomains: g.domains, partnerOrgId: g.partnerOrgId, groups: g.groups, needToKnow: g.needToKnow, id: g.id }));
  const cji = await assertCriminalIntelReleasable(p, ids, drafts, { type: 'portal.section.documents', details: { portalId: section.portalId, sectionId, documentIds: ids } });
  // Two-person approval: criminal intelligence reaches only grants a second administrator approved; a
  // section is not a way round it (a new grant for it asks for approval).
  const unapproved = cji.some((d) => !d.purged) ? grants.filter((g) => g.approvalState !== 'APPROVED') : [];
  if (unapproved.length) {
    await auditPortal(prisma(), p, 'portal.section.documents', section.portalId, { sectionId, refused: cji.map((d) => d.id), portalGrantIds: unapproved.map((g) => g.id) }, 'approval_required', 'denied');
    throw new AppError('forbidden', `Criminal intelligence may not be added here: ${unapproved.length} active ${unapproved.length === 1 ? 'grant' : 'grants'} of this section ${unapproved.length === 1 ? 'was' : 'were'} not approved by a second administrator. Grant it through a new portal grant, which asks for approval.`);
  }
  await prisma().$transaction(async (tx) => {
    const present = new Set((await tx.portalSectionDocument.findMany({ where: { sectionId, documentId: { in: ids } }, select: { documentId: true } })).map((d) => d.documentId));
    const added = ids.filter((id) => !present.has(id));
    if (!added.length) return;
    const last = await tx.portalSectionDocument.findFirst({ where: { sectionId }, orderBy: { position: 'desc' }, select: { position: true } });
    const start = (last?.position ?? -1) + 1;
    await tx.portalSectionDocument.createMany({ data: added.map((documentId, i) => ({ sectionId, documentId, position: start + i })), skipDuplicates: true });
    await auditPortal(tx, p, 'portal.section.documents', section.portalId, { sectionId, added });
    const newlyReleased = cji.filter((d) => added.includes(d.id));
    for (const g of drafts) await logGrantReleases(tx, p, newlyReleased, { ...g, kind: 'PORTAL_GRANT', portalId: section.portalId, portalGrantId: g.id });
  });
  return section;
}

export async function removeDocumentFromSection(p: Principal, sectionId: string, documentId: string) {
  authorize(p, 'portals:write');
  idSchema.parse(documentId);
  const section = await loadSection(prisma(), p.orgId, sectionId);
  assertLive(section.portal);
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.portalSectionDocument.deleteMany({ where: { sectionId, documentId } });
    if (count) await auditPortal(tx, p, 'portal.section.documents', section.portalId, { sectionId, removed: [documentId] });
  });
  return section;
}

/** One section's documents, in their order (GraphQL loads them per section on demand). */
export async function listSectionDocuments(p: Principal, sectionId: string) {
  authorize(p, 'portals:read');
  await loadSection(prisma(), p.orgId, sectionId);
  const rows = await prisma().portalSectionDocument.findMany({ where: { sectionId }, orderBy: [{ position: 'asc' }, { addedAt: 'asc' }], include: { document: { select: documentSelect } } });
  return rows.map((d) => ({ ...d.document, addedAt: d.addedAt, latest: d.document.versions[0] ?? null }));
}
