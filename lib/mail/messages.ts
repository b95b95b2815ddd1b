import { z } from 'zod';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { after, invalidCursor } from '../db/keyset';
import { idSchema } from '../http/ids';
import { wakeWorkers } from '../queue/enqueue';
import { MAIL_MAX_ATTEMPTS } from './enqueue';
import { openBody } from './seal';
import { refuseUnknown } from './refusals';
import { formatMailbox, installationSender, mailMode, smtpServerLabel } from './sender';
import { MAIL_STATUSES, mailStatus, mailStatusWhere, type MailStatus } from './status';
import { templateLabel } from './templates';

const listInput = z.object({
  first: z.number().int().min(1).max(100).default(25),
  after: idSchema.optional(),
  status: z.enum(MAIL_STATUSES).optional(),
});

const rowSelect = {
  id: true, template: true, to: true, toDisplay: true, toName: true, toMixedScript: true, fromAddress: true, subject: true,
  createdAt: true, sentAt: true, jobId: true,
  job: { select: { status: true, attempts: true, maxAttempts: true, lastError: true, nextAttemptAt: true, finishedAt: true } },
} satisfies Prisma.MailMessageSelect;

type Row = Prisma.MailMessageGetPayload<{ select: typeof rowSelect }>;

function view(m: Row) {
  return {
    ...m,
    status: mailStatus(m.job),
    templateLabel: templateLabel(m.template),
    attempts: m.job?.attempts ?? 0,
    lastError: m.job?.lastError ?? null,
    nextAttemptAt: m.job?.status === 'PENDING' ? m.job.nextAttemptAt : null,
    idn: m.toDisplay !== m.to,
  };
}

export type MailMessageView = ReturnType<typeof view>;

/** The organisation's mail, newest first (admins). */
export async function listMailMessages(p: Principal, raw: unknown = {}) {
  authorize(p, 'admin');
  const q = listInput.parse(raw ?? {});
  const position = q.after ? await prisma().mailMessage.findFirst({ where: { id: q.after, orgId: p.orgId }, select: { id: true, createdAt: true } }) : null;
  if (q.after && !position) throw invalidCursor();
  const rows = await prisma().mailMessage.findMany({
    where: { orgId: p.orgId, ...(q.status ? mailStatusWhere(q.status) : {}), ...(position ? { AND: [after(position)] } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.first + 1,
    select: rowSelect,
  });
  const nodes = rows.slice(0, q.first).map(view);
  return { nodes, hasNextPage: rows.length > q.first, endCursor: nodes.length ? nodes[nodes.length - 1].id : null };
}

/** How many of the organisation's mails are in each state. */
export async function mailCounts(p: Principal): Promise<Record<MailStatus, number>> {
  authorize(p, 'admin');
  const [outbox, byJob] = await Promise.all([
    prisma().mailMessage.count({ where: { orgId: p.orgId, jobId: null } }),
    prisma().queueItem.groupBy({ by: ['status'], where: { mail: { orgId: p.orgId } }, _count: { _all: true } }),
  ]);
  const counts: Record<MailStatus, number> = { QUEUED: 0, SENDING: 0, SENT: 0, FAILED: 0, OUTBOX: outbox };
  for (const r of byJob) counts[mailStatus({ status: r.status })] += r._count._all;
  return counts;
}

/**
 * One mail with its body. A mail in the development outbox is shown as it would have been sent
 * (that is what the outbox is for); any other keeps its codes and secret links masked.
 */
export async function getMailMessage(p: Principal, id: string) {
  authorize(p, 'admin');
  const m = isIdOrNull(id) ? await prisma().mailMessage.findFirst({ where: { id, orgId: p.orgId }, select: { ...rowSelect, text: true, html: true, sealedBody: true, hasSecret: true, messageId: true } }) : null;
  if (!m) return refuseUnknown(p, 'mail.view', 'mailId', id, 'mail');
  const { sealedBody, ...rest } = m;
  const outbox = m.jobId === null;
  const body = outbox && sealedBody ? openBody(m.id, sealedBody) : { text: m.text, html: m.html };
  return { ...view(rest), messageId: m.messageId, text: body.text, html: body.html, masked: !outbox && m.hasSecret };
}

const isIdOrNull = (id: string) => idSchema.safeParse(id).success;

/** Sends a failed mail again now, with a fresh allowance of attempts (admins). */
export async function retryMail(p: Principal, id: string) {
  authorize(p, 'admin');
  if (!isIdOrNull(id) || !(await prisma().mailMessage.findFirst({ where: { id, orgId: p.orgId }, select: { id: true } }))) await refuseUnknown(p, 'mail.retry', 'mailId', id, 'mail');
  await prisma().$transaction(async (tx) => {
    const m = await tx.mailMessage.findFirst({ where: { id, orgId: p.orgId }, select: { id: true, to: true, template: true, job: { select: { id: true, status: true, attempts: true } } } });
    if (!m) throw new AppError('not_found', 'No such mail.');
    if (!m.job) throw new AppError('conflict', 'This mail is in the development outbox: it is never delivered. Set SMTP_URL to send mail.');
    if (m.job.status === 'DONE') throw new AppError('conflict', 'This mail was already sent.');
    if (m.job.status === 'RUNNING') throw new AppError('conflict', 'This mail is being sent right now.');
    await tx.queueItem.update({ where: { id: m.job.id }, data: { status: 'PENDING', nextAttemptAt: new Date(), maxAttempts: m.job.attempts + MAIL_MAX_ATTEMPTS, finishedAt: null } });
    await recordAudit({ orgId: p.orgId, type: 'mail.retry', actor: actorOf(p), request: p.request, details: { mailId: m.id, to: m.to, template: m.template, previousStatus: m.job.status } }, tx);
  });
  wakeWorkers();
  return getMailMessage(p, id);
}

/** How mail leaves this installation, for the console's banner. */
export function mailDelivery() {
  const mode = mailMode();
  return { mode, server: smtpServerLabel(), from: formatMailbox(installationSender()) };
}
