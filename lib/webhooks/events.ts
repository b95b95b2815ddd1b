/** The events an organisation can subscribe a webhook to. */
export const WEBHOOK_EVENTS = {
  'share.created': 'A share was created',
  'share.revoked': 'A share was revoked',
  'share.expired': 'A share reached its expiry',
  'guest.access': 'A guest opened a share for the first time',
  'guest.access_denied': 'A guest was refused (wrong password, network, country…)',
  'guest.revoked': 'A guest was disabled or their sessions ended',
  'alert.raised': 'An anomaly alert was raised (downloads, new country, refusals, addresses)',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
/** Sent only by "Send test event", to one webhook, whatever it subscribes to. */
export const TEST_EVENT = 'webhook.test';

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];
export const isWebhookEventType = (v: unknown): v is WebhookEventType => typeof v === 'string' && v in WEBHOOK_EVENTS;

/** What messaging tools show: a title, a line or two, a few facts, a link into the console. */
export interface EventSummary {
  title: string;
  text?: string;
  facts?: Array<[string, string]>;
  url?: string;
}

/** An event as stored with each delivery and sent (JSON format) as the body. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType | typeof TEST_EVENT;
  createdAt: string;
  organization: { id: string; slug: string; name: string };
  data: Record<string, unknown>;
  summary: EventSummary;
}
