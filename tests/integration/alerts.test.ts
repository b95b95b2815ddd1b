import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { recordAudit } from '../../lib/audit/record';
import { verifyAuditChain } from '../../lib/audit/verify';
import { evaluateAlerts, evaluateOrg } from '../../lib/alerts/evaluate';
import { DEFAULT_ALERT_RULES, getAlertRules, updateAlertRules, type AlertRules } from '../../lib/alerts/rules';
import { acknowledgeAlert, alertCounts, listAlerts } from '../../lib/alerts/service';
import { mailHandler } from '../../lib/mail/deliver';
import { webhookHandler } from '../../lib/webhooks/deliver';
import { createWebhook } from '../../lib/webhooks/service';
import { QueueWorker } from '../../lib/queue/worker';
import type { QueueHandler } from '../../lib/queue/types';
import { createStaff } from '../helpers/factory';
import { apiContent, apiOpen, apiToken, sharedPdf } from '../helpers/guest';
import { startReceiver } from '../helpers/http-receiver';
import { startSmtp } from '../helpers/smtp';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
type Rx = Awaited<ReturnType<typeof startReceiver>>;
let smtp: Smtp;
let rx: Rx;

beforeAll(async () => {
  smtp = await startSmtp();
  rx = await startReceiver();
  process.env.SMTP_URL = smtp.url;
  process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE = '1';
});
afterAll(async () => {
  await smtp.close();
  await rx.close();
  delete process.env.SMTP_URL;
  delete process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE;
});

const worker = (orgId: string) => new QueueWorker({
  handlers: new Map<string, QueueHandler>([['mail', mailHandler as QueueHandler], ['webhook', webhookHandler as QueueHandler]]),
  orgIds: [orgId], backoff: { baseMs: 40, capMs: 120 },
});

const off = DEFAULT_ALERT_RULES;
const rules = (patch: Partial<AlertRules>): AlertRules => ({ ...off, ...patch });

/** A share with one downloadable document, an administrator, and the given rules turned on. */
async function setup(r: Partial<AlertRules>, share: Record<string, unknown> = {}) {
  const s = await sharedPdf({ allowDownload: true, watermark: false, ...share });
  const { principal: admin, user } = await createStaff(s.org.id, 'ADMIN');
  await updateAlertRules(admin, rules(r));
  return { ...s, admin, adminUser: user };
}

const alertsOf = (orgId: string) => prisma().alert.findMany({ where: { orgId }, orderBy: { raisedAt: 'asc' } });

