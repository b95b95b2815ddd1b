import { log } from '../log';
import { closeDueCampaigns, sendReviewReminders } from '../reviews/campaigns';

/** Campaign deadlines: undecided items are revoked (or closed undecided) soon after the deadline passes. */
export async function accessReviewDeadlines(now = new Date()): Promise<void> {
  const n = await closeDueCampaigns(now);
  if (n) log.info({ revoked: n }, 'access review items revoked at their deadline');
}

/** Reminders to owners and sponsors with undecided items: the job runs hourly, each person hears once a day. */
export async function accessReviewReminders(now = new Date()): Promise<void> {
  const n = await sendReviewReminders(now);
  if (n) log.info({ reminders: n }, 'access review reminders queued');
}
