import { prisma, type Tx } from '../db/client';
import { config } from '../config';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { hashSecret } from '../crypto/password';
import { randomToken, sha256Hex } from '../crypto/secrets';
import { parseCidrList } from '../policy/cidr';
import { requireTermsVersion } from '../terms/service';
import { audienceRules, createShareInput, listSharesInput, updateShareInput } from './input';
import { sealText } from '../crypto/seal-text';
import { createInvitationsTx, revokeInvitationsTx } from '../guest/invitations';
import { z } from 'zod';
import { shareStatus, statusWhere } from './status';
import { assertReleasable, markedDocuments } from '../governance/tlp';
import { approvalRequired, requestApprovalTx, withdrawApprovalTx } from '../governance/approval';
import { reevaluateShareSockets, rescopeRoom, shareRoom } from '../realtime/revocation';
import { endShareSessions } from './revocation';
import { relationsSelect } from './relations';
import { after, invalidCursor } from '../db/keyset';
import { notifyRevoked, notifyShareCreated } from '../notifications/notify';
import { assertCriminalIntelReleasable, logGrantReleases } from '../cfr/sharing';

const DAY = 86_400_000;

export const shareUrl = (token: string) => `${config().publicUrl}/s/${token}`;

/** The link token, sealed to its hash, so invitations sent later can lead to the share. */
const sealLink = (tokenHash: string, token: string) => sealText('share-links', tokenHash, token);

const inviterOf = (p: Principal) => ({ id: p.kind === 'staff' ? p.userId : null, name: p.kind === 'staff' ? p.name : `API key ${p.name}` });

export async function orgPolicy(orgId: string) {
  return prisma().organization.findUniqueOrThrow({ where: { id: orgId }, select: { defaultShareDays: true, maxShareDays: true, tlpCeiling: true } });
}

export function checkExpiry(expiresAt: Date, maxDays: number, now: Date) {
  if (expiresAt.getTime() <= now.getTime()) throw new AppError('validation_failed', 'expiresAt: the expiry must be in the future.');
  if (expiresAt.getTime() > now.getTime() + maxDays * DAY) {
    throw new AppError('validation_failed', `expiresAt: your organisation allows shares of at most ${maxDays} days.`);
  }
}

/** Who a share reaches, as lib/policy/tlp-scope.ts reads it. */
const reachOf = (s: { audience: string; recipients: readonly string[]; allowedDomains: readonly string[] }) =>
  ({ link: s.audience === 'ANYONE_WITH_LINK', recipients: s.recipients, domains: s.allowedDomains });

/**
 * Creates a share and returns its link, whose secret exists only in this answer. The password is
 * hashed and the terms checked before anything is written, and everything commits together: a share
 * is never live without the conditions it was asked to have.
 */
