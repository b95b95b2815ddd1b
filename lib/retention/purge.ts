import { prisma, type Tx } from '../db/client';
import { recordAudit, type Actor } from '../audit/record';
import { log } from '../log';
import { removeStoredFiles } from '../storage/remove';
import { guestPseudonym, ipPseudonym, pseudonymAddress } from './pseudonym';
import type { PlannedDocument, PlannedGuest, PlannedSession, PlannedShare, RetentionPlan } from './plan';

const DAY = 86_400_000;

export interface PurgeResult { documents: number; shares: number; guests: number; sessions: number; skipped: number }

/*
 * Carrying out a plan. Each object goes in its own short transaction, with its `retention.purge` event
 * in the same transaction (nothing goes unrecorded, and a failed event leaves the object in place).
 * Inside, the object is read again and the rule checked once more: between the plan and the purge a
 * document may have had a new version or joined a new share, and then it stays.
 */

async function purgeDocument(orgId: string, d: PlannedDocument, actor: Actor, now: Date): Promise<boolean> {
  const gone = await prisma().$transaction(async (tx) => {
    const doc = await tx.document.findFirst({
      where: { id: d.id, orgId },
      select: {
        id: true, title: true,
        versions: { select: { id: true, number: true, blobKey: true, sha256: true, size: true, tlp: true, createdAt: true } },
        proposals: { select: { blobKey: true, acceptedVersionId: true } },
        shares: { where: { share: { state: 'ACTIVE', expiresAt: { gt: now } } }, select: { shareId: true } },
        portalSections: { where: { section: { portal: { archivedAt: null } } }, select: { sectionId: true } },
      },
    });
    if (!doc || !doc.versions.length || doc.shares.length || doc.portalSections.length) return null;
    const newest = doc.versions.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
    if (newest.createdAt.getTime() >= now.getTime() - d.days * DAY) return null;
    await tx.document.delete({ where: { id: doc.id } });
    await recordAudit({
      orgId, type: 'retention.purge', actor, documentId: doc.id, reason: 'retention_period',
      details: {
        kind: 'document', title: doc.title, tlp: d.tlp, days: d.days, lastUploadAt: newest.createdAt.toISOString(),
        versions: doc.versions.sort((a, b) => a.number - b.number).map((v) => ({ version: v.number, sha256: v.sha256, size: Number(v.size), tlp: v.tlp })),
        ...(doc.proposals.length ? { proposals: doc.proposals.length } : {}),
      },
    }, tx);
    return { versions: doc.versions, proposalBlobs: doc.proposals.filter((x) => !x.acceptedVersionId).map((x) => x.blobKey) };
  });
  if (!gone) return false;
  // The rows are gone and the purge is recorded: now the encrypted content itself.
  await removeStoredFiles(gone.versions, gone.proposalBlobs);
  return true;
}

async function purgeShare(orgId: string, s: PlannedShare, actor: Actor, now: Date): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const share = await tx.share.findFirst({
      where: { id: s.id, orgId },
      select: { id: true, state: true, expiresAt: true, revokedAt: true, updatedAt: true, documents: { select: { documentId: true } }, _count: { select: { sessions: true, recipients: true, invitations: true } } },
    });
    if (!share) return false;
    const endedAt = share.state === 'REVOKED' ? (share.revokedAt ?? share.updatedAt) : share.expiresAt;
    // Extended or reopened since the plan: not due any more.
    if (share.state === 'ACTIVE' && share.expiresAt > now) return false;
    if (endedAt.getTime() >= now.getTime() - s.days * DAY) return false;
    await tx.share.delete({ where: { id: share.id } });
    await recordAudit({
      orgId, type: 'retention.purge', actor, shareId: share.id, reason: 'retention_period',
      details: {
        kind: 'share', state: s.state, tlp: s.tlp, days: s.days, endedAt: endedAt.toISOString(),
        documentIds: share.documents.map((x) => x.documentId),
        sessions: share._count.sessions, recipients: share._count.recipients, invitations: share._count.invitations,
      },
    }, tx);
    return true;
  });
}

/**
 * Replaces what identifies a guest with a stable pseudonym: address, name, IdP subject and credentials
 * on the guest; IP address and browser on its sessions and terms acceptances; the name on its comments,
 * questions, proposals and note edits; the address on its invitations. Pending one-time codes for the
 * address go. The guest is disabled (an anonymised guest cannot sign in again as who they were).
 */
