import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, type Principal } from '../auth/principal';
import type { Tlp } from '../generated/prisma/enums';
import { TLP_DISPLAY } from '../shares/tlp';
import { RELEASE_PROBLEM_TEXT, releaseProblem, tlpScope, type GrantReach, type PartnerScopeFacts, type ReleaseProblem, type TlpScope } from '../policy/tlp-scope';

/**
 * TLP 2.0 at the moments a grant changes (docs/CLASSIFICATION.md). The rules themselves are the pure
 * ones in lib/policy/tlp-scope.ts, which the guest loaders also feed to decideAccess on every request:
 * here they are applied when a share or portal grant is created, when its recipients change, when a
 * document is added to a portal section, and when a new version is uploaded to a shared document.
 */

export const partnersOf = (db: Tx, orgId: string): Promise<PartnerScopeFacts[]> =>
  db.partnerOrg.findMany({ where: { orgId }, select: { id: true, domains: true, tlpCeiling: true }, orderBy: { id: 'asc' } });

export async function scopeOf(db: Tx, orgId: string, reach: GrantReach): Promise<TlpScope> {
  const [org, partners] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { tlpCeiling: true } }),
    partnersOf(db, orgId),
  ]);
  return tlpScope(org.tlpCeiling, partners, reach);
}

export interface MarkedDocument { id: string; title: string; tlp: Tlp | null }

/** Each document's current marking (null: no version yet, nothing to serve). Another organisation's documents are not found. */
export async function markedDocuments(db: Tx, orgId: string, ids: readonly string[]): Promise<MarkedDocument[]> {
  const unique = [...new Set(ids)];
  const docs = await db.document.findMany({
    where: { id: { in: unique }, orgId },
    select: { id: true, title: true, versions: { orderBy: { number: 'desc' }, take: 1, select: { tlp: true } } },
  });
  if (docs.length !== unique.length) throw new AppError('not_found', 'One or more documents do not exist.');
  return docs.map((d) => ({ id: d.id, title: d.title, tlp: d.versions[0]?.tlp ?? null }));
}

export interface BlockedDocument { id: string; title: string; tlp: Tlp; problem: ReleaseProblem }

/**
 * The documents a grant of this scope could never release, even once approved. A RED document only
 * waiting for approval is not blocked here: the grant is created pending instead (./approval.ts).
 */
export function blockedDocuments(scope: TlpScope, docs: readonly MarkedDocument[]): BlockedDocument[] {
  const out: BlockedDocument[] = [];
  for (const d of docs) {
    if (!d.tlp) continue;
    const problem = releaseProblem(scope, true, d.tlp);
    if (problem) out.push({ id: d.id, title: d.title, tlp: d.tlp, problem });
  }
  return out;
}

export function describeBlocked(blocked: readonly BlockedDocument[], scope: TlpScope): string {
  return blocked.map((b) => `"${b.title}" (${TLP_DISPLAY[b.tlp]}) may not go to these recipients: ${b.problem === 'above_ceiling' ? `${RELEASE_PROBLEM_TEXT.above_ceiling} (${TLP_DISPLAY[scope.ceiling]})` : RELEASE_PROBLEM_TEXT[b.problem]}.`).join(' ');
}

/**
 * Refuses (403 forbidden, audited as a denied `type`) a grant of this reach over these documents when
 * any of them may not reach it. Returns the scope for the caller's own record.
 */
export async function assertReleasable(p: Principal, type: string, reach: GrantReach, docs: readonly MarkedDocument[], audit: { shareId?: string | null; details?: Record<string, unknown> } = {}): Promise<TlpScope> {
  const scope = await scopeOf(prisma(), p.orgId, reach);
  const blocked = blockedDocuments(scope, docs);
  if (blocked.length) {
    await recordAudit({
      orgId: p.orgId, type, actor: actorOf(p), request: p.request, shareId: audit.shareId ?? null, outcome: 'denied', reason: 'tlp_scope',
      details: { ...audit.details, ceiling: scope.ceiling, partnerIds: scope.partnerIds, blocked: blocked.map((b) => ({ documentId: b.id, tlp: b.tlp, problem: b.problem })) },
    });
    throw new AppError('forbidden', describeBlocked(blocked, scope));
  }
  return scope;
}

