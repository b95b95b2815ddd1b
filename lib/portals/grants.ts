import { enqueueMail } from '../mail/enqueue';
import { portalRoom, reevaluatePortalSockets, rescopeRoom } from '../realtime/revocation';
import { portalUrl } from './urls';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { parseCidrList } from '../policy/cidr';
import { checkExpiry, orgPolicy } from '../shares/service';
import { shareStatus } from '../shares/status';
import { requireTermsVersion } from '../terms/service';
import { assertLive, auditPortal, loadPortal } from './access';
import { assertCriminalIntelReleasable, logGrantReleases } from '../cfr/sharing';
import { assertReleasable, markedDocuments } from '../governance/tlp';
import { approvalRequired, requestApprovalTx, withdrawApprovalTx } from '../governance/approval';
import { portalGrantCollaborationInput, portalGrantInput, portalGrantTermsInput } from './input';

const DAY = 86_400_000;

const grantInclude = {
  sections: { select: { section: { select: { id: true, name: true, position: true, portalId: true, createdAt: true } } } },
  partnerOrg: { select: { id: true, name: true } },
  termsVersion: { select: { id: true, version: true, title: true } },
} as const;

type GrantRow = Awaited<ReturnType<typeof loadGrants>>[number];
const loadGrants = (where: { portalId: string } | { id: string; orgId: string }) =>
  prisma().portalGrant.findMany({ where, include: grantInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });

const view = (g: GrantRow, now = new Date()) => ({ ...g, status: shareStatus(g, now), sections: g.sections.map((s) => s.section) });
export type PortalGrantView = ReturnType<typeof view>;

/**
 * Grants access to a portal: who (addresses, email domains, a partner organisation and its SSO
 * groups), which sections (none named: every section, present and future), and the same conditions
 * as a share, checked with the same rules (expiry within the organisation's maximum, CIDR ranges,
 * country codes, terms of this organisation). Nothing is written unless all of it holds.
 */