describe('anomaly alert rules', { timeout: 180_000 }, () => {
  it('downloads: fires on the download past the threshold, not at it, once per window; audited, mailed to admins, sent to the webhook', async () => {
    const s = await setup({ downloads: { enabled: true, count: 3, minutes: 10 } });
    const { secret } = await createWebhook(s.admin, { url: rx.url('/alerts'), events: ['alert.raised'], format: 'JSON' });
    const token = await apiToken(s.url);
    for (let i = 0; i < 3; i++) expect((await apiContent(token, s.doc.id)).status).toBe(200);
    expect(await evaluateOrg(s.org.id)).toBe(0);
    expect(await alertsOf(s.org.id)).toHaveLength(0);

    expect((await apiContent(token, s.doc.id)).status).toBe(200);
    expect(await evaluateOrg(s.org.id)).toBe(1);
    for (let i = 0; i < 3; i++) expect((await apiContent(token, s.doc.id)).status).toBe(200);
    expect(await evaluateOrg(s.org.id)).toBe(0);
    const [alert, ...more] = await alertsOf(s.org.id);
    expect(more).toHaveLength(0);
    expect(alert).toMatchObject({ rule: 'downloads', acknowledgedAt: null });
    expect(alert.details).toMatchObject({ downloads: 4, threshold: 3, minutes: 10 });

    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'alert.raised' } });
    expect(ev).toMatchObject({ actorType: 'system', actor: 'anomaly alerts', reason: 'downloads' });
    expect(ev.details).toMatchObject({ alertId: alert.id, rule: 'downloads', guestId: alert.guestId });

    smtp.received.length = 0;
    await worker(s.org.id).drain();
    // The share's owner also gets its first-access notice; the alert goes to the administrator alone.
    const mails = (await smtp.waitFor(1)).filter((m) => m.parsed.subject?.startsWith('Alert:'));
    expect(mails).toHaveLength(1);
    expect(mails[0].envelope.to).toEqual([s.adminUser.email.toLowerCase()]);
    expect(mails[0].parsed.subject).toMatch(/^Alert: .* downloaded 4 documents in 10 minutes$/);
    expect(mails[0].parsed.text).toContain(`/alerts?alert=${alert.id}`);

    const hit = rx.hits.find((h) => h.path === '/alerts')!;
    expect(hit).toBeTruthy();
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: 'alert.raised', organization: { id: s.org.id }, data: { alert: { id: alert.id, rule: 'downloads', downloads: 4 } } });
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hit.headers['liaison-signature']))!;
    expect(crypto.createHmac('sha256', secret).update(`${m[1]}.${hit.body}`).digest('hex')).toBe(m[2]);
    expect((await verifyAuditChain(s.org.id)).ok).toBe(true);
  });

  it('refusals on one share: fires past the threshold, not at it', async () => {
    // Opened from outside the share's network: refused before any password is hashed (cheap and real).
    const s = await setup({ shareRefusals: { enabled: true, count: 3, minutes: 15 } }, { allowedIpRanges: ['10.0.0.0/8'] });
    const refused = async (ip: string) => expect((await apiOpen({ link: s.url }, ip)).res.status).toBe(403);
    for (let i = 0; i < 3; i++) await refused(`203.0.113.${10 + i}`);
    expect(await evaluateOrg(s.org.id)).toBe(0);
    await refused('203.0.113.20');
    expect(await evaluateOrg(s.org.id)).toBe(1);
    await refused('203.0.113.21');
    expect(await evaluateOrg(s.org.id)).toBe(0);
    const [a] = await alertsOf(s.org.id);
    expect(a).toMatchObject({ rule: 'share_refusals', shareId: s.share.id });
    expect(a.details).toMatchObject({ refusals: 4, threshold: 3 });
  });

  it('one guest from many addresses in a day: fires on the address past the threshold, once that day', async () => {
    const s = await setup({ guestIps: { enabled: true, count: 2 } });
    const token = await apiToken(s.url, {}, '198.51.100.1');
    expect((await apiContent(token, s.doc.id, '198.51.100.1')).status).toBe(200);
    expect((await apiContent(token, s.doc.id, '198.51.100.2')).status).toBe(200);
    expect((await apiContent(token, s.doc.id, '198.51.100.2')).status).toBe(200);
    expect(await evaluateOrg(s.org.id)).toBe(0);
    expect((await apiContent(token, s.doc.id, '198.51.100.3')).status).toBe(200);
    expect((await apiContent(token, s.doc.id, '198.51.100.4')).status).toBe(200);
    expect(await evaluateOrg(s.org.id)).toBe(1);
    const [a] = await alertsOf(s.org.id);
    expect(a.rule).toBe('guest_ips');
    expect((a.details as { addresses: string[] }).addresses.sort()).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
  });

  it('new country: not for a first country, not for a known one; once per guest and country', async () => {
    const s = await setup({ newCountry: { enabled: true } });
    const session = (guestId: string, country: string | null) => recordAudit({
      orgId: s.org.id, type: 'guest.session', shareId: s.share.id, actor: { type: 'guest', id: guestId, label: `${guestId}@example.org` },
      request: { ip: '198.51.100.9' }, details: { sessionId: 'x', method: 'link', country },
    });
    await session('g1', 'FR');
    await session('g1', null);
    await session('g1', 'FR');
    await session('g2', 'DE');
    expect(await evaluateOrg(s.org.id)).toBe(0);
    await session('g1', 'DE');
    expect(await evaluateOrg(s.org.id)).toBe(1);
    await session('g1', 'DE');
    await session('g1', 'BR');
    expect(await evaluateOrg(s.org.id)).toBe(1);
    const list = await alertsOf(s.org.id);
    expect(list.map((a) => [a.rule, a.guestId, (a.details as { country: string }).country])).toEqual([['new_country', 'g1', 'DE'], ['new_country', 'g1', 'BR']]);
    expect(list[1].details).toMatchObject({ knownCountries: ['DE', 'FR'] });
  });

  it('only events after the rules were turned on count; rules off raise nothing; a dedupe key never raises twice', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const { principal: admin } = await createStaff(s.org.id, 'ADMIN');
    const token = await apiToken(s.url);
    for (let i = 0; i < 5; i++) expect((await apiContent(token, s.doc.id)).status).toBe(200);
    await updateAlertRules(admin, rules({ downloads: { enabled: false, count: 1, minutes: 10 } }));
    expect(await evaluateOrg(s.org.id)).toBe(0);
    await updateAlertRules(admin, rules({ downloads: { enabled: true, count: 1, minutes: 10 } }));
    expect(await evaluateOrg(s.org.id)).toBe(0); // the five earlier downloads are history
    expect((await apiContent(token, s.doc.id)).status).toBe(200);
    expect(await evaluateAlerts()).toBeGreaterThanOrEqual(1);
    expect(await alertsOf(s.org.id)).toHaveLength(1);
    // Evaluating the same events again (position reset) finds the alert already raised.
    await prisma().alertSettings.update({ where: { orgId: s.org.id }, data: { lastSeq: 0 } });
    expect(await evaluateOrg(s.org.id)).toBe(0);
    expect(await alertsOf(s.org.id)).toHaveLength(1);
  });

  it('rules are validated and audited; only admins change them or acknowledge alerts (audited, once)', async () => {
    const s = await setup({ downloads: { enabled: true, count: 1, minutes: 5 } });
    const { principal: auditor } = await createStaff(s.org.id, 'AUDITOR');
    const { principal: member } = await createStaff(s.org.id, 'MEMBER');
    await expect(updateAlertRules(s.admin, rules({ downloads: { enabled: true, count: 0, minutes: 5 } }))).rejects.toThrow(/At least 1 for downloads/);
    await expect(updateAlertRules(s.admin, rules({ shareRefusals: { enabled: true, count: 5, minutes: 2000 } }))).rejects.toThrow(/At most 1,440 minutes/);
    await expect(updateAlertRules(s.admin, { ...off, extra: true })).rejects.toThrow();
    await expect(updateAlertRules(auditor, off)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await getAlertRules(auditor)).downloads).toEqual({ enabled: true, count: 1, minutes: 5 });
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, type: 'alert.rules' } })).toBe(1);

    const token = await apiToken(s.url);
    for (let i = 0; i < 2; i++) await apiContent(token, s.doc.id);
    expect(await evaluateOrg(s.org.id)).toBe(1);
    const open = await listAlerts(auditor);
    expect(open.nodes).toHaveLength(1);
    expect(open.nodes[0]).toMatchObject({ ruleLabel: 'Many downloads by one guest', facts: expect.arrayContaining([['Downloads', '2']]) });
    await expect(acknowledgeAlert(auditor, open.nodes[0].id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listAlerts(member)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(acknowledgeAlert(s.admin, 'no-such-alert')).rejects.toMatchObject({ code: 'not_found' });
    const acked = await acknowledgeAlert(s.admin, open.nodes[0].id, 'Checked with the guest: a bulk review.');
    expect(acked.acknowledgedAt).not.toBeNull();
    await expect(acknowledgeAlert(s.admin, open.nodes[0].id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await alertCounts(auditor)).toEqual({ open: 0, acknowledged: 1 });
    expect((await listAlerts(auditor, { state: 'ACKNOWLEDGED' })).nodes).toHaveLength(1);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'alert.acknowledge' } });
    expect(ev.details).toMatchObject({ alertId: open.nodes[0].id, rule: 'downloads', note: 'Checked with the guest: a bulk review.' });
  });
});
