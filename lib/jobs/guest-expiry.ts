import { prisma } from '../db/client';
import { log } from '../log';
import { recordAudit } from '../audit/record';
import { enqueueMail } from '../mail/enqueue';
import { notifyGuestRevoked } from '../notifications/notify';

const DAY = 86_400_000;

/**
 * Registered guests whose own expiry passed are disabled (the policy already refuses them from that
 * instant; this records it, audits it and tells the webhooks). Run by the scheduler; safe to run
 * twice or on several instances, since only guests not yet disabled are updated, one by one.
 */
export async function disableExpiredGuests(now = new Date()): Promise<number> {
  const due = await prisma().guest.findMany({ where: { disabledAt: null, expiresAt: { lte: now } }, select: { id: true, orgId: true, email: true }, take: 1000 });
  let n = 0;
  for (const g of due) {
    const won = await prisma().guest.updateMany({ where: { id: g.id, disabledAt: null }, data: { disabledAt: now, disabledReason: 'expired', revocationEpoch: { increment: 1 } } });
    if (won.count !== 1) continue;
    n++;
    await recordAudit({ orgId: g.orgId, type: 'guest.disable', actor: { type: 'system', id: null, label: 'guest expiry' }, request: { ip: null, userAgent: null }, reason: 'expired', details: { guestId: g.id, email: g.email } });
    await notifyGuestRevoked(g.orgId, g, 'guest expiry', 'The guest account reached its expiry.');
  }
  return n;
}

/** Registered guests whose account expires within their organisation's reminderDays get one mail per expiry. */
export async function sendGuestExpiryReminders(now = new Date()): Promise<number> {
  const orgs = await prisma().organization.findMany({ where: { reminderDays: { gt: 0 } }, select: { id: true, reminderDays: true } });
  let sent = 0;
  for (const org of orgs) {
    const guests = await prisma().guest.findMany({
      where: { orgId: org.id, kind: 'REGISTERED', disabledAt: null, email: { not: null }, expiresAt: { gt: now, lte: new Date(now.getTime() + org.reminderDays * DAY) } },
      select: { id: true, email: true, expiresAt: true, createdAt: true },
      take: 1000,
    });
    for (const g of guests) {
      // An account created inside the window (a short invitation) needs no reminder: its expiry was just chosen.
      if (g.expiresAt!.getTime() - g.createdAt.getTime() <= org.reminderDays * DAY) continue;
      try {
        const r = await enqueueMail({ orgId: org.id, to: g.email!, template: 'guest_expiry_reminder', data: { expiresAt: g.expiresAt! }, dedupeKey: `guest_expiry:${g.id}:${g.expiresAt!.toISOString()}` });
        if (!r.duplicate) sent++;
      } catch (e) {
        log.error({ err: e, guestId: g.id }, 'guest expiry reminder could not be queued');
      }
    }
  }
  return sent;
}
