import { z } from 'zod';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';

const count = (what: string, max: number) => z.number({ message: `Enter a number for ${what}` }).int('Use a whole number').min(1, `At least 1 for ${what}`).max(max, `At most ${max} for ${what}`);
const minutes = z.number({ message: 'Enter a number of minutes' }).int('Use whole minutes').min(1, 'At least 1 minute').max(1440, 'At most 1,440 minutes (a day)');

/**
 * The rules an organisation can turn on. Every threshold is "more than": a rule with count 20 raises
 * its alert on the 21st event inside the window, never on the 20th.
 */
export const alertRulesSchema = z.object({
  /** One guest downloads more than `count` documents within `minutes`. */
  downloads: z.object({ enabled: z.boolean(), count: count('downloads', 10_000), minutes }).strict(),
  /** A guest opens a session from a country none of their earlier sessions came from. */
  newCountry: z.object({ enabled: z.boolean() }).strict(),
  /** More than `count` refusals on one share within `minutes`. */
  shareRefusals: z.object({ enabled: z.boolean(), count: count('refusals', 10_000), minutes }).strict(),
  /** One guest from more than `count` IP addresses within one day (UTC). */
  guestIps: z.object({ enabled: z.boolean(), count: count('addresses', 1000) }).strict(),
}).strict();
export type AlertRules = z.output<typeof alertRulesSchema>;

/** Off until an administrator turns them on, with thresholds that suit a small team as a start. */
export const DEFAULT_ALERT_RULES: AlertRules = {
  downloads: { enabled: false, count: 20, minutes: 10 },
  newCountry: { enabled: false },
  shareRefusals: { enabled: false, count: 10, minutes: 15 },
  guestIps: { enabled: false, count: 3 },
};

export const RULE_LABELS = {
  downloads: 'Many downloads by one guest',
  new_country: 'Access from a new country',
  share_refusals: 'Many refusals on one share',
  guest_ips: 'One guest from many addresses',
} as const;
export type AlertRuleName = keyof typeof RULE_LABELS;

/** Stored rules read through the schema, rule by rule: a damaged rule falls back to its default (off). */
export function normaliseRules(raw: unknown): AlertRules {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out = { ...DEFAULT_ALERT_RULES };
  for (const k of Object.keys(DEFAULT_ALERT_RULES) as Array<keyof AlertRules>) {
    const one = alertRulesSchema.shape[k].safeParse(o[k]);
    if (one.success) (out as Record<string, unknown>)[k] = one.data;
  }
  return out;
}

export const anyEnabled = (r: AlertRules) => r.downloads.enabled || r.newCountry.enabled || r.shareRefusals.enabled || r.guestIps.enabled;

export async function getAlertRules(p: Principal): Promise<AlertRules> {
  authorize(p, 'audit:read');
  const row = await prisma().alertSettings.findUnique({ where: { orgId: p.orgId }, select: { rules: true } });
  return normaliseRules(row?.rules);
}

/**
 * Replaces the rules (admins), audited. When alerting goes from off to on, evaluation starts at the
 * current end of the audit trail: turning a rule on raises nothing about what happened before.
 */
export async function updateAlertRules(p: Principal, raw: unknown): Promise<AlertRules> {
  authorize(p, 'admin');
  const rules = alertRulesSchema.parse(raw);
  return prisma().$transaction(async (tx) => {
    const before = await tx.alertSettings.findUnique({ where: { orgId: p.orgId }, select: { rules: true } });
    const wasOn = before ? anyEnabled(normaliseRules(before.rules)) : false;
    const head = !wasOn && anyEnabled(rules)
      ? (await tx.auditEvent.findFirst({ where: { orgId: p.orgId }, orderBy: { seq: 'desc' }, select: { seq: true } }))?.seq ?? 0
      : undefined;
    const data = { rules: rules as unknown as Prisma.InputJsonValue, updatedById: p.kind === 'staff' ? p.userId : null, ...(head !== undefined ? { lastSeq: head } : {}) };
    await tx.alertSettings.upsert({ where: { orgId: p.orgId }, create: { orgId: p.orgId, ...data }, update: data });
    await recordAudit({ orgId: p.orgId, type: 'alert.rules', actor: actorOf(p), request: p.request, details: { rules } }, tx);
    return rules;
  });
}
