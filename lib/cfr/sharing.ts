import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, type Principal } from '../auth/principal';
import { criminalIntelGrantProblem, type Audience, type GrantFacts } from '../policy';
import { lawEnforcementFacts } from '../guest/facts';

/** The facts of a grant being made, as criminalIntelGrantProblem reads them. */
export interface GrantDraft {
  audience: Audience;
  recipients: readonly string[];
  allowedDomains: readonly string[];
  partnerOrgId?: string | null;
  groups?: readonly string[];
  needToKnow?: string | null;
}

export interface CriminalIntelDoc { id: string; title: string; purged: boolean; versionId: string | null; versionNumber: number | null }

/** Which of these documents are marked criminal intelligence, with their current version. */
export async function criminalIntelDocs(orgId: string, documentIds: readonly string[], db: Tx = prisma()): Promise<CriminalIntelDoc[]> {
  if (!documentIds.length) return [];
  const rows = await db.criminalIntelRecord.findMany({
    where: { orgId, documentId: { in: [...new Set(documentIds)] } },
    select: { purgedAt: true, document: { select: { id: true, title: true, versions: { orderBy: { number: 'desc' }, take: 1, select: { id: true, number: true } } } } },
  });
  return rows.map((r) => ({ id: r.document.id, title: r.document.title, purged: r.purgedAt != null, versionId: r.document.versions[0]?.id ?? null, versionNumber: r.document.versions[0]?.number ?? null }));
}

export async function lawEnforcementPartners(orgId: string, db: Tx = prisma()) {
  return db.partnerOrg.findMany({ where: { orgId, lawEnforcement: true }, select: { id: true, name: true, domains: true, lawEnforcement: true } });
}

/**
 * Refuses a grant (a share, a portal grant, a section's new documents under its grants) that would make
 * criminal intelligence reachable by anyone the rule does not allow. The rule is the policy's own
 * (criminalIntelGrantProblem in lib/policy/decide.ts), read with the law-enforcement partners as they
 * are now; the policy checks it again on every request. Refusals are audited (`what`, denied,
 * cji_not_permitted) and thrown as 403 cji_not_permitted. Returns the marked documents.
 */
export async function assertCriminalIntelReleasable(p: Principal, documentIds: readonly string[], grants: readonly GrantDraft[], what: { type: string; shareId?: string | null; details?: Record<string, unknown> }): Promise<CriminalIntelDoc[]> {
  const docs = await criminalIntelDocs(p.orgId, documentIds);
  if (!docs.length) return docs;
  const purged = docs.filter((d) => d.purged);
  let problem: string | null = purged.length ? `${purged.map((d) => `"${d.title}"`).join(', ')} ${purged.length === 1 ? 'was' : 'were'} purged` : null;
  if (!problem) {
    const lawEnforcement = lawEnforcementFacts(await lawEnforcementPartners(p.orgId));
    for (const g of grants) {
      problem = criminalIntelGrantProblem({ ...asFacts(g), lawEnforcement });
      if (problem) break;
    }
  }
  if (!problem) return docs;
  await recordAudit({
    orgId: p.orgId, type: what.type, actor: actorOf(p), request: p.request, shareId: what.shareId ?? null, outcome: 'denied', reason: 'cji_not_permitted',
    details: { ...(what.details ?? {}), criminalIntelligence: docs.map((d) => d.id), problem },
  });
  throw new AppError('cji_not_permitted', `${docs.map((d) => `"${d.title}"`).join(', ')} ${docs.length === 1 ? 'is' : 'are'} criminal intelligence (28 CFR Part 23), released only to law-enforcement partners with a need-to-know and right-to-know statement. This grant ${problem}.`);
}

/** Only the fields the rule reads; the rest of GrantFacts does not matter to it. */
const asFacts = (g: GrantDraft): GrantFacts => ({
  kind: 'share', id: '', orgId: '', state: 'ACTIVE', revokedAt: null, expiresAt: new Date(0), revocationEpoch: 0, passwordEpoch: 0,
  hasPassword: false, termsVersionId: null, allowedIpRanges: [], allowedCountries: [], allowedDevices: [], permission: 'VIEW',
  allowDownload: false, allowPrint: false, watermark: true, documentIds: [], tlpCeiling: 'CLEAR',
  audience: g.audience, recipients: g.recipients.map((r) => r.toLowerCase()), allowedDomains: g.allowedDomains,
  partnerOrgId: g.partnerOrgId ?? null, groups: g.groups ?? [], needToKnow: g.needToKnow ?? null,
});

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * The dissemination log's entries for a grant made: one per marked document and per recipient (each
 * named address, and the partner organisation when the grant names one), with the grant's statement and
 * the document's current version. Written in the grant's own transaction, with one audit event.
 */
