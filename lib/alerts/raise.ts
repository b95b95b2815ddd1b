import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { recordAudit } from '../audit/record';
import { log } from '../log';
import { enqueueMail } from '../mail/enqueue';
import { consoleLink, emitEvent } from '../webhooks/emit';
import { RULE_LABELS, type AlertRuleName } from './rules';

export const ALERT_ACTOR = { type: 'system' as const, id: null, label: 'anomaly alerts' };

export interface AlertDraft {
  rule: AlertRuleName;
  /** One alert per rule, subject and window: the key says which. */
  dedupeKey: string;
  subject: string;
  guestId?: string | null;
  shareId?: string | null;
  windowStart: Date;
  windowEnd: Date;
  /** One line for people: "x downloaded 21 documents in 10 minutes". */
  title: string;
  facts: Array<[string, string]>;
  details: Record<string, unknown>;
}

/**
 * Raises an alert once: the row (unique per organisation and dedupe key), its `alert.raised` audit
 * event, a webhook event and a mail to each active administrator, all in one transaction, so an alert
 * is either raised with everything that announces it or not at all (and the evaluator tries again).
 * Returns false when that alert was already raised.
 */
export async function raiseAlert(orgId: string, a: AlertDraft): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const [row] = await tx.alert.createManyAndReturn({
      data: [{
        orgId, rule: a.rule, dedupeKey: a.dedupeKey, subject: a.subject, guestId: a.guestId ?? null, shareId: a.shareId ?? null,
        windowStart: a.windowStart, windowEnd: a.windowEnd, details: { title: a.title, facts: a.facts, ...a.details } as Prisma.InputJsonValue,
      }],
      skipDuplicates: true,
      select: { id: true, raisedAt: true },
    });
    if (!row) return false;
    const label = RULE_LABELS[a.rule];
    const url = consoleLink(`/alerts?alert=${row.id}`);
    await recordAudit({
      orgId, type: 'alert.raised', actor: ALERT_ACTOR, shareId: a.shareId ?? null, reason: a.rule,
      details: { alertId: row.id, rule: a.rule, subject: a.subject, guestId: a.guestId ?? null, windowStart: a.windowStart.toISOString(), windowEnd: a.windowEnd.toISOString(), title: a.title, ...a.details },
    }, tx);
    await emitEvent(orgId, 'alert.raised', {
      data: { alert: { id: row.id, rule: a.rule, subject: a.subject, guestId: a.guestId ?? null, shareId: a.shareId ?? null, windowStart: a.windowStart.toISOString(), windowEnd: a.windowEnd.toISOString(), url, ...a.details } },
      summary: { title: `Alert: ${a.title}`, text: label, facts: a.facts, url },
    }, tx, { dedupeKey: `alert:${row.id}` });
    const admins = await tx.staffUser.findMany({ where: { orgId, role: 'ADMIN', disabledAt: null }, select: { id: true, name: true, email: true } });
    for (const admin of admins) {
      try {
        await enqueueMail({
          orgId, to: { name: admin.name, address: admin.email }, template: 'alert_raised', dedupeKey: `alert:${row.id}:${admin.id}`,
          data: { alertId: row.id, title: a.title, ruleLabel: label, subject: a.subject, raisedAt: row.raisedAt, facts: a.facts },
        }, tx);
      } catch (e) {
        // One administrator's unusable address must not keep the alert from the others.
        log.warn({ err: e, orgId, staffId: admin.id }, 'alert mail could not be queued for an administrator');
      }
    }
    return true;
  });
}
