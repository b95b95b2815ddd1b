import { prisma } from '../db/client';
import { recordAudit, type Actor } from '../audit/record';
import { authorize, type Principal } from '../auth/principal';
import { log } from '../log';
import { planRetention, type RetentionPlan } from './plan';
import { applyPlan, type PurgeResult } from './purge';

export const RETENTION_ACTOR: Actor = { type: 'system', id: null, label: 'retention' };

export interface RetentionRun { plan: RetentionPlan; dryRun: boolean; result: PurgeResult | null }

/**
 * One organisation's retention run. A dry run only plans: it reads, and writes nothing at all (not
 * even an audit event). A real run carries the plan out only when the policy is enabled, and records
 * each purged object as a `retention.purge` event plus one `retention.run` summary.
 */
export async function runRetentionForOrg(orgId: string, opts: { dryRun: boolean; actor?: Actor; now?: Date }): Promise<RetentionRun> {
  const plan = await planRetention(orgId, opts.now ?? new Date());
  if (opts.dryRun || !plan.policy.enabled) return { plan, dryRun: opts.dryRun, result: null };
  const actor = opts.actor ?? RETENTION_ACTOR;
  const result = await applyPlan(plan, actor);
  await prisma().retentionPolicy.update({ where: { orgId }, data: { lastRunAt: plan.at } });
  if (result.documents || result.shares || result.guests || result.sessions) {
    await recordAudit({ orgId, type: 'retention.run', actor, details: { ...result, truncated: plan.truncated } });
  }
  return { plan, dryRun: false, result };
}

/** The scheduled job: every organisation whose policy is enabled. One organisation's failure does not stop the others. */
export async function runScheduledRetention(now = new Date()): Promise<number> {
  const orgs = await prisma().retentionPolicy.findMany({ where: { enabled: true }, select: { orgId: true } });
  let n = 0;
  for (const { orgId } of orgs) {
    try {
      const r = await runRetentionForOrg(orgId, { dryRun: false, now });
      n += r.result ? r.result.documents + r.result.shares + r.result.guests + r.result.sessions : 0;
    } catch (e) {
      log.error({ err: e, orgId }, 'retention run failed; the next run tries again');
    }
  }
  return n;
}

/** What the next run would do, for the console and GraphQL (admins and auditors). Changes nothing. */
export async function retentionDryRun(p: Principal): Promise<RetentionPlan> {
  authorize(p, 'audit:read');
  return planRetention(p.orgId);
}
