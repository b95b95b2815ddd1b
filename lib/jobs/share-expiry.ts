import { sha256Hex } from '../crypto/secrets';
import { prisma } from '../db/client';
import { log } from '../log';
import { normaliseEmail } from '../mail/address';
import { enqueueMail } from '../mail/enqueue';
import { liveOwner, shareFactsSelect, shareWhat } from '../notifications/share-facts';
import { consoleLink, emitEvent } from '../webhooks/emit';

const DAY = 86_400_000;

/**
 * Expiry reminders: for every active share that expires within its organisation's reminderDays, one
 * mail to its owner and one to each recipient. The dedupe key holds the expiry, so each reminder goes
 * once however often this runs, and a share extended after its reminder gets a new one when the new
 * expiry comes near. Shares that were created inside the reminder window (a two-day share, say) are
 * skipped: their owner just chose that expiry.
 */
export async function sendShareExpiryReminders(now = new Date()): Promise<number> {
  const orgs = await prisma().organization.findMany({ where: { reminderDays: { gt: 0 } }, select: { id: true, reminderDays: true } });
  let sent = 0;
  for (const org of orgs) {
    const window = org.reminderDays * DAY;
    const shares = await prisma().share.findMany({
      where: { orgId: org.id, state: 'ACTIVE', expiresAt: { gt: now, lte: new Date(now.getTime() + window) } },
      select: shareFactsSelect,
      take: 1000,
    });
    for (const s of shares) {
      if (s.expiresAt.getTime() - s.createdAt.getTime() <= window) continue;
      const what = shareWhat(s);
      const stamp = s.expiresAt.toISOString();
      const owner = liveOwner(s);
      try {
        if (owner) {
          const r = await enqueueMail({ orgId: org.id, to: { name: owner.name, address: owner.email }, template: 'share_expiry_reminder', data: { shareId: s.id, what, expiresAt: s.expiresAt, audience: 'owner' }, dedupeKey: `share_expiry:${s.id}:${stamp}:owner` });
          if (!r.duplicate) sent++;
        }
        for (const r of s.recipients) {
          let address: string;
          try {
            address = normaliseEmail(r.email).address;
          } catch {
            continue;
          }
          const m = await enqueueMail({ orgId: org.id, to: address, template: 'share_expiry_reminder', data: { shareId: s.id, what, expiresAt: s.expiresAt, audience: 'recipient' }, dedupeKey: `share_expiry:${s.id}:${stamp}:${sha256Hex(address).slice(0, 32)}` });
          if (!m.duplicate) sent++;
        }
      } catch (e) {
        // One share's bad data must not hold back every other reminder.
        log.error({ err: e, shareId: s.id }, 'expiry reminder could not be queued');
      }
    }
  }
  return sent;
}

/** `share.expired` events for shares that expired in the last two days (once per share and expiry). */
export async function announceExpiredShares(now = new Date()): Promise<number> {
  const orgs = await prisma().webhook.findMany({ where: { enabled: true, events: { has: 'share.expired' } }, select: { orgId: true }, distinct: ['orgId'] });
  let n = 0;
  for (const { orgId } of orgs) {
    const shares = await prisma().share.findMany({ where: { orgId, state: 'ACTIVE', expiresAt: { lte: now, gt: new Date(now.getTime() - 2 * DAY) } }, select: shareFactsSelect, take: 1000 });
    for (const s of shares) {
      const what = shareWhat(s);
      n += await emitEvent(orgId, 'share.expired', {
        data: { share: { id: s.id, url: consoleLink(`/shares/${s.id}`), expiresAt: s.expiresAt.toISOString(), documents: s.documents.map((d) => ({ id: d.document.id, title: d.document.title })) } },
        summary: { title: `Share of “${what}” expired`, facts: [['Expired', s.expiresAt.toISOString()]], url: consoleLink(`/shares/${s.id}`) },
      }, undefined, { dedupeKey: `share.expired:${s.id}:${s.expiresAt.toISOString()}` });
    }
  }
  return n;
}