export async function grantPortalAccess(p: Principal, portalId: string, raw: unknown): Promise<PortalGrantView> {
  authorize(p, 'portals:write');
  const input = portalGrantInput.parse(raw);
  const portal = await loadPortal(prisma(), p.orgId, portalId);
  assertLive(portal);
  const now = new Date();
  const policy = await orgPolicy(p.orgId);
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + policy.defaultShareDays * DAY);
  checkExpiry(expiresAt, policy.maxShareDays, now);
  const allowedIpRanges = parseCidrList(input.allowedIpRanges);
  if (input.termsVersionId) await requireTermsVersion(p.orgId, input.termsVersionId);
  if (input.partnerOrgId && !(await prisma().partnerOrg.findFirst({ where: { id: input.partnerOrgId, orgId: p.orgId }, select: { id: true } }))) {
    throw new AppError('not_found', 'No such partner organisation.');
  }
  const sectionIds = [...new Set(input.sectionIds)];
  if (sectionIds.length && (await prisma().portalSection.count({ where: { id: { in: sectionIds }, portalId } })) !== sectionIds.length) {
    throw new AppError('not_found', 'One or more sections are not part of this portal.');
  }
  // The documents of the sections it covers must be allowed to reach whom it names (docs/CLASSIFICATION.md).
  const reach = { link: false, recipients: [...new Set(input.emails)], domains: [...new Set(input.domains)], partnerOrgId: input.partnerOrgId ?? null, groups: [...new Set(input.groups)] };
  const covered = await prisma().portalSectionDocument.findMany({ where: { section: { portalId, ...(sectionIds.length ? { id: { in: sectionIds } } : {}) } }, select: { documentId: true } });
  const docs = await markedDocuments(prisma(), p.orgId, [...new Set(covered.map((d) => d.documentId))]);
  await assertReleasable(p, 'portal.grant.create', reach, docs, { details: { portalId, ...reach, sectionIds } });
  // Criminal intelligence in the sections it covers: only to law-enforcement partners, with a statement.
  const needToKnow = input.needToKnow || null;
  const draft = { audience: 'GRANTEES' as const, recipients: input.emails, allowedDomains: input.domains, partnerOrgId: input.partnerOrgId ?? null, groups: input.groups, needToKnow };
  const cji = await assertCriminalIntelReleasable(p, docs.map((d) => d.id), [draft], { type: 'portal.grant.create', details: { portalId, emails: input.emails, domains: input.domains, partnerOrgId: input.partnerOrgId ?? null } });
  const id = await prisma().$transaction(async (tx) => {
    const g = await tx.portalGrant.create({
      data: {
        portalId, orgId: p.orgId, createdById: p.kind === 'staff' ? p.userId : null,
        emails: [...new Set(input.emails)], domains: [...new Set(input.domains)], partnerOrgId: input.partnerOrgId ?? null, groups: [...new Set(input.groups)],
        allSections: sectionIds.length === 0,
        permission: input.permission, allowDownload: input.allowDownload, allowPrint: input.allowPrint, watermark: input.watermark,
        expiresAt, termsVersionId: input.termsVersionId ?? null, requireDevice: input.requireDevice,
        showGuestPresence: input.showGuestPresence, keepPartiesApart: input.keepPartiesApart, needToKnow,
        allowedIpRanges, allowedCountries: input.allowedCountries, allowedDevices: input.allowedDevices,
        sections: { create: sectionIds.map((sectionId) => ({ sectionId })) },
      },
    });
    await auditPortal(tx, p, 'portal.grant.create', portalId, {
      grantId: g.id, emails: g.emails, domains: g.domains, partnerOrgId: g.partnerOrgId, groups: g.groups,
      allSections: g.allSections, sectionIds, permission: g.permission, allowDownload: g.allowDownload, allowPrint: g.allowPrint,
      watermark: g.watermark, expiresAt: g.expiresAt.toISOString(), termsVersionId: g.termsVersionId, requireDevice: g.requireDevice,
      allowedIpRanges, allowedCountries: g.allowedCountries, allowedDevices: g.allowedDevices,
      showGuestPresence: g.showGuestPresence, keepPartiesApart: g.keepPartiesApart, ...(needToKnow ? { needToKnow } : {}),
    });
    // RED or criminal intelligence (approvalRequired): pending until a second administrator approves; the
    // guests are told, and the release logged, once it is approved, not before.
    const reasons = await approvalRequired(tx, p.orgId, docs.map((d) => d.id));
    if (reasons.length) {
      await requestApprovalTx(tx, p, { kind: 'portal', id: g.id }, reasons, { subject: `${portal.name}: ${docs.map((d) => d.title).join(', ')}`, recipients: [...g.emails, ...g.domains.map((d) => `@${d}`)] });
      return g.id;
    }
    await logGrantReleases(tx, p, cji, { ...draft, recipients: g.emails, kind: 'PORTAL_GRANT', portalId, portalGrantId: g.id });
    // Each named address is told, with the portal's own address (its verified domain when it has one).
    // The mail carries no secret; signing in still takes a code sent to that address.
    if (g.emails.length) {
      const url = portalUrl({ slug: portal.slug, domains: await tx.portalDomain.findMany({ where: { portalId, verifiedAt: { not: null } }, select: { hostname: true, verifiedAt: true } }) });
      const grantedBy = p.kind === 'staff' ? p.name : portal.name;
      for (const to of g.emails) {
        await enqueueMail({ orgId: p.orgId, to, template: 'portal_access', data: { url, portalName: portal.name, grantedBy, expiresAt: g.expiresAt } }, tx);
      }
    }
    return g.id;
  });
  return view((await loadGrants({ id, orgId: p.orgId }))[0], now);
}

/** Revokes a grant at once: the policy reads the grant's state on every request. Revoking again changes nothing. */
export async function revokePortalAccess(p: Principal, grantId: string, reason?: string | null): Promise<PortalGrantView> {
  authorize(p, 'portals:write');
  const cleanReason = reason?.toString().trim().slice(0, 500) || null;
  const portalId = await prisma().$transaction(async (tx) => {
    const g = await tx.portalGrant.findFirst({ where: { id: grantId, orgId: p.orgId }, select: { id: true, state: true, portalId: true } });
    if (!g) throw new AppError('not_found', 'No such portal grant.');
    if (g.state === 'REVOKED') return null;
    await tx.portalGrant.update({ where: { id: grantId }, data: { state: 'REVOKED', revokedAt: new Date(), revokedReason: cleanReason } });
    await auditPortal(tx, p, 'portal.grant.revoke', g.portalId, { grantId }, cleanReason);
    // A grant revoked while it waited for a second administrator: its request leaves the queue.
    await withdrawApprovalTx(tx, p, { kind: 'portal', id: grantId }, cleanReason);
    return g.portalId;
  });
  // Sockets that only this grant let in are told why and closed; others leave what it alone covered.
  if (portalId) void reevaluatePortalSockets(portalId);
  return view((await loadGrants({ id: grantId, orgId: p.orgId }))[0]);
}

