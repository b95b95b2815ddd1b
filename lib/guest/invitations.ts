import { prisma, type Tx } from '../db/client';
import { config } from '../config';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { randomToken, sha256Hex } from '../crypto/secrets';
import { normaliseEmail } from '../mail/address';
import { enqueueMail } from '../mail/enqueue';
import { shareTitle } from './share-title';

/** An invitation link stays valid this long (and never past its share's expiry). */
export const INVITATION_DAYS = 14;
const DAY = 86_400_000;

export interface InvitationView {
  id: string; shareId: string; email: string; state: 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';
  sentCount: number; lastSentAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null; createdAt: Date;
}

type Row = { id: string; shareId: string; email: string; state: 'PENDING' | 'ACCEPTED' | 'REVOKED'; sentCount: number; lastSentAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null; createdAt: Date };

export function invitationView(r: Row, now = new Date()): InvitationView {
  const state = r.state === 'PENDING' && r.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : r.state;
  return { id: r.id, shareId: r.shareId, email: r.email, state, sentCount: r.sentCount, lastSentAt: r.lastSentAt, expiresAt: r.expiresAt, acceptedAt: r.acceptedAt, revokedAt: r.revokedAt, createdAt: r.createdAt };
}

export const invitationUrl = (secret: string) => `${config().publicUrl}/i/${secret}`;
const invitationExpiry = (shareExpiresAt: Date, now = Date.now()) => new Date(Math.min(now + INVITATION_DAYS * DAY, shareExpiresAt.getTime()));

interface ShareForInvite { id: string; orgId: string; expiresAt: Date }
interface Inviter { id: string | null; name: string }

async function mailInvitation(tx: Tx, share: ShareForInvite, email: string, secret: string, inviter: Inviter, message: string | null, expiresAt: Date) {
  await enqueueMail({
    orgId: share.orgId, to: email, template: 'invitation',
    data: { url: invitationUrl(secret), inviterName: inviter.name, what: await shareTitle(share.id, tx), message, expiresAt },
  }, tx);
}

/**
 * Invites each address that has no live invitation to the share yet (pending and unexpired, or
 * accepted): a fresh single-use secret, stored as SHA-256, mailed as `<public URL>/i/<secret>`. Part of
 * the caller's transaction, so mails go out only if the share or change commits.
 */
export async function createInvitationsTx(tx: Tx, share: ShareForInvite, emails: readonly string[], inviter: Inviter, message: string | null, p: Principal): Promise<string[]> {
  const now = new Date();
  const live = await tx.guestInvitation.findMany({
    where: { shareId: share.id, email: { in: [...emails] }, OR: [{ state: 'ACCEPTED' }, { state: 'PENDING', expiresAt: { gt: now } }] },
    select: { email: true },
  });
  const skip = new Set(live.map((l) => l.email));
  const ids: string[] = [];
  for (const email of new Set(emails)) {
    if (skip.has(email)) continue;
    const secret = randomToken(32);
    const expiresAt = invitationExpiry(share.expiresAt, now.getTime());
    const inv = await tx.guestInvitation.create({ data: { shareId: share.id, email, secretHash: sha256Hex(secret), message, createdById: inviter.id, expiresAt } });
    await mailInvitation(tx, share, email, secret, inviter, message, expiresAt);
    await recordAudit({ orgId: share.orgId, type: 'invitation.create', actor: actorOf(p), request: p.request, shareId: share.id, details: { invitationId: inv.id, email } }, tx);
    ids.push(inv.id);
  }
  return ids;
}

/** Revokes the live invitations of addresses no longer named on the share. */
export async function revokeInvitationsTx(tx: Tx, share: ShareForInvite, keep: readonly string[], p: Principal): Promise<void> {
  const gone = await tx.guestInvitation.findMany({ where: { shareId: share.id, state: { not: 'REVOKED' }, email: { notIn: [...keep] } }, select: { id: true, email: true } });
  if (!gone.length) return;
  await tx.guestInvitation.updateMany({ where: { id: { in: gone.map((g) => g.id) } }, data: { state: 'REVOKED', revokedAt: new Date() } });
  for (const g of gone) {
    await recordAudit({ orgId: share.orgId, type: 'invitation.revoke', actor: actorOf(p), request: p.request, shareId: share.id, details: { invitationId: g.id, email: g.email, why: 'recipient removed' } }, tx);
  }
}

const inviterOf = async (p: Principal): Promise<Inviter> => ({ id: p.kind === 'staff' ? p.userId : null, name: p.kind === 'staff' ? p.name : `API key ${p.name}` });