export async function logGrantReleases(tx: Tx, p: Principal, docs: readonly CriminalIntelDoc[], grant: GrantDraft & { kind: 'SHARE_GRANT' | 'PORTAL_GRANT'; shareId?: string; portalId?: string; portalGrantId?: string }) {
  const live = docs.filter((d) => !d.purged);
  if (!live.length) return;
  const partners = await lawEnforcementPartners(p.orgId, tx);
  const partnerOf = (email: string) => partners.find((x) => x.domains.map((d) => d.toLowerCase()).includes(domainOf(email))) ?? null;
  const recipients: { recipient: string; partnerOrgId: string | null; partnerOrgName: string | null }[] = grant.recipients.map((email) => {
    const po = partnerOf(email);
    return { recipient: email, partnerOrgId: po?.id ?? null, partnerOrgName: po?.name ?? null };
  });
  if (grant.partnerOrgId) {
    const po = partners.find((x) => x.id === grant.partnerOrgId);
    recipients.push({ recipient: `partner: ${po?.name ?? grant.partnerOrgId}${grant.groups?.length ? ` (groups ${grant.groups.join(', ')})` : ''}`, partnerOrgId: grant.partnerOrgId, partnerOrgName: po?.name ?? null });
  }
  const by = actorOf(p);
  await tx.criminalIntelRelease.createMany({
    data: live.flatMap((d) => recipients.map((r) => ({
      orgId: p.orgId, documentId: d.id, versionId: d.versionId, versionNumber: d.versionNumber, kind: grant.kind,
      releasedById: by.id ?? null, releasedBy: by.label, recipient: r.recipient, partnerOrgId: r.partnerOrgId, partnerOrgName: r.partnerOrgName,
      shareId: grant.shareId ?? null, portalId: grant.portalId ?? null, portalGrantId: grant.portalGrantId ?? null, needToKnow: grant.needToKnow ?? '',
    }))),
  });
  await recordAudit({
    orgId: p.orgId, type: 'cji.release', actor: by, request: p.request, shareId: grant.shareId ?? null,
    details: {
      kind: grant.kind, documents: live.map((d) => ({ id: d.id, version: d.versionNumber })), recipients: recipients.map((r) => r.recipient),
      ...(grant.portalId ? { portalId: grant.portalId, portalGrantId: grant.portalGrantId } : {}), needToKnow: grant.needToKnow,
    },
  }, tx);
}

/**
 * A grant that waited for two-person approval is released when approved: its criminal intelligence goes
 * into the dissemination log then (not at creation: a refused grant released nothing), naming the
 * approving administrator as the one who released it. In the approval's own transaction.
 */
export async function releaseApprovedGrantTx(tx: Tx, p: Principal, ref: { kind: 'share' | 'portal'; id: string }) {
  if (ref.kind === 'share') {
    const s = await tx.share.findFirstOrThrow({
      where: { id: ref.id, orgId: p.orgId },
      select: { audience: true, allowedDomains: true, needToKnow: true, recipients: { select: { email: true } }, documents: { select: { documentId: true } } },
    });
    const docs = await criminalIntelDocs(p.orgId, s.documents.map((d) => d.documentId), tx);
    const recipients = s.recipients.map((r) => r.email);
    await logGrantReleases(tx, p, docs, { kind: 'SHARE_GRANT', shareId: ref.id, audience: s.audience, recipients, allowedDomains: s.allowedDomains, needToKnow: s.needToKnow });
    return;
  }
  const g = await tx.portalGrant.findFirstOrThrow({
    where: { id: ref.id, orgId: p.orgId },
    select: { portalId: true, allSections: true, emails: true, domains: true, partnerOrgId: true, groups: true, needToKnow: true, sections: { select: { sectionId: true } } },
  });
  const covered = await tx.portalSectionDocument.findMany({
    where: { section: { portalId: g.portalId, ...(g.allSections ? {} : { id: { in: g.sections.map((x) => x.sectionId) } }) } }, select: { documentId: true },
  });
  const docs = await criminalIntelDocs(p.orgId, covered.map((d) => d.documentId), tx);
  await logGrantReleases(tx, p, docs, {
    kind: 'PORTAL_GRANT', portalId: g.portalId, portalGrantId: ref.id, audience: 'GRANTEES', recipients: g.emails, allowedDomains: g.domains,
    partnerOrgId: g.partnerOrgId, groups: g.groups, needToKnow: g.needToKnow,
  });
}
