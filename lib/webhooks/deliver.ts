import http from 'node:http';
import https from 'node:https';
import { prisma } from '../db/client';
import { registerQueueHandler } from '../queue/registry';
import { RetryLaterError, type QueueHandler } from '../queue/types';
import type { WebhookEvent } from './events';
import { WEBHOOK_KIND } from './emit';
import { signatureHeader, webhookBody } from './format';
import { openSecret } from './secret';
import { assertLiteralAllowed, DestinationRefused, guardedLookup, parseWebhookUrl } from './url-guard';

/** The whole exchange, connection included, must end within this. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 4096;

export interface PostResult { status: number; body: string; durationMs: number; retryAfterMs: number | null }

/** A failed delivery, with what the receiver answered (for the console). */
export class DeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean, readonly status: number | null, readonly durationMs: number | null) {
    super(message);
    this.name = 'DeliveryError';
  }
}

function retryAfterMs(h: string | string[] | undefined): number | null {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return null;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/**
 * POSTs a body: the address is checked when the socket connects (guardedLookup), redirects are not
 * followed (a 3xx is an answer like any other), and the response is read up to 4 KB.
 */
export function postWebhook(url: URL, body: string, headers: Record<string, string>, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<PostResult> {
  assertLiteralAllowed(url);
  const started = Date.now();
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method: 'POST',
      lookup: guardedLookup,
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Liaison-Webhooks/1', ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(c.subarray(0, MAX_RESPONSE_BYTES - size));
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), durationMs: Date.now() - started, retryAfterMs: retryAfterMs(res.headers['retry-after']) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** 2xx is delivered. 408, 425, 429 and 5xx are worth retrying; any other answer (a 3xx, 4xx) will not change. */
export function classifyResponse(r: PostResult): Error | null {
  if (r.status >= 200 && r.status < 300) return null;
  const snippet = r.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const msg = `HTTP ${r.status}${r.status >= 300 && r.status < 400 ? ' (redirects are not followed)' : ''}${snippet ? `: ${snippet}` : ''}`;
  if (r.status === 429 && r.retryAfterMs !== null) return new RetryLaterError(msg, r.retryAfterMs);
  const retry = r.status >= 500 || [408, 425, 429].includes(r.status);
  return new DeliveryError(msg, !retry, r.status, r.durationMs);
}

interface Delivered { deliveryId: string | null; status: number; durationMs: number }

export const webhookHandler: QueueHandler<Delivered> = {
  kind: WEBHOOK_KIND,
  async run(item) {
    const d = await prisma().webhookDelivery.findUnique({ where: { jobId: item.id }, include: { webhook: true } });
    if (!d) return { deliveryId: null, status: 0, durationMs: 0 };
    if (!d.webhook.enabled) throw new DeliveryError('The webhook was disabled before this delivery went out.', true, null, null);
    const event = d.event as unknown as WebhookEvent;
    const body = webhookBody(d.webhook.format, event);
    const t = Math.floor(Date.now() / 1000);
    const headers = {
      'liaison-signature': signatureHeader(openSecret(d.webhook.id, d.webhook.secretEnc), body, t),
      'liaison-event-id': event.id,
      'liaison-event-type': event.type,
      'liaison-delivery-id': d.id,
    };
    let r: PostResult;
    try {
      r = await postWebhook(parseWebhookUrl(d.webhook.url), body, headers);
    } catch (e) {
      if (e instanceof DestinationRefused) throw new DeliveryError(`${e.message}: refused (webhooks may only call public addresses)`, true, null, null);
      const err = e as NodeJS.ErrnoException;
      const why = err.name === 'TimeoutError' || err.name === 'AbortError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : `${err.code ?? ''} ${err.message}`.trim();
      if (err.cause instanceof DestinationRefused) throw new DeliveryError(`${err.cause.message}: refused (webhooks may only call public addresses)`, true, null, null);
      throw new DeliveryError(why, false, null, null);
    }
    const failure = classifyResponse(r);
    if (failure) {
      if (failure instanceof DeliveryError) throw new DeliveryError(failure.message, failure.permanent, r.status, r.durationMs);
      throw Object.assign(failure, { status: r.status, durationMs: r.durationMs });
    }
    return { deliveryId: d.id, status: r.status, durationMs: r.durationMs };
  },
  async record(tx, item, outcome) {
    if (outcome.ok) {
      if (outcome.result.deliveryId) await tx.webhookDelivery.update({ where: { id: outcome.result.deliveryId }, data: { responseStatus: outcome.result.status, durationMs: outcome.result.durationMs, deliveredAt: new Date() } });
      return;
    }
    const e = outcome.error as { status?: number | null; durationMs?: number | null };
    await tx.webhookDelivery.updateMany({ where: { jobId: item.id }, data: { responseStatus: e.status ?? null, durationMs: e.durationMs ?? null } });
  },
};

registerQueueHandler(webhookHandler);
