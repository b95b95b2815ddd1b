import crypto from 'node:crypto';
import { config } from '../config';
import { prisma, type Tx } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { log } from '../log';
import { enqueueJob } from '../queue/enqueue';
import { TEST_EVENT, type EventSummary, type WebhookEvent, type WebhookEventType } from './events';

export const WEBHOOK_KIND = 'webhook';
/** Retries with backoff for about an hour and a half, then the delivery is marked failed. */
export const WEBHOOK_MAX_ATTEMPTS = 8;

export const newEventId = () => `evt_${Date.now().toString(36)}${crypto.randomBytes(8).toString('hex')}`;

/** A link into the console, for messaging tools' buttons. */
export const consoleLink = (path: string) => `${config().publicUrl}${path}`;

async function buildEvent(db: Tx, orgId: string, type: WebhookEvent['type'], data: Record<string, unknown>, summary: EventSummary): Promise<WebhookEvent | null> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true, slug: true, name: true } });
  if (!org) return null;
  return { id: newEventId(), type, createdAt: new Date().toISOString(), organization: org, data, summary };
}

async function enqueueDelivery(db: Tx, webhookId: string, orgId: string, event: WebhookEvent, dedupeKey?: string): Promise<string | null> {
  const jobId = await enqueueJob({ kind: WEBHOOK_KIND, orgId, maxAttempts: WEBHOOK_MAX_ATTEMPTS, dedupeKey: dedupeKey ? `webhook:${webhookId}:${dedupeKey}` : undefined }, db);
  if (!jobId) return null;
  const d = await db.webhookDelivery.create({
    data: { orgId, webhookId, jobId, eventId: event.id, eventType: event.type, event: event as unknown as Prisma.InputJsonValue },
    select: { id: true },
  });
  return d.id;
}

/**
 * Queues a delivery of the event to every enabled webhook of the organisation that subscribes to
 * its type, in the caller's transaction when given. With a dedupeKey, each webhook gets the event
 * at most once per key (an expiry announced by every instance, a burst of refusals coalesced).
 * Returns how many deliveries were queued.
 */
export async function emitEvent(orgId: string, type: WebhookEventType, payload: { data: Record<string, unknown>; summary: EventSummary }, tx?: Tx, opts: { dedupeKey?: string } = {}): Promise<number> {
  const db = tx ?? prisma();
  const hooks = await db.webhook.findMany({ where: { orgId, enabled: true, events: { has: type } }, select: { id: true } });
  if (!hooks.length) return 0;
  const event = await buildEvent(db, orgId, type, payload.data, payload.summary);
  if (!event) return 0;
  const work = async (t: Tx) => {
    let n = 0;
    for (const h of hooks) if (await enqueueDelivery(t, h.id, orgId, event, opts.dedupeKey)) n++;
    return n;
  };
  const n = tx ? await work(tx) : await prisma().$transaction(work);
  log.debug({ orgId, type, deliveries: n }, 'webhook event queued');
  return n;
}

/** A test event for one webhook, whatever it subscribes to ("Send test event"). */
export async function enqueueTestEvent(db: Tx, orgId: string, webhookId: string, by: string): Promise<string> {
  const event = await buildEvent(db, orgId, TEST_EVENT, { requestedBy: by }, {
    title: 'Test event from Liaison',
    text: `${by} sent this to check that the webhook works. No action is needed.`,
    url: consoleLink('/settings/webhooks'),
  });
  if (!event) throw new Error('organisation vanished');
  return (await enqueueDelivery(db, webhookId, orgId, event))!;
}
