import crypto from 'node:crypto';
import { z } from 'zod';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { idSchema } from '../http/ids';
import { wakeWorkers } from '../queue/enqueue';
import { enqueueTestEvent } from './emit';
import { WEBHOOK_EVENT_TYPES, isWebhookEventType } from './events';
import { newWebhookSecret, sealSecret } from './secret';
import { assertPublicDestination, parseWebhookUrl } from './url-guard';
import { refuseUnknown } from '../mail/refusals';

export const WEBHOOK_FORMATS = ['JSON', 'SLACK', 'TEAMS'] as const;
/** An organisation's webhooks: enough for every team's channel, few enough that one event stays cheap. */
export const MAX_WEBHOOKS = 25;

const eventsSchema = z.array(z.string()).min(1, 'events: choose at least one event')
  .refine((e) => e.every(isWebhookEventType), { message: `events: each must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  .transform((e) => [...new Set(e)]);

const createInput = z.object({ url: z.string(), events: eventsSchema, format: z.enum(WEBHOOK_FORMATS).default('JSON') });
const updateInput = z.object({ url: z.string().optional(), events: eventsSchema.optional(), format: z.enum(WEBHOOK_FORMATS).optional(), enabled: z.boolean().optional() });

const deliverySelect = {
  id: true, eventId: true, eventType: true, responseStatus: true, durationMs: true, createdAt: true, deliveredAt: true,
  job: { select: { status: true, attempts: true, maxAttempts: true, lastError: true, nextAttemptAt: true } },
} satisfies Prisma.WebhookDeliverySelect;

const webhookSelect = {
  id: true, url: true, events: true, format: true, enabled: true, createdAt: true, updatedAt: true,
  createdBy: { select: { id: true, email: true, name: true } },
  deliveries: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1, select: deliverySelect },
} satisfies Prisma.WebhookSelect;

export type WebhookDeliveryView = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliverySelect }>;
type Row = Prisma.WebhookGetPayload<{ select: typeof webhookSelect }>;

function view(w: Row) {
  const { deliveries, ...rest } = w;
  return { ...rest, lastDelivery: deliveries[0] ?? null };
}
export type WebhookView = ReturnType<typeof view>;

const newWebhookId = () => `wh${Date.now().toString(36)}${crypto.randomBytes(8).toString('hex')}`;

async function checkedUrl(raw: string): Promise<string> {
  const u = parseWebhookUrl(raw);
  await assertPublicDestination(u);
  return u.toString();
}

async function findWebhook(p: Principal, id: string, op = 'webhook.view') {
  const w = idSchema.safeParse(id).success ? await prisma().webhook.findFirst({ where: { id, orgId: p.orgId }, select: webhookSelect }) : null;
  if (!w) return refuseUnknown(p, op, 'webhookId', id, 'webhook');
  return view(w);
}

/**
 * Registers a webhook (admins). The URL must be http(s), carry no credentials and resolve to public
 * addresses only. The signing secret is returned here, once; it is stored encrypted.
 */
export async function createWebhook(p: Principal, raw: unknown) {
  authorize(p, 'admin');
  const input = createInput.parse(raw);
  const url = await checkedUrl(input.url);
  if ((await prisma().webhook.count({ where: { orgId: p.orgId } })) >= MAX_WEBHOOKS) throw new AppError('conflict', `An organisation can have at most ${MAX_WEBHOOKS} webhooks.`);
  const id = newWebhookId();
  const secret = newWebhookSecret();
  await prisma().$transaction(async (tx) => {
    await tx.webhook.create({ data: { id, orgId: p.orgId, url, events: input.events, format: input.format, secretEnc: sealSecret(id, secret), createdById: p.kind === 'staff' ? p.userId : null } });
    await recordAudit({ orgId: p.orgId, type: 'webhook.create', actor: actorOf(p), request: p.request, details: { webhookId: id, url, events: input.events, format: input.format } }, tx);
  });
  return { webhook: await findWebhook(p, id), secret };
}

export async function listWebhooks(p: Principal) {
  authorize(p, 'admin');
  const rows = await prisma().webhook.findMany({ where: { orgId: p.orgId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: webhookSelect });
  return rows.map(view);
}

export const getWebhook = (p: Principal, id: string) => {
  authorize(p, 'admin');
  return findWebhook(p, id);
};

/** Changes the URL (checked again), events, format, or turns the webhook off and on. */
export async function updateWebhook(p: Principal, id: string, raw: unknown) {
  authorize(p, 'admin');
  const input = updateInput.parse(raw);
  const current = await findWebhook(p, id, 'webhook.update');
  const url = input.url === undefined ? undefined : await checkedUrl(input.url);
  const changed = Object.entries({ ...input, url }).filter(([, v]) => v !== undefined).map(([k]) => k);
  await prisma().$transaction(async (tx) => {
    await tx.webhook.update({ where: { id: current.id }, data: { url, events: input.events, format: input.format, enabled: input.enabled } });
    await recordAudit({ orgId: p.orgId, type: 'webhook.update', actor: actorOf(p), request: p.request, details: { webhookId: id, changed, ...(url ? { url } : {}), ...(input.events ? { events: input.events } : {}), ...(input.format ? { format: input.format } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}) } }, tx);
  });
  return findWebhook(p, id);
}

/** Deletes a webhook with its delivery history; deliveries still queued are dropped. */
export async function deleteWebhook(p: Principal, id: string) {
  authorize(p, 'admin');
  const w = await findWebhook(p, id, 'webhook.delete');
  await prisma().$transaction(async (tx) => {
    // Deleting the queue items removes their deliveries (cascade), including those not yet sent.
    await tx.queueItem.deleteMany({ where: { delivery: { webhookId: w.id } } });
    await tx.webhook.delete({ where: { id: w.id } });
    await recordAudit({ orgId: p.orgId, type: 'webhook.delete', actor: actorOf(p), request: p.request, details: { webhookId: w.id, url: w.url } }, tx);
  });
  return { id: w.id };
}

/** Queues a `webhook.test` event for this webhook now, enabled or not subscribed. */
export async function testWebhook(p: Principal, id: string) {
  authorize(p, 'admin');
  const w = await findWebhook(p, id, 'webhook.test');
  if (!w.enabled) throw new AppError('conflict', 'Enable the webhook before sending it a test event.');
  const by = p.kind === 'staff' ? p.email : `API key ${p.name}`;
  const deliveryId = await prisma().$transaction(async (tx) => {
    const d = await enqueueTestEvent(tx, p.orgId, w.id, by);
    await recordAudit({ orgId: p.orgId, type: 'webhook.test', actor: actorOf(p), request: p.request, details: { webhookId: w.id, deliveryId: d } }, tx);
    return d;
  });
  wakeWorkers();
  return getDelivery(p, deliveryId);
}

export async function getDelivery(p: Principal, id: string) {
  authorize(p, 'admin');
  const d = await prisma().webhookDelivery.findFirst({ where: { id, orgId: p.orgId }, select: { ...deliverySelect, webhookId: true } });
  if (!d) throw new AppError('not_found', 'No such delivery.');
  return d;
}

const listDeliveriesInput = z.object({ first: z.number().int().min(1).max(100).default(25), after: idSchema.optional() });

/** A webhook's deliveries, newest first. */
export async function listDeliveries(p: Principal, webhookId: string, raw: unknown = {}) {
  authorize(p, 'admin');
  const w = await findWebhook(p, webhookId);
  const q = listDeliveriesInput.parse(raw ?? {});
  const position = q.after ? await prisma().webhookDelivery.findFirst({ where: { id: q.after, webhookId: w.id }, select: { id: true, createdAt: true } }) : null;
  if (q.after && !position) throw new AppError('validation_failed', 'Invalid cursor: start again from the first page.');
  const rows = await prisma().webhookDelivery.findMany({
    where: { webhookId: w.id, ...(position ? { OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }] } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.first + 1, select: deliverySelect,
  });
  const nodes = rows.slice(0, q.first);
  return { webhook: w, nodes, hasNextPage: rows.length > q.first, endCursor: nodes.length ? nodes[nodes.length - 1].id : null };
}