async function invitableShare(tx: Tx, p: Principal, shareId: string) {
  const s = await tx.share.findFirst({ where: { id: shareId, orgId: p.orgId }, select: { id: true, orgId: true, expiresAt: true, state: true, audience: true } });
  if (!s) throw new AppError('not_found', 'No such share.');
  if (s.state === 'REVOKED') throw new AppError('conflict', 'This share has been revoked.');
  if (s.expiresAt.getTime() <= Date.now()) throw new AppError('conflict', 'This share has expired.');
  if (s.audience !== 'INVITED') throw new AppError('conflict', 'Only a share for invited people takes invitations. Change its audience to “Invited people only” first.');
  return s;
}

/** GraphQL inviteGuests: names the addresses on the share and invites the ones not invited yet. */
export async function inviteGuests(p: Principal, shareId: string, emails: string[], message?: string | null): Promise<InvitationView[]> {
  authorize(p, 'shares:write');
  if (!Array.isArray(emails) || emails.length === 0 || emails.length > 50) throw new AppError('validation_failed', 'emails: between 1 and 50 addresses.');
  const addresses = [...new Set(emails.map((e) => normaliseEmail(e).address))];
  const note = message?.toString().replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim().slice(0, 2000) || null;
  const ids = await prisma().$transaction(async (tx) => {
    const share = await invitableShare(tx, p, shareId);
    const named = await tx.shareRecipient.count({ where: { shareId } });
    const existing = new Set((await tx.shareRecipient.findMany({ where: { shareId, email: { in: addresses } }, select: { email: true } })).map((r) => r.email));
    const fresh = addresses.filter((a) => !existing.has(a));
    if (named + fresh.length > 50) throw new AppError('validation_failed', 'A share names at most 50 people.');
    if (fresh.length) await tx.shareRecipient.createMany({ data: fresh.map((email) => ({ shareId, email })) });
    await createInvitationsTx(tx, share, addresses, await inviterOf(p), note, p);
    return addresses;
  });
  const rows = await prisma().guestInvitation.findMany({ where: { shareId, email: { in: ids } }, orderBy: { createdAt: 'desc' } });
  const latest = new Map<string, Row>();
  for (const r of rows) if (!latest.has(r.email)) latest.set(r.email, r);
  return [...latest.values()].map((r) => invitationView(r));
}

async function loadInvitation(tx: Tx, p: Principal, id: string) {
  const inv = await tx.guestInvitation.findFirst({ where: { id, share: { orgId: p.orgId } }, include: { share: { select: { id: true, orgId: true, expiresAt: true, state: true } } } });
  if (!inv) throw new AppError('not_found', 'No such invitation.');
  return inv;
}

/** Sends a pending (or expired, never accepted) invitation again with a new secret: the old link stops working. */
export async function resendInvitation(p: Principal, id: string): Promise<InvitationView> {
  authorize(p, 'shares:write');
  const row = await prisma().$transaction(async (tx) => {
    const inv = await loadInvitation(tx, p, id);
    if (inv.state !== 'PENDING') throw new AppError('conflict', inv.state === 'ACCEPTED' ? 'This invitation was already accepted.' : 'This invitation was revoked; invite the person again.');
    await invitableShare(tx, p, inv.shareId);
    const secret = randomToken(32);
    const expiresAt = invitationExpiry(inv.share.expiresAt);
    const updated = await tx.guestInvitation.update({ where: { id }, data: { secretHash: sha256Hex(secret), expiresAt, sentCount: { increment: 1 }, lastSentAt: new Date() } });
    await mailInvitation(tx, inv.share, inv.email, secret, await inviterOf(p), inv.message, expiresAt);
    await recordAudit({ orgId: p.orgId, type: 'invitation.resend', actor: actorOf(p), request: p.request, shareId: inv.shareId, details: { invitationId: id, email: inv.email } }, tx);
    return updated;
  });
  return invitationView(row);
}

/** Revokes an invitation: its link stops working, and an accepted one no longer lets its guest in (at once). */
export async function revokeInvitation(p: Principal, id: string): Promise<InvitationView> {
  authorize(p, 'shares:write');
  const row = await prisma().$transaction(async (tx) => {
    const inv = await loadInvitation(tx, p, id);
    if (inv.state === 'REVOKED') return inv;
    const updated = await tx.guestInvitation.update({ where: { id }, data: { state: 'REVOKED', revokedAt: new Date() } });
    await recordAudit({ orgId: p.orgId, type: 'invitation.revoke', actor: actorOf(p), request: p.request, shareId: inv.shareId, details: { invitationId: id, email: inv.email, wasAccepted: inv.state === 'ACCEPTED' } }, tx);
    return updated;
  });
  return invitationView(row);
}

export async function listInvitations(p: Principal, shareId: string): Promise<InvitationView[]> {
  authorize(p, 'shares:read');
  const share = await prisma().share.findFirst({ where: { id: shareId, orgId: p.orgId }, select: { id: true } });
  if (!share) throw new AppError('not_found', 'No such share.');
  const rows = await prisma().guestInvitation.findMany({ where: { shareId }, orderBy: [{ createdAt: 'desc' }] });
  return rows.map((r) => invitationView(r));
}
