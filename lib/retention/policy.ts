import { z } from 'zod';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { Tlp } from '../generated/prisma/enums';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';

export const TLPS = Object.values(Tlp) as [Tlp, ...Tlp[]];

/** At most a century: a longer period is a typo, and keeping forever is "no period" (null). */
const MAX_DAYS = 36_500;
const days = (min: number, what: string) => z.number({ message: `Enter a number of days for ${what}` })
  .int('Use whole days').min(min, `At least ${min} day${min === 1 ? '' : 's'} for ${what}`).max(MAX_DAYS, `At most ${MAX_DAYS} days for ${what}`).nullable();

export const tlpRuleSchema = z.object({
  /** Documents go this many days after their last upload (first version or newest new version). */
  documentDays: days(1, 'documents').default(null),
  /** Ended shares (expired or revoked) go this many days after they ended; 0: at the next run. */
  shareDays: days(0, 'shares').default(null),
}).strict();
export type TlpRule = z.output<typeof tlpRuleSchema>;

export const retentionPolicyInput = z.object({
  enabled: z.boolean(),
  tlpRules: z.object(Object.fromEntries(TLPS.map((t) => [t, tlpRuleSchema.optional()])) as Record<Tlp, z.ZodOptional<typeof tlpRuleSchema>>).strict().default({}),
  /** Guests with no activity for this many days are anonymised. */
  guestDays: days(1, 'guests').default(null),
  /** Guest sessions last seen this many days ago lose their IP address and browser. */
  sessionDays: days(1, 'sessions').default(null),
}).strict();

export interface RetentionPolicy {
  enabled: boolean;
  tlpRules: Record<Tlp, TlpRule>;
  guestDays: number | null;
  sessionDays: number | null;
  updatedAt: Date | null;
  lastRunAt: Date | null;
}

const EMPTY_RULE: TlpRule = { documentDays: null, shareDays: null };

/** A stored policy read back through the same schema, so a hand-edited row cannot widen it. */
export function normalisePolicy(row: { enabled: boolean; tlpRules: unknown; guestDays: number | null; sessionDays: number | null; updatedAt?: Date | null; lastRunAt?: Date | null } | null): RetentionPolicy {
  const parsed = retentionPolicyInput.safeParse(row ? { enabled: row.enabled, tlpRules: row.tlpRules ?? {}, guestDays: row.guestDays, sessionDays: row.sessionDays } : { enabled: false });
  const v = parsed.success ? parsed.data : { enabled: false, tlpRules: {}, guestDays: null, sessionDays: null };
  return {
    enabled: v.enabled,
    tlpRules: Object.fromEntries(TLPS.map((t) => [t, { ...EMPTY_RULE, ...v.tlpRules[t] }])) as Record<Tlp, TlpRule>,
    guestDays: v.guestDays,
    sessionDays: v.sessionDays,
    updatedAt: row?.updatedAt ?? null,
    lastRunAt: row?.lastRunAt ?? null,
  };
}

export async function loadPolicy(orgId: string): Promise<RetentionPolicy> {
  return normalisePolicy(await prisma().retentionPolicy.findUnique({ where: { orgId } }));
}

/** The organisation's retention policy (admins and auditors: auditors are who answer for it). */
export async function getRetentionPolicy(p: Principal): Promise<RetentionPolicy> {
  authorize(p, 'audit:read');
  return loadPolicy(p.orgId);
}

/** Replaces the policy as a whole (admins); audited with the policy as saved. */
export async function updateRetentionPolicy(p: Principal, raw: unknown): Promise<RetentionPolicy> {
  authorize(p, 'admin');
  const input = retentionPolicyInput.parse(raw);
  const saved = normalisePolicy({ ...input, updatedAt: null, lastRunAt: null });
  // Only periods that are set are stored: the row reads the same as the form that saved it.
  const tlpRules = Object.fromEntries(TLPS.filter((t) => saved.tlpRules[t].documentDays !== null || saved.tlpRules[t].shareDays !== null).map((t) => [t, saved.tlpRules[t]]));
  const data = { enabled: saved.enabled, tlpRules: tlpRules as Prisma.InputJsonValue, guestDays: saved.guestDays, sessionDays: saved.sessionDays, updatedById: p.kind === 'staff' ? p.userId : null };
  return prisma().$transaction(async (tx) => {
    const row = await tx.retentionPolicy.upsert({ where: { orgId: p.orgId }, create: { orgId: p.orgId, ...data }, update: data });
    await recordAudit({ orgId: p.orgId, type: 'retention.policy', actor: actorOf(p), request: p.request, details: { enabled: saved.enabled, tlpRules, guestDays: saved.guestDays, sessionDays: saved.sessionDays } }, tx);
    return normalisePolicy(row);
  });
}
