import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { handleGraphql } from '../../lib/graphql/yoga';
import { emitEvent } from '../../lib/webhooks/emit';
import { postWebhook, webhookHandler } from '../../lib/webhooks/deliver';
import { createWebhook, deleteWebhook, listWebhooks, testWebhook, updateWebhook } from '../../lib/webhooks/service';
import { QueueWorker } from '../../lib/queue/worker';
import type { QueueHandler } from '../../lib/queue/types';
import { createDocument } from '../../lib/documents/service';
import { createShare, revokeShare } from '../../lib/shares/service';
import { createOrg, createStaff, fileFrom } from '../helpers/factory';
import { consoleSession } from '../helpers/console-session';
import { startReceiver } from '../helpers/http-receiver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const worker = (orgId: string) => new QueueWorker({ handlers: new Map([['webhook', webhookHandler as QueueHandler]]), orgIds: [orgId], backoff: { baseMs: 40, capMs: 120 } });
const summary = { title: 'Share of “Q3 <report>” & more revoked', text: 'Reason: <@channel> leak', facts: [['Revoked', '2026-12-02T10:00:00.000Z']] as Array<[string, string]>, url: 'http://liaison.test/shares/abc' };

/** How a receiver checks a JSON delivery: HMAC-SHA256 of "<t>.<raw body>" with the secret. */
function verify(secret: string, header: string | undefined, body: string) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const mac = crypto.createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(m[2])) && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
}

async function adminOf() {
  const org = await createOrg('Harbour Legal');
  const { principal, user } = await createStaff(org.id, 'ADMIN');
  return { org, principal, user };
}

beforeAll(() => { process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE = '1'; });
afterAll(() => { delete process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE; });
beforeEach(() => { process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE = '1'; });

