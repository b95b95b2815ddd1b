import { sha256Hex } from '../crypto/secrets';
import { prisma } from '../db/client';
import { log } from '../log';
import { enqueueMail } from '../mail/enqueue';
import { normaliseEmail } from '../mail/address';
import { consoleLink, emitEvent } from '../webhooks/emit';
import { liveOwner, loadShareFacts, shareWhat, type ShareFacts } from './share-facts';

/** Notifications never break what triggered them: a guest still gets in, a share is still revoked. */
async function safely(what: string, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (e) {
    log.error({ err: e, what }, 'notification could not be queued');
  }
}

const shareData = (s: ShareFacts) => ({
  share: {
    id: s.id, url: consoleLink(`/shares/${s.id}`), expiresAt: s.expiresAt.toISOString(),
    documents: s.documents.map((d) => ({ id: d.document.id, title: d.document.title })), documentCount: s._count.documents,
    owner: s.createdBy ? { id: s.createdBy.id, email: s.createdBy.email } : null,
  },
});

export interface AccessFacts { ip?: string | null; country?: string | null }

/**
 * A guest opened a share for the first time: a mail to the share's owner (when the organisation
 * wants it) and a `guest.access` event. Once per guest and share, whoever calls it how often: the
 * dedupe key is the share and the guest's label (an email, or "Anyone with the link" for all
 * anonymous link sessions).
 */
export async function notifyFirstAccess(shareId: string, guestLabel: string, at: Date, facts: AccessFacts = {}): Promise<void> {
  await safely('first_access', async () => {
    const s = await loadShareFacts(prisma(), shareId);
    if (!s) return;
    const key = `first_access:${shareId}:${sha256Hex(guestLabel.trim().toLowerCase()).slice(0, 32)}`;
    const what = shareWhat(s);
    const owner = liveOwner(s);
    if (s.org.notifyFirstAccess && owner) {
      await enqueueMail({ orgId: s.orgId, to: { name: owner.name, address: owner.email }, template: 'first_access', data: { shareId, what, guestLabel, at, ip: facts.ip ?? null, country: facts.country ?? null }, dedupeKey: key });
    }
    await emitEvent(s.orgId, 'guest.access', {
      data: { ...shareData(s), guest: guestLabel, at: at.toISOString(), ip: facts.ip ?? null, country: facts.country ?? null },
      summary: { title: `${guestLabel} opened “${what}”`, text: 'First access to this share.', facts: [['Guest', guestLabel], ['When', at.toISOString()], ...(facts.ip ? [['From', facts.ip] as [string, string]] : [])], url: consoleLink(`/shares/${shareId}`) },
    }, undefined, { dedupeKey: key });
  });
}

/**
 * A share was revoked: a `share.revoked` event, and (when the organisation wants it) a mail to each
 * recipient and each identified guest who opened it. Each address is told once per share.
 */
export async function notifyRevoked(shareId: string): Promise<void> {
  await safely('revoked', async () => {
    const s = await loadShareFacts(prisma(), shareId);
    if (!s || s.state !== 'REVOKED') return;
    const what = shareWhat(s);
    const revokedAt = s.revokedAt ?? new Date();
    await emitEvent(s.orgId, 'share.revoked', {
      data: { ...shareData(s), revokedAt: revokedAt.toISOString(), reason: s.revokedReason },
      summary: { title: `Share of “${what}” revoked`, text: s.revokedReason ? `Reason: ${s.revokedReason}` : undefined, facts: [['Revoked', revokedAt.toISOString()], ['Recipients', String(s.recipients.length)]], url: consoleLink(`/shares/${shareId}`) },
    }, undefined, { dedupeKey: `share.revoked:${shareId}` });
    if (!s.org.notifyGuestOnRevoke) return;
    const guests = await prisma().guest.findMany({ where: { orgId: s.orgId, email: { not: null }, sessions: { some: { shareId } } }, select: { email: true } });
    const addresses = new Map<string, string>();
    for (const raw of [...s.recipients.map((r) => r.email), ...guests.map((g) => g.email!)]) {
      try {
        const n = normaliseEmail(raw);
        addresses.set(n.address, n.address);
      } catch {
        log.warn({ shareId }, 'revocation notice skipped for an address that is not valid');
      }
    }
    for (const address of addresses.values()) {
      await enqueueMail({ orgId: s.orgId, to: address, template: 'access_revoked', data: { what, revokedAt }, dedupeKey: `access_revoked:${shareId}:${sha256Hex(address).slice(0, 32)}` });
    }
  });
}

