import { prisma } from '../db/client';
import type { Tlp } from '../generated/prisma/enums';
import { loadPolicy, TLPS, type RetentionPolicy } from './policy';

const DAY = 86_400_000;
/** Each run handles at most this many objects of each kind; the next run takes the rest. */
export const RETENTION_BATCH = 500;

const RANK: Record<Tlp, number> = { CLEAR: 0, GREEN: 1, AMBER: 2, AMBER_STRICT: 3, RED: 4 };
const highest = (list: Tlp[]): Tlp | null => list.reduce<Tlp | null>((a, b) => (a === null || RANK[b] > RANK[a] ? b : a), null);

export interface PlannedDocument { id: string; title: string; tlp: Tlp; lastUploadAt: Date; versions: number; bytes: number; days: number }
export interface HeldDocument { id: string; title: string; tlp: Tlp; lastUploadAt: Date; reason: 'in_active_share' | 'in_portal' }
export interface PlannedShare { id: string; title: string; tlp: Tlp | null; state: 'EXPIRED' | 'REVOKED'; endedAt: Date; days: number }
export interface PlannedGuest { id: string; label: string; kind: string; lastActivityAt: Date; days: number }
export interface PlannedSession { id: string; guestId: string; lastSeenAt: Date }

/** What a retention run would do for one organisation, now. A dry run shows it; a real run carries it out. */
export interface RetentionPlan {
  orgId: string;
  at: Date;
  policy: RetentionPolicy;
  documents: PlannedDocument[];
  heldDocuments: HeldDocument[];
  shares: PlannedShare[];
  guests: PlannedGuest[];
  sessions: PlannedSession[];
  /** A kind reached RETENTION_BATCH: more is due than one run handles. */
  truncated: boolean;
}

const cutoff = (now: Date, days: number) => new Date(now.getTime() - days * DAY);

/**
 * Documents whose newest version was uploaded longer ago than their marking's documentDays. A document
 * still exposed by a live share or listed in a portal is held, not purged: retention must never pull a
 * document out from under a guest who is entitled to it today (revoke or let the share end first).
 */