describe('webhook deliveries to a local HTTP server', () => {
  it('JSON: signed with Liaison-Signature over "t.body", with an id, a type and a timestamp', async () => {
    const rx = await startReceiver();
    try {
      const { org, principal } = await adminOf();
      const { webhook, secret } = await createWebhook(principal, { url: rx.url(), events: ['share.revoked'], format: 'JSON' });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const stored = await prisma().webhook.findUniqueOrThrow({ where: { id: webhook.id } });
      expect(Buffer.from(stored.secretEnc).toString('latin1')).not.toContain(secret.slice(6));
      expect(await emitEvent(org.id, 'share.revoked', { data: { share: { id: 'abc' } }, summary })).toBe(1);
      expect(await emitEvent(org.id, 'share.created', { data: {}, summary })).toBe(0); // not subscribed
      await worker(org.id).drain();
      expect(rx.hits).toHaveLength(1);
      const hit = rx.hits[0];
      expect(hit.method).toBe('POST');
      expect(hit.headers['content-type']).toBe('application/json');
      expect(verify(secret, hit.headers['liaison-signature'] as string, hit.body)).toBe(true);
      expect(verify(secret, hit.headers['liaison-signature'] as string, hit.body.replace('abc', 'abd'))).toBe(false);
      expect(verify(`${secret}x`, hit.headers['liaison-signature'] as string, hit.body)).toBe(false);
      const body = JSON.parse(hit.body);
      expect(body).toMatchObject({ type: 'share.revoked', organization: { id: org.id, name: 'Harbour Legal' }, data: { share: { id: 'abc' } } });
      expect(body.id).toMatch(/^evt_/);
      expect(new Date(body.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(hit.headers['liaison-event-id']).toBe(body.id);
      expect(hit.headers['liaison-event-type']).toBe('share.revoked');
      const [listed] = await listWebhooks(principal);
      expect(listed.lastDelivery).toMatchObject({ eventType: 'share.revoked', responseStatus: 200, job: { status: 'DONE', attempts: 1 } });
    } finally {
      await rx.close();
    }
  });

  it('SLACK: an incoming-webhook message {text, blocks}, with mrkdwn escaped', async () => {
    const rx = await startReceiver();
    try {
      const { org, principal } = await adminOf();
      await createWebhook(principal, { url: rx.url('/services/T000/B000/XXX'), events: ['share.revoked'], format: 'SLACK' });
      await emitEvent(org.id, 'share.revoked', { data: {}, summary });
      await worker(org.id).drain();
      const body = JSON.parse(rx.hits[0].body);
      expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
      expect(body.text).toBe('Share of “Q3 &lt;report&gt;” &amp; more revoked — Reason: &lt;@channel&gt; leak');
      expect(body.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Share of “Q3 &lt;report&gt;” &amp; more revoked*\nReason: &lt;@channel&gt; leak' } });
      expect(body.blocks[1]).toEqual({ type: 'section', fields: [{ type: 'mrkdwn', text: '*Revoked*\n2026-12-02T10:00:00.000Z' }] });
      expect(body.blocks[2]).toEqual({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Liaison' }, url: 'http://liaison.test/shares/abc' }] });
      expect(body.blocks[3].type).toBe('context');
    } finally {
      await rx.close();
    }
  });

  it('TEAMS: a message with one Adaptive Card', async () => {
    const rx = await startReceiver();
    try {
      const { org, principal } = await adminOf();
      await createWebhook(principal, { url: rx.url('/workflows/abc'), events: ['share.revoked'], format: 'TEAMS' });
      await emitEvent(org.id, 'share.revoked', { data: {}, summary });
      await worker(org.id).drain();
      const body = JSON.parse(rx.hits[0].body);
      expect(body.type).toBe('message');
      expect(body.attachments).toHaveLength(1);
      const a = body.attachments[0];
      expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(a.content).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4' });
      expect(a.content.body[0]).toMatchObject({ type: 'TextBlock', text: summary.title, weight: 'Bolder', wrap: true });
      expect(a.content.body).toContainEqual({ type: 'FactSet', facts: [{ title: 'Revoked', value: '2026-12-02T10:00:00.000Z' }] });
      expect(a.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in Liaison', url: 'http://liaison.test/shares/abc' }]);
    } finally {
      await rx.close();
    }
  });

  it('retries on 500 with backoff until delivered; a 404 fails at once; a redirect is not followed', async () => {
    let flakyHits = 0;
    const rx = await startReceiver((hit) => {
      if (hit.path === '/flaky') return ++flakyHits <= 2 ? { status: 500, body: 'upstream down' } : { status: 204 };
      if (hit.path === '/gone') return { status: 404, body: 'no_service' };
      if (hit.path === '/moved') return { status: 302, headers: { location: '/elsewhere' } };
      return { status: 200 };
    });
    try {
      const { org, principal } = await adminOf();
      const flaky = (await createWebhook(principal, { url: rx.url('/flaky'), events: ['share.revoked'] })).webhook;
      const gone = (await createWebhook(principal, { url: rx.url('/gone'), events: ['share.revoked'] })).webhook;
      const moved = (await createWebhook(principal, { url: rx.url('/moved'), events: ['share.revoked'] })).webhook;
      await emitEvent(org.id, 'share.revoked', { data: {}, summary });
      const w = worker(org.id);
      for (let i = 0; i < 20; i++) {
        await w.runOnce();
        const pending = await prisma().queueItem.count({ where: { orgId: org.id, status: { in: ['PENDING', 'RUNNING'] } } });
        if (!pending) break;
        await sleep(60);
      }
      const d = async (webhookId: string) => prisma().webhookDelivery.findFirstOrThrow({ where: { webhookId }, include: { job: true } });
      expect(await d(flaky.id)).toMatchObject({ responseStatus: 204, job: { status: 'DONE', attempts: 3 } });
      expect(rx.hits.filter((h) => h.path === '/flaky')).toHaveLength(3);
      expect(await d(gone.id)).toMatchObject({ responseStatus: 404, job: { status: 'FAILED', attempts: 1, lastError: 'HTTP 404: no_service' } });
      expect(await d(moved.id)).toMatchObject({ responseStatus: 302, job: { status: 'FAILED', attempts: 1 } });
      expect((await d(moved.id)).job.lastError).toContain('redirects are not followed');
      expect(rx.hits.some((h) => h.path === '/elsewhere')).toBe(false);
      // Every attempt of the flaky one carried a fresh, valid signature of the same event.
      const ids = new Set(rx.hits.filter((h) => h.path === '/flaky').map((h) => h.headers['liaison-event-id']));
      expect(ids.size).toBe(1);
    } finally {
      await rx.close();
    }
  });

  it('times out a receiver that never answers', async () => {
    const rx = await startReceiver(() => 'hang');
    try {
      const t0 = Date.now();
      await expect(postWebhook(new URL(rx.url()), '{}', {}, 300)).rejects.toMatchObject({ name: expect.stringMatching(/TimeoutError|AbortError/) });
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await rx.close();
    }
  });
});

describe('webhook URLs (SSRF)', () => {
  it('refuses non-http(s) URLs and credentials, always', async () => {
    const { principal } = await adminOf();
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://example.com', 'http://user:pass@example.com/hook', 'https://token@example.com/', 'not a url', '']) {
      await expect(createWebhook(principal, { url, events: ['share.revoked'] }), url).rejects.toMatchObject({ code: 'validation_failed' });
    }
  });

  it('refuses loopback, private, link-local and look-alike forms of them unless LIAISON_WEBHOOK_ALLOW_PRIVATE=1', async () => {
    delete process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE;
    const { principal } = await adminOf();
    for (const url of ['http://127.0.0.1:8080/', 'http://localhost/hook', 'http://[::1]/', 'http://10.0.0.5/', 'http://192.168.1.1/', 'http://172.16.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://0x7f.1/', 'http://[fd00::1]/', 'http://[fe80::1]/']) {
      const err = await createWebhook(principal, { url, events: ['share.revoked'] }).catch((e) => e);
      expect(err, url).toMatchObject({ code: 'validation_failed' });
      expect(String(err.message), url).toMatch(/not a public address/);
    }
    expect(await prisma().webhook.count({ where: { orgId: principal.orgId } })).toBe(0);
  });

  it('checks again at delivery time: a destination that became private is refused and never contacted', async () => {
    const rx = await startReceiver();
    try {
      const { org, principal } = await adminOf();
      await createWebhook(principal, { url: rx.url(), events: ['share.revoked'] });
      await createWebhook(principal, { url: `http://localhost:${rx.port}/by-name`, events: ['share.revoked'] });
      await emitEvent(org.id, 'share.revoked', { data: {}, summary });
      // What was allowed when saved is not allowed any more (as when a name starts resolving to 127.0.0.1).
      delete process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE;
      await worker(org.id).drain();
      expect(rx.hits).toHaveLength(0);
      const jobs = await prisma().queueItem.findMany({ where: { orgId: org.id, kind: 'webhook' } });
      expect(jobs).toHaveLength(2);
      for (const j of jobs) {
        expect(j).toMatchObject({ status: 'FAILED', attempts: 1 });
        expect(j.lastError).toMatch(/(127\.0\.0\.1|::1)(, which)? is not a public address/);
      }
    } finally {
      await rx.close();
    }
  });
});

describe('webhook administration', () => {
  it('disable, test, delete; other organisations and non-admins see nothing', async () => {
    const rx = await startReceiver();
    try {
      const { org, principal } = await adminOf();
      const { principal: member } = await createStaff(org.id, 'MEMBER');
      const other = await adminOf();
      const { webhook } = await createWebhook(principal, { url: rx.url(), events: ['share.created', 'share.revoked'], format: 'SLACK' });
      await expect(createWebhook(member, { url: rx.url(), events: ['share.revoked'] })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(updateWebhook(other.principal, webhook.id, { enabled: false })).rejects.toMatchObject({ code: 'not_found' });
      await expect(deleteWebhook(other.principal, '../x\u0000')).rejects.toMatchObject({ code: 'not_found' });
      // The probing organisation's own trail records both attempts; nothing is written to ours.
      const probes = await prisma().auditEvent.findMany({ where: { orgId: other.org.id, outcome: 'denied' }, orderBy: { seq: 'asc' } });
      expect(probes.map((e) => [e.type, e.reason])).toEqual([['webhook.update', 'not_found'], ['webhook.delete', 'invalid_id']]);
      expect(probes[1].details).toEqual({ webhookId: '../x\\u0000' });
      await expect(createWebhook(principal, { url: rx.url(), events: ['share.nope'] })).rejects.toThrow(/events/);
      await expect(createWebhook(principal, { url: rx.url(), events: [] })).rejects.toThrow(/at least one/);

      // A test event goes to this webhook whatever it subscribes to.
      const d = await testWebhook(principal, webhook.id);
      expect(d.eventType).toBe('webhook.test');
      await worker(org.id).drain();
      expect(JSON.parse(rx.hits[0].body).text).toContain('Test event from Liaison');

      // Disabled: nothing queued, and what was queued before is not sent.
      await emitEvent(org.id, 'share.created', { data: {}, summary });
      const off = await updateWebhook(principal, webhook.id, { enabled: false });
      expect(off.enabled).toBe(false);
      expect(await emitEvent(org.id, 'share.created', { data: {}, summary })).toBe(0);
      await worker(org.id).drain();
      expect(rx.hits).toHaveLength(1);
      expect(off.lastDelivery?.job.status).toBe('PENDING');
      const last = (await listWebhooks(principal))[0].lastDelivery;
      expect(last).toMatchObject({ job: { status: 'FAILED' } });
      await expect(testWebhook(principal, webhook.id)).rejects.toMatchObject({ code: 'conflict' });

      // Deleted: its deliveries and queue items go with it.
      await updateWebhook(principal, webhook.id, { enabled: true });
      await emitEvent(org.id, 'share.created', { data: {}, summary });
      await deleteWebhook(principal, webhook.id);
      expect(await prisma().webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(0);
      expect(await prisma().queueItem.count({ where: { orgId: org.id, kind: 'webhook' } })).toBe(0);
      const types = (await prisma().auditEvent.findMany({ where: { orgId: org.id, type: { startsWith: 'webhook.' } }, orderBy: { seq: 'asc' } })).map((e) => e.type);
      expect(types).toEqual(['webhook.create', 'webhook.test', 'webhook.update', 'webhook.update', 'webhook.delete']);
    } finally {
      await rx.close();
    }
  });

  it('share.created and share.revoked fire from the share service', async () => {
    const rx = await startReceiver();
    try {
      const { org, principal } = await adminOf();
      await createWebhook(principal, { url: rx.url(), events: ['share.created', 'share.revoked'] });
      const doc = await createDocument(principal, fileFrom('x', 'brief.txt', 'text/plain'), { title: 'Brief <one>', tlp: 'GREEN' }, 1e6);
      const { share } = await createShare(principal, { documentIds: [doc.id], recipients: ['counsel@example.org'] });
      await revokeShare(principal, share.id, 'sent to the wrong firm');
      await revokeShare(principal, share.id); // again: nothing new
      await worker(org.id).drain();
      const bodies = rx.hits.map((h) => JSON.parse(h.body));
      expect(bodies.map((b) => b.type)).toEqual(['share.created', 'share.revoked']);
      expect(bodies[0].data.share).toMatchObject({ id: share.id, documents: [{ id: doc.id, title: 'Brief <one>' }] });
      expect(bodies[0].data.recipients).toEqual(['counsel@example.org']);
      expect(bodies[1].data).toMatchObject({ reason: 'sent to the wrong firm' });
    } finally {
      await rx.close();
    }
  });

  it('GraphQL: createWebhook returns the secret once; webhooks, updateWebhook, testWebhook, deleteWebhook', async () => {
    const rx = await startReceiver();
    try {
      const { org, user } = await adminOf();
      const { cookie } = await consoleSession(user);
      const gql = async (query: string, variables?: Record<string, unknown>) => {
        const res = await handleGraphql(new Request('http://liaison.test/api/graphql', { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: 'http://liaison.test', 'x-liaison-client-ip': '198.51.100.9' }, body: JSON.stringify({ query, variables }) }));
        return res.json() as Promise<{ data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> }>;
      };
      const created = await gql('mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { secret webhook { id url events format enabled lastDelivery { id } } } }', { in: { url: rx.url('/gql'), events: ['share.revoked'], format: 'TEAMS' } });
      expect(created.errors).toBeUndefined();
      const w = created.data.createWebhook;
      expect(w.secret).toMatch(/^whsec_/);
      expect(w.webhook).toMatchObject({ url: rx.url('/gql'), events: ['share.revoked'], format: 'TEAMS', enabled: true, lastDelivery: null });
      const listed = await gql('{ webhooks { id url } webhookEventTypes { type } }');
      expect(JSON.stringify(listed.data)).not.toContain('whsec_');
      expect(listed.data.webhookEventTypes.map((e: { type: string }) => e.type)).toContain('guest.access_denied');
      const bad = await gql('mutation { createWebhook(input: { url: "http://u:p@example.com", events: ["share.revoked"] }) { secret } }');
      expect(bad.errors?.[0].extensions?.code).toBe('validation_failed');
      const upd = await gql('mutation($id: ID!) { updateWebhook(id: $id, input: { events: ["share.created", "guest.access"], format: JSON }) { events format } }', { id: w.webhook.id });
      expect(upd.data.updateWebhook).toEqual({ events: ['share.created', 'guest.access'], format: 'JSON' });
      const t = await gql('mutation($id: ID!) { testWebhook(id: $id) { id eventType status } }', { id: w.webhook.id });
      expect(t.data.testWebhook).toMatchObject({ eventType: 'webhook.test', status: 'QUEUED' });
      await worker(org.id).drain();
      const after = await gql('query($id: ID!) { webhook(id: $id) { lastDelivery { status responseStatus attempts } deliveries(first: 5) { nodes { eventType status } } } }', { id: w.webhook.id });
      expect(after.data.webhook.lastDelivery).toEqual({ status: 'DELIVERED', responseStatus: 200, attempts: 1 });
      expect(after.data.webhook.deliveries.nodes).toEqual([{ eventType: 'webhook.test', status: 'DELIVERED' }]);
      const del = await gql('mutation($id: ID!) { deleteWebhook(id: $id) { id } }', { id: w.webhook.id });
      expect(del.data.deleteWebhook.id).toBe(w.webhook.id);
      expect((await gql('{ webhooks { id } }')).data.webhooks).toEqual([]);
    } finally {
      await rx.close();
    }
  });
});
