import { prisma } from '../db/client';
import { isAppError } from '../errors';
import { decideAcrossGrants } from '../policy';
import { toVersionFacts, type GuestRequest } from '../guest/facts';
import { currentVersions } from '../guest/versions';
import { authorizePortalGuest, type PortalGuestContext } from './guest-access';
import { termsToAccept } from './terms-needed';
import type { PortalRow } from './portal-lookup';

export interface PortalDoc {
  id: string; title: string; mediaType: string | null; size: number | null; fileName: string | null; pages: number | null;
  tlp: string | null; allowDownload: boolean;
}
export interface PortalSectionView { id: string; name: string; documents: PortalDoc[] }
export interface ActivityItem { at: Date; type: string; outcome: string; documentTitle: string | null }
export interface TermsToAccept { id: string; title: string; body: string; version: number }

export type PortalLanding =
  | { kind: 'signin' }
  | { kind: 'blocked'; reason: string; message: string }
  | { kind: 'terms'; terms: TermsToAccept[]; identity: string }
  | { kind: 'home'; ctx: PortalGuestContext; sections: PortalSectionView[]; total: number; activity: ActivityItem[]; query: string; expiresAt: Date | null };

/** Whether any live grant of the portal requires a device: its sign-in page then enrols this browser's key. */
export async function portalNeedsDevice(portalId: string): Promise<boolean> {
  return (await prisma().portalGrant.count({ where: { portalId, requireDevice: true, state: 'ACTIVE', expiresAt: { gt: new Date() } } })) > 0;
}

/** Reasons a signed-in guest is shown as such (with the policy's message); anything else means "sign in". */
const BLOCKING = new Set(['revoked', 'expired', 'ip_denied', 'geo_denied', 'device_denied', 'guest_disabled', 'email_required', 'sso_required']);

/**
 * What a portal's home shows this visitor: the sign-in form, why they are refused, the terms to accept,
 * or the sections and documents the policy lets them list (each entry decided on its own, with its
 * current version, so a document above a grant's ceiling is not even named), their recent activity in
 * this portal, and the result of a title search.
 */
export async function portalLanding(portal: PortalRow, request: GuestRequest, token: string | null, rawQuery = '', hosts?: readonly string[]): Promise<PortalLanding> {
  if (!token) return { kind: 'signin' };
  let ctx: PortalGuestContext;
  try {
    ctx = await authorizePortalGuest(token, request, 'list', portal, { hosts });
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'terms_required') return termsGate(portal, request, token, hosts);
    if (BLOCKING.has(e.code)) return { kind: 'blocked', reason: e.code, message: e.message };
    return { kind: 'signin' };
  }
  const query = rawQuery.trim().slice(0, 100).toLowerCase();
  const sections = await visibleSections(ctx, query);
  const total = sections.reduce((n, s) => n + s.documents.length, 0);
  const visible = sections;
  const liveGrants = ctx.loaded.grants.filter((g) => ctx.grantIds.includes(g.id));
  const expiresAt = liveGrants.length ? new Date(Math.max(...liveGrants.map((g) => g.expiresAt.getTime()))) : null;
  return { kind: 'home', ctx, sections: visible, total, activity: await recentActivity(ctx), query, expiresAt };
}

/**
 * The sections and documents this guest may list, each entry its own policy decision with its current
 * version; with a query, only titles or file names containing it. Sections the guest has nothing in
 * are left out: their names are the organisation's business.
 */
export async function visibleSections(ctx: Pick<PortalGuestContext, 'orgId' | 'loaded' | 'facts'>, query = ''): Promise<PortalSectionView[]> {
  const allIds = [...new Set(ctx.loaded.sections.flatMap((s) => s.documentIds))];
  const versions = new Map((await currentVersions(ctx.orgId, allIds)).map((d) => [d.id, d]));
  const decide = (documentId: string, action: 'list' | 'download') => {
    const v = versions.get(documentId)?.version ?? null;
    return decideAcrossGrants(ctx.loaded.grants, { ...ctx.facts, action, documentId, version: toVersionFacts(v) }).allow;
  };
  const sections: PortalSectionView[] = [];
  for (const s of ctx.loaded.sections) {
    const documents: PortalDoc[] = [];
    for (const id of s.documentIds) {
      const d = versions.get(id);
      if (!d?.version || !decide(id, 'list')) continue;
      const v = d.version;
      if (query && !d.title.toLowerCase().includes(query) && !v.fileName.toLowerCase().includes(query)) continue;
      documents.push({ id, title: d.title, mediaType: v.mediaType, size: Number(v.size), fileName: v.fileName, pages: v.pages, tlp: v.tlp, allowDownload: decide(id, 'download') });
    }
    if (documents.length) sections.push({ id: s.id, name: s.name, documents });
  }
  return sections;
}

async function termsGate(portal: PortalRow, request: GuestRequest, token: string, hosts?: readonly string[]): Promise<PortalLanding> {
  const gate = await termsToAccept(portal, request, token, { quiet: true, hosts }).catch(() => null);
  if (!gate) return { kind: 'signin' };
  const rows = await prisma().termsVersion.findMany({ where: { id: { in: gate.needed } }, orderBy: { createdAt: 'asc' } });
  return { kind: 'terms', identity: gate.ctx.identity, terms: rows.map((t) => ({ id: t.id, title: t.title, body: t.body, version: t.version })) };
}

/** This guest's own last events in this portal (never anyone else's). */
async function recentActivity(ctx: PortalGuestContext): Promise<ActivityItem[]> {
  const events = await prisma().$queryRaw<Array<{ at: Date; type: string; outcome: string; documentId: string | null }>>`
    SELECT "at", "type", "outcome", "documentId" FROM "AuditEvent"
    WHERE "orgId" = ${ctx.orgId} AND "actorId" = ${ctx.guestId} AND "details"->>'portalId' = ${ctx.portal.id}
      AND "type" IN ('guest.session', 'guest.view', 'guest.download', 'terms.accept')
    ORDER BY "seq" DESC LIMIT 8`;
  const ids = [...new Set(events.map((e) => e.documentId).filter((x): x is string => Boolean(x)))];
  const titles = new Map((await prisma().document.findMany({ where: { id: { in: ids }, orgId: ctx.orgId }, select: { id: true, title: true } })).map((d) => [d.id, d.title]));
  return events.map((e) => ({ at: e.at, type: e.type, outcome: e.outcome, documentTitle: e.documentId ? titles.get(e.documentId) ?? null : null }));
}