async function documentsDue(orgId: string, policy: RetentionPolicy, now: Date) {
  const set = TLPS.map((t) => policy.tlpRules[t].documentDays).filter((d): d is number => d !== null);
  if (!set.length) return { due: [], held: [] };
  // No document with a version newer than the shortest period can be due, whatever its marking.
  const rows = await prisma().document.findMany({
    where: { orgId, versions: { some: {}, none: { createdAt: { gte: cutoff(now, Math.min(...set)) } } } },
    select: { id: true, title: true, versions: { select: { tlp: true, createdAt: true, number: true, size: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: RETENTION_BATCH * 4,
  });
  const candidates: PlannedDocument[] = [];
  for (const d of rows) {
    const latest = d.versions.reduce((a, b) => (b.number > a.number ? b : a));
    const lastUploadAt = d.versions.reduce((a, b) => (b.createdAt > a ? b.createdAt : a), latest.createdAt);
    const days = policy.tlpRules[latest.tlp].documentDays;
    if (days === null || lastUploadAt >= cutoff(now, days)) continue;
    candidates.push({ id: d.id, title: d.title, tlp: latest.tlp, lastUploadAt, versions: d.versions.length, bytes: d.versions.reduce((n, v) => n + Number(v.size), 0), days });
  }
  const ids = candidates.map((c) => c.id);
  const [inShares, inPortals] = ids.length ? await Promise.all([
    prisma().shareDocument.findMany({ where: { documentId: { in: ids }, share: { state: 'ACTIVE', expiresAt: { gt: now } } }, select: { documentId: true } }),
    prisma().portalSectionDocument.findMany({ where: { documentId: { in: ids }, section: { portal: { archivedAt: null } } }, select: { documentId: true } }),
  ]) : [[], []];
  const shared = new Set(inShares.map((x) => x.documentId));
  const listed = new Set(inPortals.map((x) => x.documentId));
  const due: PlannedDocument[] = [];
  const held: HeldDocument[] = [];
  for (const c of candidates) {
    if (shared.has(c.id) || listed.has(c.id)) held.push({ id: c.id, title: c.title, tlp: c.tlp, lastUploadAt: c.lastUploadAt, reason: shared.has(c.id) ? 'in_active_share' : 'in_portal' });
    else if (due.length < RETENTION_BATCH) due.push(c);
  }
  return { due, held };
}

/**
 * Ended shares (revoked, or past their expiry) after their marking's shareDays. A share is marked by
 * the highest marking among its documents' current versions; a share whose documents are all gone
 * takes the longest shareDays of the policy (kept as long as any ended share would be).
 */
async function sharesDue(orgId: string, policy: RetentionPolicy, now: Date) {
  const set = TLPS.map((t) => policy.tlpRules[t].shareDays).filter((d): d is number => d !== null);
  if (!set.length) return [];
  const oldest = cutoff(now, Math.min(...set));
  const rows = await prisma().share.findMany({
    where: { orgId, OR: [{ state: 'REVOKED', revokedAt: { lt: oldest } }, { state: 'REVOKED', revokedAt: null, updatedAt: { lt: oldest } }, { state: 'ACTIVE', expiresAt: { lt: oldest } }] },
    select: {
      id: true, state: true, expiresAt: true, revokedAt: true, updatedAt: true,
      documents: { select: { document: { select: { title: true, versions: { orderBy: { number: 'desc' }, take: 1, select: { tlp: true } } } } } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: RETENTION_BATCH * 4,
  });
  const longest = Math.max(...set);
  const due: PlannedShare[] = [];
  for (const s of rows) {
    const tlp = highest(s.documents.flatMap((d) => d.document.versions.map((v) => v.tlp)));
    const days = tlp ? policy.tlpRules[tlp].shareDays : longest;
    const endedAt = s.state === 'REVOKED' ? (s.revokedAt ?? s.updatedAt) : s.expiresAt;
    if (days === null || endedAt >= cutoff(now, days)) continue;
    const titles = s.documents.map((d) => d.document.title);
    const title = titles.length ? (titles.length === 1 ? titles[0] : `${titles[0]} and ${titles.length - 1} more`) : 'Share with no documents left';
    due.push({ id: s.id, title, tlp, state: s.state === 'REVOKED' ? 'REVOKED' : 'EXPIRED', endedAt, days });
    if (due.length >= RETENTION_BATCH) break;
  }
  return due;
}

/** Guests not yet anonymised whose last activity (their own, or any session's) is older than guestDays. */
async function guestsDue(orgId: string, policy: RetentionPolicy, now: Date): Promise<PlannedGuest[]> {
  if (policy.guestDays === null) return [];
  const limit = cutoff(now, policy.guestDays);
  const rows = await prisma().guest.findMany({
    where: {
      orgId, anonymisedAt: null, createdAt: { lt: limit },
      OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: limit } }],
      sessions: { none: { lastSeenAt: { gte: limit } } },
    },
    select: { id: true, email: true, displayName: true, kind: true, createdAt: true, lastSeenAt: true, sessions: { orderBy: { lastSeenAt: 'desc' }, take: 1, select: { lastSeenAt: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: RETENTION_BATCH,
  });
  return rows.map((g) => ({
    id: g.id, kind: g.kind, days: policy.guestDays!,
    label: g.email ?? g.displayName ?? `guest ${g.id}`,
    lastActivityAt: [g.createdAt, g.lastSeenAt, g.sessions[0]?.lastSeenAt].filter((d): d is Date => d != null).reduce((a, b) => (b > a ? b : a)),
  }));
}

async function sessionsDue(orgId: string, policy: RetentionPolicy, now: Date): Promise<PlannedSession[]> {
  if (policy.sessionDays === null) return [];
  return prisma().guestSession.findMany({
    where: { anonymisedAt: null, lastSeenAt: { lt: cutoff(now, policy.sessionDays) }, guest: { orgId } },
    select: { id: true, guestId: true, lastSeenAt: true },
    orderBy: [{ lastSeenAt: 'asc' }, { id: 'asc' }],
    take: RETENTION_BATCH,
  });
}

/** Reads what is due under the organisation's current policy. Changes nothing. */
export async function planRetention(orgId: string, now = new Date(), policy?: RetentionPolicy): Promise<RetentionPlan> {
  const pol = policy ?? await loadPolicy(orgId);
  const [docs, shares, guests, sessions] = await Promise.all([documentsDue(orgId, pol, now), sharesDue(orgId, pol, now), guestsDue(orgId, pol, now), sessionsDue(orgId, pol, now)]);
  const truncated = [docs.due, shares, guests, sessions].some((l) => l.length >= RETENTION_BATCH);
  return { orgId, at: now, policy: pol, documents: docs.due, heldDocuments: docs.held, shares, guests, sessions, truncated };
}