/** A share was created: a `share.created` event. */
export async function notifyShareCreated(shareId: string): Promise<void> {
  await safely('share.created', async () => {
    const s = await loadShareFacts(prisma(), shareId);
    if (!s) return;
    const what = shareWhat(s);
    await emitEvent(s.orgId, 'share.created', {
      data: { ...shareData(s), recipients: s.recipients.map((r) => r.email) },
      summary: {
        title: `${s.createdBy?.name ?? 'An integration'} shared “${what}”`,
        facts: [['Expires', s.expiresAt.toISOString()], ...(s.recipients.length ? [['Recipients', s.recipients.map((r) => r.email).join(', ').slice(0, 300)] as [string, string]] : [])],
        url: consoleLink(`/shares/${shareId}`),
      },
    }, undefined, { dedupeKey: `share.created:${shareId}` });
  });
}

/**
 * A guest was refused (wrong password, network, country…): a `guest.access_denied` event, at most
 * one per share, reason and minute, so a burst of guesses makes one message, not hundreds.
 */
export async function notifyAccessDenied(orgId: string, shareId: string, reason: string, facts: AccessFacts = {}): Promise<void> {
  const minute = Math.floor(Date.now() / 60_000);
  const key = `denied:${shareId}:${reason}:${minute}`;
  // A burst of refusals (a guessing attack) costs one database visit per share, reason and minute on
  // this instance; the dedupe key in the queue still makes it one event across instances.
  if (!firstThisMinute(key, minute)) return;
  await safely('guest.access_denied', async () => {
    if (!(await prisma().webhook.count({ where: { orgId, enabled: true, events: { has: 'guest.access_denied' } } }))) return;
    const s = await loadShareFacts(prisma(), shareId);
    if (!s || s.orgId !== orgId) return;
    const what = shareWhat(s);
    await emitEvent(orgId, 'guest.access_denied', {
      data: { ...shareData(s), reason, ip: facts.ip ?? null, country: facts.country ?? null, at: new Date().toISOString() },
      summary: { title: `Access to “${what}” refused: ${reason}`, facts: [['Reason', reason], ...(facts.ip ? [['From', facts.ip] as [string, string]] : [])], url: consoleLink(`/shares/${shareId}`) },
    }, undefined, { dedupeKey: key });
  });
}

const deniedSeen = new Map<string, number>();
function firstThisMinute(key: string, minute: number): boolean {
  if (deniedSeen.has(key)) return false;
  if (deniedSeen.size > 10_000) for (const [k, m] of deniedSeen) if (m < minute) deniedSeen.delete(k);
  deniedSeen.set(key, minute);
  return true;
}

/** A guest was disabled or their sessions ended: a `guest.revoked` event (the lead's guest code calls it). */
export async function notifyGuestRevoked(orgId: string, guest: { id: string; email?: string | null }, by: string, reason?: string): Promise<void> {
  await safely('guest.revoked', async () => {
    const label = guest.email ?? `guest ${guest.id}`;
    await emitEvent(orgId, 'guest.revoked', {
      data: { guest: { id: guest.id, email: guest.email ?? null }, by, reason: reason ?? null, at: new Date().toISOString() },
      summary: { title: `Guest ${label} revoked`, text: reason, facts: [['By', by]], url: consoleLink('/guests') },
    });
  });
}
