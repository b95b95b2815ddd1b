import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, testWebhook, updateWebhook, type WebhookDeliveryView, type WebhookView } from '../../webhooks/service';
import { WEBHOOK_EVENTS } from '../../webhooks/events';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageSize } from '../connection';
import { DateTime } from './scalars';
import { StaffRef } from './staff-ref';

const WebhookFormat = builder.enumType('WebhookFormat', {
  description: 'JSON: a signed event (Liaison-Signature). SLACK: a Slack incoming-webhook message. TEAMS: an Adaptive Card message.',
  values: ['JSON', 'SLACK', 'TEAMS'] as const,
});

const DeliveryStatus = builder.enumType('WebhookDeliveryStatus', { values: ['QUEUED', 'SENDING', 'DELIVERED', 'FAILED'] as const });
const deliveryStatus = (d: WebhookDeliveryView) => ({ PENDING: 'QUEUED', RUNNING: 'SENDING', DONE: 'DELIVERED', FAILED: 'FAILED' } as const)[d.job.status];

const WebhookDelivery = builder.objectRef<WebhookDeliveryView>('WebhookDelivery').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    eventId: t.exposeString('eventId'),
    eventType: t.exposeString('eventType'),
    status: t.field({ type: DeliveryStatus, resolve: deliveryStatus }),
    attempts: t.int({ resolve: (d) => d.job.attempts }),
    responseStatus: t.exposeInt('responseStatus', { nullable: true, description: 'HTTP status of the last answer.' }),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
    lastError: t.string({ nullable: true, resolve: (d) => d.job.lastError }),
    nextAttemptAt: t.field({ type: DateTime, nullable: true, resolve: (d) => (d.job.status === 'PENDING' ? d.job.nextAttemptAt : null) }),
    createdAt: t.field({ type: DateTime, resolve: (d) => d.createdAt }),
    deliveredAt: t.field({ type: DateTime, nullable: true, resolve: (d) => d.deliveredAt }),
  }),
});

const WebhookDeliveryConnection = connectionType('WebhookDelivery', WebhookDelivery);

const Webhook = builder.objectRef<WebhookView>('Webhook').implement({
  description: 'An outbound webhook (admins). Its signing secret is shown only by createWebhook.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    events: t.exposeStringList('events'),
    format: t.field({ type: WebhookFormat, resolve: (w) => w.format }),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.field({ type: DateTime, resolve: (w) => w.createdAt }),
    createdBy: t.field({ type: StaffRef, nullable: true, resolve: (w) => w.createdBy }),
    lastDelivery: t.field({ type: WebhookDelivery, nullable: true, resolve: (w) => w.lastDelivery }),
    deliveries: t.field({
      type: WebhookDeliveryConnection,
      args: pageArgs(t.arg, 100),
      resolve: async (w, a, ctx) => {
        const page = await listDeliveries(ctx.principal, w.id, { first: pageSize(a.first, 100), after: decodeIdCursor('delivery', a.after) });
        return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (n) => encodeIdCursor('delivery', n.id) };
      },
    }),
  }),
});

const CreateWebhookPayload = builder.objectRef<{ webhook: WebhookView; secret: string }>('CreateWebhookPayload').implement({
  fields: (t) => ({
    webhook: t.field({ type: Webhook, resolve: (p) => p.webhook }),
    secret: t.exposeString('secret', { description: 'The HMAC-SHA256 signing key (whsec_…). Shown only here, once.' }),
  }),
});

const WebhookEventType = builder.objectRef<{ type: string; description: string }>('WebhookEventType').implement({
  fields: (t) => ({ type: t.exposeString('type'), description: t.exposeString('description') }),
});

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'http(s), no credentials, resolving to public addresses.' }),
    events: t.stringList({ required: true, description: 'See webhookEventTypes.' }),
    format: t.field({ type: WebhookFormat, required: false, description: 'Default JSON.' }),
  }),
});

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  fields: (t) => ({
    url: t.string(),
    events: t.stringList(),
    format: t.field({ type: WebhookFormat }),
    enabled: t.boolean(),
  }),
});

const DeletedWebhook = builder.objectRef<{ id: string }>('DeletedWebhook').implement({ fields: (t) => ({ id: t.exposeID('id') }) });

const orUndefined = <T>(v: T | null | undefined) => (v === null ? undefined : v);

builder.queryFields((t) => ({
  webhooks: t.field({ type: [Webhook], description: 'Newest first.', authScopes: { admin: true }, resolve: (_r, _a, ctx) => listWebhooks(ctx.principal) }),
  webhook: t.field({ type: Webhook, authScopes: { admin: true }, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => getWebhook(ctx.principal, a.id) }),
  webhookEventTypes: t.field({
    type: [WebhookEventType],
    resolve: () => Object.entries(WEBHOOK_EVENTS).map(([type, description]) => ({ type, description })),
  }),
}));

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookPayload,
    description: 'Registers a webhook and returns its signing secret, once.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_r, a, ctx) => createWebhook(ctx.principal, { url: a.input.url, events: a.input.events, format: a.input.format ?? undefined }),
  }),
  updateWebhook: t.field({
    type: Webhook,
    description: 'Changes the fields given (the URL is checked again); `enabled: false` stops deliveries, including queued ones.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateWebhookInput, required: true }) },
    resolve: (_r, a, ctx) => updateWebhook(ctx.principal, a.id, { url: orUndefined(a.input.url), events: orUndefined(a.input.events), format: orUndefined(a.input.format), enabled: orUndefined(a.input.enabled) }),
  }),
  deleteWebhook: t.field({
    type: DeletedWebhook,
    description: 'Deletes the webhook and its delivery history; queued deliveries are dropped.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => deleteWebhook(ctx.principal, a.id),
  }),
  testWebhook: t.field({
    type: WebhookDelivery,
    description: 'Queues a webhook.test event for this webhook now.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => testWebhook(ctx.principal, a.id),
  }),
}));
