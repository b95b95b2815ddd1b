import { prisma } from '../db/client';
import { AppError, isAppError, isDatabaseDown } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { idSchema } from '../http/ids';
import { log } from '../log';
import type { Action } from '../policy';
import type { ServedVersion } from '../guest/facts';

/** The grant a guest was served under: a share, or the portal grant that allowed the request. */
export interface ServedUnder {
  shareId?: string | null;
  portalId?: string | null;
  /** Portal grants that allowed the request; the first with a statement is the one recorded. */
  portalGrantIds?: readonly string[];
}

export interface ServedTo { orgId: string; sessionId: string; guestId: string; email: string | null }

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * Records a release of criminal intelligence to a guest before it is served (lib/guest/access.ts and
 * lib/portals/guest-access.ts call this once the policy allowed). What counts as a release:
 *  - every download (each request of the original file);
 *  - the first view of a version in a session (the viewer page or any of its page images): later pages
 *    and reloads in the same session are the same release, so they are not logged again.
 * Listing a document's title is not a release. Fails closed: when the entry cannot be written, nothing
 * is served (audit_unavailable, 503).
 */
export async function logServedRelease(action: Action, version: ServedVersion | null, to: ServedTo, under: ServedUnder): Promise<void> {
  if (!version?.document.criminalIntel || (action !== 'view' && action !== 'download')) return;
  try {
    const kind = action === 'download' ? 'DOWNLOAD' as const : 'VIEW' as const;
    const dedupeKey = kind === 'VIEW' ? `view:${to.sessionId}:${version.id}` : null;
    if (dedupeKey && await prisma().criminalIntelRelease.findUnique({ where: { dedupeKey }, select: { id: true } })) return;
    const grant = await grantOf(to.orgId, under);
    const partner = await partnerOf(to);
    await prisma().criminalIntelRelease.createMany({
      data: [{
        orgId: to.orgId, documentId: version.documentId, versionId: version.id, versionNumber: version.number, kind,
        releasedById: grant.createdById, releasedBy: grant.createdBy, recipient: to.email ?? `guest ${to.guestId}`, guestId: to.guestId,
        partnerOrgId: partner?.id ?? null, partnerOrgName: partner?.name ?? null, sessionId: to.sessionId,
        shareId: under.shareId ?? null, portalId: under.portalId ?? null, portalGrantId: grant.portalGrantId, needToKnow: grant.needToKnow, dedupeKey,
      }],
      skipDuplicates: true,
    });
  } catch (e) {
    if (isAppError(e) || isDatabaseDown(e)) throw e;
    log.error({ err: (e as Error)?.message, documentId: version.documentId }, 'criminal-intelligence release not logged');
    throw new AppError('audit_unavailable', 'The release could not be recorded, so nothing was served. Try again shortly.', { retryAfterSeconds: 2, cause: e });
  }
}

async function grantOf(orgId: string, under: ServedUnder) {
  if (under.shareId) {
    const s = await prisma().share.findFirst({ where: { id: under.shareId, orgId }, select: { needToKnow: true, createdById: true, createdBy: { select: { email: true } } } });
    return { needToKnow: s?.needToKnow ?? '', createdById: s?.createdById ?? null, createdBy: s?.createdBy?.email ?? 'unknown (staff member removed or API key)', portalGrantId: null };
  }
  const grants = await prisma().portalGrant.findMany({ where: { id: { in: [...(under.portalGrantIds ?? [])] }, orgId }, select: { id: true, needToKnow: true, createdById: true } });
  const g = grants.find((x) => x.needToKnow?.trim()) ?? grants[0];
  const staff = g?.createdById ? await prisma().staffUser.findUnique({ where: { id: g.createdById }, select: { email: true } }) : null;
  return { needToKnow: g?.needToKnow ?? '', createdById: g?.createdById ?? null, createdBy: staff?.email ?? 'unknown (staff member removed or API key)', portalGrantId: g?.id ?? null };
}

async function partnerOf(to: ServedTo) {
  const guest = await prisma().guest.findUnique({ where: { id: to.guestId }, select: { partnerOrgId: true } });
  const partners = await prisma().partnerOrg.findMany({ where: { orgId: to.orgId }, select: { id: true, name: true, domains: true } });
  return partners.find((p) => p.id === guest?.partnerOrgId) ?? (to.email ? partners.find((p) => p.domains.includes(domainOf(to.email!))) : undefined) ?? null;
}

/** A document's dissemination log, newest first (admins and auditors: audit:read). */
export async function listReleases(p: Principal, documentId: string, opts: { take?: number } = {}) {
  authorize(p, 'audit:read');
  idSchema.parse(documentId);
  const doc = await prisma().document.findFirst({ where: { id: documentId, orgId: p.orgId }, select: { id: true, title: true, criminalIntel: { select: { purgedAt: true } } } });
  if (!doc) throw new AppError('not_found', 'No such document.');
  const rows = await prisma().criminalIntelRelease.findMany({
    where: { orgId: p.orgId, documentId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: Math.min(Math.max(opts.take ?? 1000, 1), 5000),
  });
  return { document: { id: doc.id, title: doc.title, marked: doc.criminalIntel != null, purged: doc.criminalIntel?.purgedAt != null }, releases: rows };
}

const KIND_LABEL = { SHARE_GRANT: 'Share created', PORTAL_GRANT: 'Portal access granted', VIEW: 'Viewed', DOWNLOAD: 'Downloaded' } as const;
export const releaseKindLabel = (k: keyof typeof KIND_LABEL) => KIND_LABEL[k];

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
const cell = (v: unknown) => {
  let s = v == null ? '' : v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The dissemination log as CSV: who released, to whom, when, why, which version. */
export async function releasesCsv(p: Principal, documentId: string) {
  const { document, releases } = await listReleases(p, documentId, { take: 5000 });
  const head = ['when', 'kind', 'released_by', 'recipient', 'partner_organisation', 'need_to_know', 'version', 'version_id', 'share_id', 'portal_id', 'portal_grant_id', 'guest_id', 'session_id'];
  const lines = releases.map((r) => [r.createdAt, KIND_LABEL[r.kind], r.releasedBy, r.recipient, r.partnerOrgName, r.needToKnow, r.versionNumber, r.versionId, r.shareId, r.portalId, r.portalGrantId, r.guestId, r.sessionId].map(cell).join(','));
  return { document, csv: [head.join(','), ...lines].join('\r\n') + '\r\n' };
}