/** A live grant of a document that a version marked `tlp` would put beyond what the grant may release. */
export interface BlockingGrant { kind: 'share' | 'portal'; id: string; problem: ReleaseProblem }

/**
 * Every live share and portal grant that holds the document and could not release a version so marked:
 * above its ceiling (organisation and partners), AMBER+STRICT beyond one named partner, RED to more
 * than named addresses or without an approval. Uploading such a version is refused (see
 * lib/documents/service.ts); the policy would refuse to serve it anyway.
 */
export async function grantsBlockingTlp(orgId: string, documentId: string, tlp: Tlp, now = new Date(), opts: { sectionId?: string } = {}): Promise<BlockingGrant[]> {
  const db = prisma();
  const [org, partners, shares, grants] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { tlpCeiling: true } }),
    partnersOf(db, orgId),
    opts.sectionId ? Promise.resolve([]) : db.share.findMany({
      where: { orgId, state: 'ACTIVE', expiresAt: { gt: now }, documents: { some: { documentId } } },
      select: { id: true, audience: true, allowedDomains: true, approvalState: true, recipients: { select: { email: true } } },
    }),
    db.portalGrant.findMany({
      where: {
        orgId, state: 'ACTIVE', expiresAt: { gt: now }, portal: { archivedAt: null },
        // The grants covering the document now, or (a document about to be added) the given section.
        OR: opts.sectionId
          ? [{ allSections: true, portal: { sections: { some: { id: opts.sectionId } } } }, { allSections: false, sections: { some: { sectionId: opts.sectionId } } }]
          : [
            { allSections: true, portal: { sections: { some: { documents: { some: { documentId } } } } } },
            { allSections: false, sections: { some: { section: { documents: { some: { documentId } } } } } },
          ],
      },
      select: { id: true, emails: true, domains: true, partnerOrgId: true, groups: true, approvalState: true },
    }),
  ]);
  const out: BlockingGrant[] = [];
  for (const s of shares) {
    const scope = tlpScope(org.tlpCeiling, partners, { link: s.audience === 'ANYONE_WITH_LINK', recipients: s.recipients.map((r) => r.email), domains: s.allowedDomains });
    const problem = releaseProblem(scope, s.approvalState === 'APPROVED', tlp);
    if (problem) out.push({ kind: 'share', id: s.id, problem });
  }
  for (const g of grants) {
    const scope = tlpScope(org.tlpCeiling, partners, { link: false, recipients: g.emails, domains: g.domains, partnerOrgId: g.partnerOrgId, groups: g.groups });
    const problem = releaseProblem(scope, g.approvalState === 'APPROVED', tlp);
    if (problem) out.push({ kind: 'portal', id: g.id, problem });
  }
  return out;
}

export interface GrantTlpView { ceiling: Tlp; namedPartnerId: string | null; namedOnly: boolean; partnerIds: string[] }

/** A share's or portal grant's TLP scope as it stands now (what the policy would apply to its next request). */
export async function grantTlpScope(p: Principal, ref: { kind: 'share' | 'portal'; id: string }): Promise<GrantTlpView> {
  if (!p.scopes.has(ref.kind === 'share' ? 'shares:read' : 'portals:read')) throw new AppError('forbidden', 'Your role does not allow this action.');
  const db = prisma();
  let reach: GrantReach;
  if (ref.kind === 'share') {
    const s = await db.share.findFirst({ where: { id: ref.id, orgId: p.orgId }, select: { audience: true, allowedDomains: true, recipients: { select: { email: true } } } });
    if (!s) throw new AppError('not_found', 'No such share.');
    reach = { link: s.audience === 'ANYONE_WITH_LINK', recipients: s.recipients.map((r) => r.email), domains: s.allowedDomains };
  } else {
    const g = await db.portalGrant.findFirst({ where: { id: ref.id, orgId: p.orgId }, select: { emails: true, domains: true, partnerOrgId: true, groups: true } });
    if (!g) throw new AppError('not_found', 'No such portal grant.');
    reach = { link: false, recipients: g.emails, domains: g.domains, partnerOrgId: g.partnerOrgId, groups: g.groups };
  }
  const scope = await scopeOf(db, p.orgId, reach);
  return { ceiling: scope.ceiling, namedPartnerId: scope.namedOrg?.id ?? null, namedOnly: scope.namedOnly, partnerIds: scope.partnerIds };
}