export async function createShare(p: Principal, raw: unknown) {
  authorize(p, 'shares:write');
  const input = createShareInput.parse(raw);
  const now = new Date();
  const policy = await orgPolicy(p.orgId);
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + policy.defaultShareDays * DAY);
  checkExpiry(expiresAt, policy.maxShareDays, now);
  // Every document must belong to the organisation, and its marking may reach these recipients
  // (ceilings of the organisation and of every partner reached, AMBER+STRICT, RED: docs/CLASSIFICATION.md).
  const docs = await markedDocuments(prisma(), p.orgId, input.documentIds);
  const documentIds = docs.map((d) => d.id);
  await assertReleasable(p, 'share.create', reachOf(input), docs, { details: { documentIds, recipients: input.recipients, audience: input.audience, allowedDomains: input.allowedDomains } });
  const needToKnow = input.needToKnow || null;
  // Criminal intelligence: only to law-enforcement partners, with a need-to-know statement (28 CFR Part 23).
  const cji = await assertCriminalIntelReleasable(p, documentIds, [{ ...input, needToKnow }], { type: 'share.create', details: { documentIds, audience: input.audience, recipients: input.recipients } });
  const allowedIpRanges = parseCidrList(input.allowedIpRanges);
  if (input.termsVersionId) await requireTermsVersion(p.orgId, input.termsVersionId);
  const passwordHash = input.password ? await hashSecret(input.password) : null;
  const token = randomToken(32);
  const tokenHash = sha256Hex(token);
  const share = await prisma().$transaction(async (tx) => {
    const s = await tx.share.create({
      data: {
        audience: input.audience, allowedDomains: input.allowedDomains, linkSealed: sealLink(tokenHash, token),
        orgId: p.orgId, createdById: p.kind === 'staff' ? p.userId : null, method: 'LINK',
        permission: input.permission, allowDownload: input.allowDownload, allowPrint: input.allowPrint, watermark: input.watermark,
        expiresAt, passwordHash, termsVersionId: input.termsVersionId ?? null, message: input.message || null,
        allowedIpRanges, allowedCountries: input.allowedCountries, allowedDevices: input.allowedDevices, requireDevice: input.requireDevice,
        showGuestPresence: input.showGuestPresence, keepPartiesApart: input.keepPartiesApart, needToKnow,
        tokenHash,
        documents: { create: documentIds.map((documentId) => ({ documentId })) },
        recipients: { create: input.recipients.map((email) => ({ email })) },
      },
    });
    await recordAudit({
      orgId: p.orgId, type: 'share.create', actor: actorOf(p), request: p.request, shareId: s.id,
      details: {
        documentIds, permission: s.permission, allowDownload: s.allowDownload, allowPrint: s.allowPrint, watermark: s.watermark,
        expiresAt: s.expiresAt.toISOString(), password: Boolean(passwordHash), termsVersionId: s.termsVersionId,
        allowedIpRanges, allowedCountries: s.allowedCountries, allowedDevices: s.allowedDevices, requireDevice: s.requireDevice, recipients: input.recipients,
        audience: s.audience, allowedDomains: s.allowedDomains,
        showGuestPresence: s.showGuestPresence, keepPartiesApart: s.keepPartiesApart,
        ...(needToKnow ? { needToKnow } : {}),
      },
    }, tx);
    // RED or criminal intelligence (approvalRequired): pending until a second administrator approves.
    const reasons = await approvalRequired(tx, p.orgId, documentIds);
    if (reasons.length) {
      await requestApprovalTx(tx, p, { kind: 'share', id: s.id }, reasons, { subject: docs.map((d) => d.title).join(', '), recipients: [...input.recipients, ...input.allowedDomains.map((d) => `@${d}`)] });
      s.approvalState = 'PENDING';
    } else {
      // Released now: criminal intelligence goes into the dissemination log (a pending grant is logged when approved).
      await logGrantReleases(tx, p, cji, { kind: 'SHARE_GRANT', shareId: s.id, audience: s.audience, recipients: input.recipients, allowedDomains: s.allowedDomains, needToKnow });
      // Nobody is invited to material that waits for approval: the invitations go out when it is approved.
      if (s.audience === 'INVITED') await createInvitationsTx(tx, s, input.recipients, inviterOf(p), s.message, p);
    }
    return s;
  });
  await notifyShareCreated(share.id);
  return { share: { ...share, status: shareStatus(share, now) }, url: shareUrl(token), token };
}

async function loadShare(tx: Tx, orgId: string, id: string) {
  const s = await tx.share.findFirst({ where: { id, orgId } });
  if (!s) throw new AppError('not_found', 'No such share.');
  return s;
}