export async function anonymiseGuest(tx: Tx, orgId: string, guestId: string, now: Date) {
  const g = await tx.guest.findFirst({ where: { id: guestId, orgId, anonymisedAt: null }, select: { id: true, email: true } });
  if (!g) return null;
  const pseudonym = guestPseudonym(orgId, g.id);
  const name = `Anonymised guest ${pseudonym}`;
  await tx.guest.update({
    where: { id: g.id },
    data: {
      email: null, displayName: name, externalSubject: null, passwordHash: null, totpSecret: null, totpLastStep: null, groups: [],
      disabledAt: now, disabledReason: 'anonymised', revocationEpoch: { increment: 1 }, anonymisedAt: now,
    },
  });
  const sessions = await tx.guestSession.findMany({ where: { guestId: g.id }, select: { id: true, ip: true } });
  for (const s of sessions) await tx.guestSession.update({ where: { id: s.id }, data: { ip: ipPseudonym(orgId, s.ip), userAgent: null, anonymisedAt: now } });
  const acceptances = await tx.termsAcceptance.findMany({ where: { guestId: g.id }, select: { id: true, ip: true } });
  for (const a of acceptances) await tx.termsAcceptance.update({ where: { id: a.id }, data: { ip: ipPseudonym(orgId, a.ip), userAgent: null } });
  const comments = await tx.comment.findMany({ where: { orgId, authorGuestId: g.id }, select: { id: true, ip: true } });
  for (const c of comments) await tx.comment.update({ where: { id: c.id }, data: { authorName: name, ip: c.ip ? ipPseudonym(orgId, c.ip) : null } });
  const questions = await tx.question.findMany({ where: { orgId, askerGuestId: g.id }, select: { id: true, ip: true } });
  for (const q of questions) await tx.question.update({ where: { id: q.id }, data: { askerName: name, ip: q.ip ? ipPseudonym(orgId, q.ip) : null } });
  await tx.versionProposal.updateMany({ where: { orgId, guestId: g.id }, data: { guestName: name } });
  await tx.noteUpdate.updateMany({ where: { authorGuestId: g.id, note: { orgId } }, data: { authorName: name } });
  await tx.guestInvitation.updateMany({ where: { guestId: g.id, share: { orgId } }, data: { email: pseudonymAddress(pseudonym) } });
  if (g.email) {
    await tx.emailCode.deleteMany({ where: { email: g.email, OR: [{ share: { orgId } }, { portal: { orgId } }] } });
    // Mail already sent or kept in the outbox to that address; mail still waiting to go is left to go.
    await tx.mailMessage.deleteMany({ where: { orgId, to: g.email, OR: [{ jobId: null }, { job: { status: { in: ['DONE', 'FAILED'] } } }] } });
  }
  return { pseudonym, sessions: sessions.length, comments: comments.length, questions: questions.length };
}

async function purgeGuest(orgId: string, pg: PlannedGuest, actor: Actor, now: Date): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    // Active again since the plan: kept.
    const live = await tx.guestSession.count({ where: { guestId: pg.id, lastSeenAt: { gte: new Date(now.getTime() - pg.days * DAY) } } });
    const g = await tx.guest.findFirst({ where: { id: pg.id, orgId }, select: { lastSeenAt: true } });
    if (live || !g || (g.lastSeenAt && g.lastSeenAt.getTime() >= now.getTime() - pg.days * DAY)) return false;
    const done = await anonymiseGuest(tx, orgId, pg.id, now);
    if (!done) return false;
    await recordAudit({
      orgId, type: 'retention.purge', actor, reason: 'retention_period',
      details: { kind: 'guest', guestId: pg.id, pseudonym: done.pseudonym, days: pg.days, lastActivityAt: pg.lastActivityAt.toISOString(), sessions: done.sessions, comments: done.comments, questions: done.questions },
    }, tx);
    return true;
  });
}

async function purgeSessions(orgId: string, sessions: PlannedSession[], days: number, actor: Actor, now: Date): Promise<number> {
  if (!sessions.length) return 0;
  return prisma().$transaction(async (tx) => {
    const rows = await tx.guestSession.findMany({
      where: { id: { in: sessions.map((s) => s.id) }, anonymisedAt: null, lastSeenAt: { lt: new Date(now.getTime() - days * DAY) }, guest: { orgId } },
      select: { id: true, ip: true },
    });
    for (const s of rows) await tx.guestSession.update({ where: { id: s.id }, data: { ip: ipPseudonym(orgId, s.ip), userAgent: null, anonymisedAt: now } });
    if (rows.length) {
      await recordAudit({ orgId, type: 'retention.purge', actor, reason: 'retention_period', details: { kind: 'sessions', days, count: rows.length, sessionIds: rows.map((s) => s.id) } }, tx);
    }
    return rows.length;
  });
}

/** Carries out a plan (lib/retention/run.ts makes it). */
export async function applyPlan(plan: RetentionPlan, actor: Actor): Promise<PurgeResult> {
  const { orgId, at: now } = plan;
  const r: PurgeResult = { documents: 0, shares: 0, guests: 0, sessions: 0, skipped: 0 };
  // Shares first: a document whose last ended share goes in this run is then free to go too.
  for (const s of plan.shares) (await purgeShare(orgId, s, actor, now)) ? r.shares++ : r.skipped++;
  for (const d of plan.documents) (await purgeDocument(orgId, d, actor, now)) ? r.documents++ : r.skipped++;
  for (const g of plan.guests) (await purgeGuest(orgId, g, actor, now)) ? r.guests++ : r.skipped++;
  if (plan.policy.sessionDays !== null) r.sessions = await purgeSessions(orgId, plan.sessions, plan.policy.sessionDays, actor, now);
  log.info({ orgId, ...r }, 'retention run');
  return r;
}
