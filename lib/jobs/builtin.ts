import { prisma } from '../db/client';
import { log } from '../log';
import { announceExpiredShares, sendShareExpiryReminders } from './share-expiry';
import { registerScheduledJob } from './registry';
import { disableExpiredGuests, sendGuestExpiryReminders } from './guest-expiry';
import { pruneStates } from '../sso/state';
import { pruneHandoffs } from '../portals/sso-handoff';
import { prunePreviews } from '../portals/preview-document';
import { recheckPortalDomains } from '../portals/domains';
import { runScheduledRetention } from '../retention/run';
import { evaluateAlerts } from '../alerts/evaluate';
import { flagDueCriminalIntel } from '../cfr/review-job';
import { accessReviewDeadlines, accessReviewReminders } from './access-reviews';

/** Finished runs of scheduled jobs are kept a week (the console does not show them; logs do). */
export async function pruneScheduledRuns(now = new Date()): Promise<number> {
  const { count } = await prisma().queueItem.deleteMany({ where: { kind: { startsWith: 'job:' }, status: { in: ['DONE', 'FAILED'] }, finishedAt: { lt: new Date(now.getTime() - 7 * 86_400_000) } } });
  return count;
}

/** The jobs Liaison itself runs. Other modules add theirs with registerScheduledJob (e.g. guest-account reminders). */
export function registerBuiltInJobs() {
  registerScheduledJob('share-expiry-reminders', 15 * 60, async () => {
    const n = await sendShareExpiryReminders();
    if (n) log.info({ reminders: n }, 'share expiry reminders queued');
  });
  registerScheduledJob('share-expired-events', 5 * 60, async () => {
    await announceExpiredShares();
  });
  registerScheduledJob('guest-expiry', 5 * 60, async () => {
    const n = await disableExpiredGuests();
    if (n) log.info({ disabled: n }, 'expired guest accounts disabled');
  });
  registerScheduledJob('guest-expiry-reminders', 60 * 60, async () => {
    const n = await sendGuestExpiryReminders();
    if (n) log.info({ reminders: n }, 'guest expiry reminders queued');
  });
  registerScheduledJob('queue-prune', 24 * 60 * 60, async () => {
    await pruneScheduledRuns();
  });
  // Single sign-on states live 10 minutes; used or not, they are of no use a day later.
  // Portal sign-in handoff codes live a minute, owner's previews an hour: also of no use a day later.
  registerScheduledJob('sso-state-prune', 60 * 60, async () => {
    await pruneStates();
    await pruneHandoffs();
    await prunePreviews();
  });
  // Access reviews (issue 7): deadlines within five minutes of passing; reminders at most daily per person.
  registerScheduledJob('access-review-deadlines', 5 * 60, async ({ now }) => {
    await accessReviewDeadlines(now);
  });
  registerScheduledJob('access-review-reminders', 60 * 60, async ({ now }) => {
    await accessReviewReminders(now);
  });
  // Custom domains whose TXT record is gone stop serving (issue 5: re-checked daily).
  registerScheduledJob('portal-domain-recheck', 24 * 60 * 60, async () => {
    const r = await recheckPortalDomains();
    if (r.verified || r.unverified) log.info(r, 'portal domains re-checked');
  });
  // Retention (docs/RETENTION.md): hourly, so a period ends within the hour; each run is bounded.
  registerScheduledJob('retention', 60 * 60, async () => {
    const n = await runScheduledRetention();
    if (n) log.info({ purged: n }, 'retention purged or anonymised');
  });
  // Anomaly alerts (docs/ALERTS.md) read the audit trail after the fact, never in the guest's request.
  registerScheduledJob('anomaly-alerts', 60, async () => {
    const n = await evaluateAlerts();
    if (n) log.info({ alerts: n }, 'anomaly alerts raised');
  });
  // 28 CFR Part 23: criminal-intelligence records due for review (five years) are flagged daily.
  registerScheduledJob('criminal-intelligence-review', 24 * 60 * 60, async () => {
    const n = await flagDueCriminalIntel();
    if (n) log.info({ flagged: n }, 'criminal-intelligence records due for review');
  });
}