/** Changes a share. A new or removed password, or new terms, ends the sessions opened before it. */
export async function updateShare(p: Principal, id: string, raw: unknown) {
  authorize(p, 'shares:write');
  const input = updateShareInput.parse(raw);
  const now = new Date();
  const policy = await orgPolicy(p.orgId);
  const current = await loadShare(prisma(), p.orgId, id);
  if (current.state === 'REVOKED') throw new AppError('conflict', 'A revoked share cannot be changed.');
  if (input.expiresAt) checkExpiry(input.expiresAt, policy.maxShareDays, now);
  const allowedIpRanges = input.allowedIpRanges ? parseCidrList(input.allowedIpRanges) : undefined;
  if (input.termsVersionId) await requireTermsVersion(p.orgId, input.termsVersionId);
  const currentRecipients = (await prisma().shareRecipient.findMany({ where: { shareId: id }, select: { email: true } })).map((r) => r.email);
  // The audience's rules hold for the share as it will be, not only for the fields sent.
  const next = {
    audience: input.audience ?? current.audience,
    password: input.password === undefined ? (current.passwordHash ? 'set' : null) : input.password,
    recipients: input.recipients ?? currentRecipients,
    allowedDomains: input.allowedDomains ?? current.allowedDomains,
    needToKnow: input.needToKnow === undefined ? current.needToKnow : input.needToKnow || null,
  };
  const problems = z.object({}).passthrough().superRefine((_, ctx) => audienceRules(next, ctx)).safeParse({});
  if (!problems.success) throw problems.error;
  // Criminal intelligence in the share: the share as it will be must still meet the rule.
  const sharedIds = (await prisma().shareDocument.findMany({ where: { shareId: id }, select: { documentId: true } })).map((d) => d.documentId);
  const cji = await assertCriminalIntelReleasable(p, sharedIds, [next], { type: 'share.update', shareId: id, details: { changed: Object.keys(input) } });
  const newRecipients = next.recipients.filter((r) => !currentRecipients.includes(r));
  // Who the share reaches may change: its documents' markings must still be allowed to reach them, and
  // reaching anyone new with material that needs approval asks for it again (until then: pending).
  const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const before = { recipients: lower(currentRecipients), domains: lower(current.allowedDomains) };
  const widens = next.audience !== current.audience
    || next.recipients.some((r) => !before.recipients.has(r.toLowerCase()))
    || next.allowedDomains.some((d) => !before.domains.has(d.toLowerCase()));
  let reasons: Awaited<ReturnType<typeof approvalRequired>> = [];
  const sharedDocs = widens ? await markedDocuments(prisma(), p.orgId, sharedIds) : [];
  if (widens) {
    await assertReleasable(p, 'share.update', reachOf(next), sharedDocs, { shareId: id, details: { recipients: next.recipients, audience: next.audience, allowedDomains: next.allowedDomains } });
    reasons = await approvalRequired(prisma(), p.orgId, sharedDocs.map((d) => d.id));
  }
  const passwordHash = input.password === undefined ? undefined : input.password === null ? null : await hashSecret(input.password);
  const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  const updated = await prisma().$transaction(async (tx) => {
    const s = await tx.share.update({
      where: { id, orgId: p.orgId },
      data: {
        audience: input.audience, allowedDomains: input.allowedDomains,
        permission: input.permission, allowDownload: input.allowDownload, allowPrint: input.allowPrint, watermark: input.watermark,
        expiresAt: input.expiresAt, allowedIpRanges, allowedCountries: input.allowedCountries, allowedDevices: input.allowedDevices,
        requireDevice: input.requireDevice,
        showGuestPresence: input.showGuestPresence, keepPartiesApart: input.keepPartiesApart,
        needToKnow: input.needToKnow === undefined ? undefined : input.needToKnow || null,
        message: input.message === undefined ? undefined : input.message || null,
        termsVersionId: input.termsVersionId,
        ...(passwordHash !== undefined ? { passwordHash, passwordEpoch: { increment: 1 } } : {}),
        ...(input.recipients ? { recipients: { deleteMany: {}, create: input.recipients.map((email) => ({ email })) } } : {}),
      },
    });
    await recordAudit({
      orgId: p.orgId, type: input.expiresAt && changed.length === 1 ? 'share.extend' : 'share.update', actor: actorOf(p), request: p.request, shareId: id,
      details: { changed, ...(input.expiresAt ? { from: current.expiresAt.toISOString(), expiresAt: input.expiresAt.toISOString() } : {}), ...(passwordHash !== undefined ? { password: passwordHash ? 'changed' : 'removed' } : {}), ...(input.audience ? { audience: input.audience } : {}), ...(input.requireDevice !== undefined ? { requireDevice: input.requireDevice } : {}),
        ...(input.showGuestPresence !== undefined ? { showGuestPresence: input.showGuestPresence } : {}), ...(input.keepPartiesApart !== undefined ? { keepPartiesApart: input.keepPartiesApart } : {}),
        // 28 CFR Part 23: the statement releases are logged under is part of the record, before and after.
        ...(input.needToKnow !== undefined && next.needToKnow !== current.needToKnow ? { needToKnow: { from: current.needToKnow, to: next.needToKnow }, criminalIntelligence: cji.filter((d) => !d.purged).map((d) => d.id) } : {}) },
    }, tx);
    if (reasons.length) {
      await requestApprovalTx(tx, p, { kind: 'share', id }, reasons, { subject: sharedDocs.map((d) => d.title).join(', '), recipients: [...next.recipients, ...next.allowedDomains.map((d) => `@${d}`)] });
      s.approvalState = 'PENDING';
    } else if (newRecipients.length && s.approvalState !== 'PENDING') {
      // Newly named recipients of criminal intelligence are releases too (when approval is needed: once approved).
      await logGrantReleases(tx, p, cji, { kind: 'SHARE_GRANT', shareId: id, audience: next.audience, recipients: newRecipients, allowedDomains: next.allowedDomains, needToKnow: next.needToKnow });
    }
    // An invited audience keeps its invitations in step with the people named on the share (new ones
    // only once approved, when the share waits for approval).
    if (s.audience === 'INVITED') {
      await revokeInvitationsTx(tx, s, next.recipients, p);
      if (s.approvalState !== 'PENDING') await createInvitationsTx(tx, s, next.recipients, inviterOf(p), s.message, p);
    }
    return s;
  });
  if (passwordHash !== undefined) await endShareSessions(id, 'password_changed');
  // New real-time flags: every socket of the share joins again under them (an information barrier holds at once).
  else if (updated.keepPartiesApart !== current.keepPartiesApart || updated.showGuestPresence !== current.showGuestPresence) rescopeRoom(shareRoom(id));
  // A narrower permission, a shorter expiry or new conditions: live sockets are decided again at once.
  else void reevaluateShareSockets(id);
  return { ...updated, status: shareStatus(updated, now) };
}

