import type { QueueStatus } from '../generated/prisma/enums';

/** A mail's state as people read it. OUTBOX: kept in the development outbox, never delivered. */
export const MAIL_STATUSES = ['QUEUED', 'SENDING', 'SENT', 'FAILED', 'OUTBOX'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export function mailStatus(job: { status: QueueStatus } | null): MailStatus {
  if (!job) return 'OUTBOX';
  switch (job.status) {
    case 'PENDING': return 'QUEUED';
    case 'RUNNING': return 'SENDING';
    case 'DONE': return 'SENT';
    case 'FAILED': return 'FAILED';
  }
}

/** The rows of one status, as a Prisma where clause on MailMessage. */
export function mailStatusWhere(status: MailStatus) {
  switch (status) {
    case 'OUTBOX': return { jobId: null };
    case 'QUEUED': return { job: { status: 'PENDING' as const } };
    case 'SENDING': return { job: { status: 'RUNNING' as const } };
    case 'SENT': return { job: { status: 'DONE' as const } };
    case 'FAILED': return { job: { status: 'FAILED' as const } };
  }
}
