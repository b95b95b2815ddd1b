import crypto from 'node:crypto';
import { z } from 'zod';
import { config } from '../config';
import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { isId } from '../http/ids';
import { enqueueJob, wakeWorkers } from '../queue/enqueue';
import { displayNameSchema, normaliseEmail } from './address';
import { DEFAULT_ACCENT_COLOR, DEFAULT_BRAND_COLOR, safeColor, type Brand } from './brand';
import { renderMail } from './render';
import { sealBody } from './seal';
import { formatMailbox, mailMode, senderFor } from './sender';
import { mailStatus, type MailStatus } from './status';
import type { MailTemplateData, MailTemplateName } from './templates';

export const MAIL_KIND = 'mail';
/** SMTP outages are retried with backoff for about three hours before a mail is marked failed. */
export const MAIL_MAX_ATTEMPTS = 10;

export interface MailRequest<T extends MailTemplateName> {
  orgId: string;
  /** An address, or a name and an address. */
  to: string | { name?: string | null; address: string };
  template: T;
  data: MailTemplateData[T];
  /** At most one mail per key and organisation: enqueueing it again returns the first one. */
  dedupeKey?: string;
}

export interface EnqueuedMail { id: string; status: MailStatus; duplicate: boolean }

const dedupeKeySchema = z.string().min(1).max(300).regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces');

export async function brandOf(db: Tx, orgId: string): Promise<Brand> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { name: true, brandColor: true, accentColor: true } });
  if (!org) throw new AppError('not_found', 'No such organisation.');
  return { orgName: org.name, brandColor: safeColor(org.brandColor, DEFAULT_BRAND_COLOR), accentColor: safeColor(org.accentColor, DEFAULT_ACCENT_COLOR) };
}

const newMailId = () => `ml${Date.now().toString(36)}${crypto.randomBytes(8).toString('hex')}`;

/**
 * The only way Liaison sends mail. Checks the address (normalised, IDN to punycode, look-alikes
 * flagged, control characters refused) and the display name, renders the template with the
 * organisation's branding, and stores the mail: in the durable queue when SMTP_URL is set (a worker
 * sends it, retrying with backoff), or in the development outbox otherwise. Pass `tx` to make the
 * mail part of the caller's transaction: it then goes out only if that transaction commits.
 */
export async function enqueueMail<T extends MailTemplateName>(req: MailRequest<T>, tx?: Tx): Promise<EnqueuedMail> {
  if (!isId(req.orgId)) throw new AppError('not_found', 'No such organisation.');
  const rawTo = typeof req.to === 'string' ? { address: req.to } : req.to;
  const to = normaliseEmail(rawTo.address);
  const nameCheck = displayNameSchema.safeParse(rawTo.name ?? '');
  if (!nameCheck.success) throw new AppError('validation_failed', nameCheck.error.issues[0].message);
  const toName = nameCheck.data || null;
  const dedupeKey = req.dedupeKey === undefined ? null : dedupeKeySchema.parse(req.dedupeKey);
  const db = tx ?? prisma();
  if (dedupeKey) {
    // The common repeat (a notification asked for again) costs one indexed read, not a render.
    const first = await db.mailMessage.findUnique({ where: { orgId_dedupeKey: { orgId: req.orgId, dedupeKey } }, select: { id: true, job: { select: { status: true } } } });
    if (first) return { id: first.id, status: mailStatus(first.job), duplicate: true };
  }
  const brand = await brandOf(db, req.orgId);
  const rendered = renderMail(req.template, req.data, brand, config().publicUrl);
  const id = newMailId();
  const mail = {
    id, orgId: req.orgId, template: req.template, to: to.address, toDisplay: to.display, toName, toMixedScript: to.lookalike,
    fromAddress: formatMailbox(senderFor(brand.orgName)), subject: rendered.subject,
    text: rendered.masked.text, html: rendered.masked.html,
    hasSecret: rendered.hasSecret,
    sealedBody: rendered.hasSecret ? sealBody(id, { text: rendered.text, html: rendered.html }) : null,
    dedupeKey,
  };
  const outbox = mailMode() === 'outbox';
  const store = async (t: Tx): Promise<EnqueuedMail> => {
    const jobId = outbox ? null : await enqueueJob({ kind: MAIL_KIND, orgId: req.orgId, maxAttempts: MAIL_MAX_ATTEMPTS, payload: { mailId: id } }, t);
    const rows = await t.mailMessage.createManyAndReturn({ data: [{ ...mail, jobId }], skipDuplicates: true, select: { id: true } });
    if (rows.length) return { id, status: outbox ? 'OUTBOX' : 'QUEUED', duplicate: false };
    // Same dedupe key: the first mail stands; the job made for this one goes.
    if (jobId) await t.queueItem.delete({ where: { id: jobId } });
    const first = await t.mailMessage.findUniqueOrThrow({ where: { orgId_dedupeKey: { orgId: req.orgId, dedupeKey: dedupeKey! } }, select: { id: true, job: { select: { status: true } } } });
    return { id: first.id, status: mailStatus(first.job), duplicate: true };
  };
  const result = tx ? await store(tx) : await prisma().$transaction(store);
  if (!tx && !outbox && !result.duplicate) wakeWorkers();
  return result;
}