/**
 * Changes a grant's real-time flags: whether its guests see each other's presence, and whether they
 * are kept apart (an information barrier). Audited as portal.grant.update with what changed.
 */
export async function setPortalGrantCollaboration(p: Principal, grantId: string, raw: unknown): Promise<PortalGrantView> {
  authorize(p, 'portals:write');
  const input = portalGrantCollaborationInput.parse(raw);
  const changedOn = await prisma().$transaction(async (tx) => {
    const g = await tx.portalGrant.findFirst({ where: { id: grantId, orgId: p.orgId }, select: { id: true, state: true, portalId: true, showGuestPresence: true, keepPartiesApart: true } });
    if (!g) throw new AppError('not_found', 'No such portal grant.');
    if (g.state === 'REVOKED') throw new AppError('conflict', 'A revoked grant cannot be changed.');
    const changed = (Object.keys(input) as Array<keyof typeof input>).filter((k) => input[k] !== undefined && input[k] !== g[k]);
    if (!changed.length) return null;
    await tx.portalGrant.update({ where: { id: grantId }, data: input });
    await auditPortal(tx, p, 'portal.grant.update', g.portalId, { grantId, changed, ...input });
    return g.portalId;
  });
  // The portal's sockets join again under the new flags (an information barrier holds at once).
  if (changedOn) rescopeRoom(portalRoom(changedOn));
  return view((await loadGrants({ id: grantId, orgId: p.orgId }))[0]);
}

/**
 * Extends a grant or changes its permission, within the organisation's maximum term as at creation.
 * Audited as portal.grant.extend (a new expiry only) or portal.grant.update; live sockets of the portal
 * are decided again at once, so a narrower permission holds on open viewers.
 */
export async function updatePortalGrant(p: Principal, grantId: string, raw: unknown): Promise<PortalGrantView> {
  authorize(p, 'portals:write');
  const input = portalGrantTermsInput.parse(raw);
  const now = new Date();
  if (input.expiresAt) checkExpiry(input.expiresAt, (await orgPolicy(p.orgId)).maxShareDays, now);
  const changedOn = await prisma().$transaction(async (tx) => {
    const g = await tx.portalGrant.findFirst({ where: { id: grantId, orgId: p.orgId }, select: { id: true, state: true, portalId: true, expiresAt: true, permission: true } });
    if (!g) throw new AppError('not_found', 'No such portal grant.');
    if (g.state === 'REVOKED') throw new AppError('conflict', 'A revoked grant cannot be changed.');
    const changed = (['expiresAt', 'permission'] as const).filter((k) => input[k] !== undefined && String(input[k] instanceof Date ? (input[k] as Date).toISOString() : input[k]) !== String(k === 'expiresAt' ? g.expiresAt.toISOString() : g.permission));
    if (!changed.length) return null;
    await tx.portalGrant.update({ where: { id: grantId }, data: { expiresAt: input.expiresAt, permission: input.permission } });
    await auditPortal(tx, p, changed.length === 1 && changed[0] === 'expiresAt' ? 'portal.grant.extend' : 'portal.grant.update', g.portalId, {
      grantId, changed,
      ...(input.expiresAt ? { from: g.expiresAt.toISOString(), expiresAt: input.expiresAt.toISOString() } : {}),
      ...(input.permission ? { fromPermission: g.permission, permission: input.permission } : {}),
    });
    return g.portalId;
  });
  if (changedOn) void reevaluatePortalSockets(changedOn);
  return view((await loadGrants({ id: grantId, orgId: p.orgId }))[0]);
}

/** A portal's grants, newest first, revoked and expired ones included (the table shows their state). */
export async function listPortalGrants(p: Principal, portalId: string): Promise<PortalGrantView[]> {
  authorize(p, 'portals:read');
  await loadPortal(prisma(), p.orgId, portalId);
  const now = new Date();
  return (await loadGrants({ portalId })).map((g) => view(g, now));
}

/** Partner organisations a grant may name: only ids and names, for staff who grant but do not administer SSO. */
export async function partnerChoices(p: Principal) {
  authorize(p, 'portals:write');
  return prisma().partnerOrg.findMany({ where: { orgId: p.orgId }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true, domains: true } });
}