/** Revokes a share at once: every session's epoch is now stale, and live sockets are cut. */
export async function revokeShare(p: Principal, id: string, reason?: string | null) {
  authorize(p, 'shares:write');
  const cleanReason = reason?.toString().trim().slice(0, 500) || null;
  const updated = await prisma().$transaction(async (tx) => {
    const s = await loadShare(tx, p.orgId, id);
    if (s.state === 'REVOKED') return s;
    const r = await tx.share.update({ where: { id, orgId: p.orgId }, data: { state: 'REVOKED', revokedAt: new Date(), revokedReason: cleanReason, revocationEpoch: { increment: 1 } } });
    await recordAudit({ orgId: p.orgId, type: 'share.revoke', actor: actorOf(p), request: p.request, shareId: id, reason: cleanReason, details: {} }, tx);
    // A share revoked while it waited for a second administrator: its request leaves the queue.
    if (s.approvalState === 'PENDING') {
      await withdrawApprovalTx(tx, p, { kind: 'share', id }, cleanReason);
      r.approvalState = 'WITHDRAWN';
    }
    return r;
  });
  await endShareSessions(id, 'revoked');
  await notifyRevoked(id);
  return { ...updated, status: shareStatus(updated) };
}

const shareListInclude = relationsSelect;

export async function listShares(p: Principal, raw: unknown) {
  authorize(p, 'shares:read');
  const q = listSharesInput.parse(raw ?? {});
  const now = new Date();
  // A filter naming a document outside the organisation is not_found, the same answer as asking for
  // that document, or for one that does not exist at all.
  if (q.documentId && !(await prisma().document.findFirst({ where: { id: q.documentId, orgId: p.orgId }, select: { id: true } }))) {
    throw new AppError('not_found', 'No such document.');
  }
  const position = q.after ? await prisma().share.findFirst({ where: { id: q.after, orgId: p.orgId }, select: { id: true, createdAt: true } }) : null;
  if (q.after && !position) throw invalidCursor();
  const rows = await prisma().share.findMany({
    where: {
      orgId: p.orgId, ...statusWhere(q.status, now),
      ...(q.documentId ? { documents: { some: { documentId: q.documentId } } } : {}),
      ...(q.q ? { OR: [
        { recipients: { some: { email: { contains: q.q, mode: 'insensitive' as const } } } },
        { documents: { some: { document: { title: { contains: q.q, mode: 'insensitive' as const } } } } },
        { message: { contains: q.q, mode: 'insensitive' as const } },
      ] } : {}),
      ...(position ? { AND: [after(position)] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.first + 1,
    include: shareListInclude,
  });
  const hasNextPage = rows.length > q.first;
  const nodes = rows.slice(0, q.first).map((s) => ({ ...s, status: shareStatus(s, now) }));
  return { nodes, hasNextPage, endCursor: nodes.length ? nodes[nodes.length - 1].id : null };
}

export async function getShare(p: Principal, id: string) {
  authorize(p, 'shares:read');
  const s = await prisma().share.findFirst({ where: { id, orgId: p.orgId }, include: { ...shareListInclude, sessions: { orderBy: { createdAt: 'desc' }, take: 50, include: { guest: { select: { email: true, kind: true } } } } } });
  if (!s) throw new AppError('not_found', 'No such share.');
  return { ...s, status: shareStatus(s) };
}

/** Organisation policy for shares (admin). */
export async function updateSharePolicy(p: Principal, raw: { defaultShareDays: number; maxShareDays: number }) {
  authorize(p, 'admin');
  const { defaultShareDays, maxShareDays } = raw;
  if (!Number.isInteger(defaultShareDays) || !Number.isInteger(maxShareDays) || defaultShareDays < 1 || maxShareDays < 1 || maxShareDays > 3650 || defaultShareDays > maxShareDays) {
    throw new AppError('validation_failed', 'Days must be whole numbers, at least 1, with the default no longer than the maximum (at most 3650).');
  }
  return prisma().$transaction(async (tx) => {
    const org = await tx.organization.update({ where: { id: p.orgId }, data: { defaultShareDays, maxShareDays } });
    await recordAudit({ orgId: p.orgId, type: 'org.share_policy', actor: actorOf(p), request: p.request, details: { defaultShareDays, maxShareDays } }, tx);
    return org;
  });
}
