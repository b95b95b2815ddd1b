import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { enqueueMail } from '../../lib/mail/enqueue';
import { mailHandler } from '../../lib/mail/deliver';
import { getMailMessage, listMailMessages, retryMail } from '../../lib/mail/messages';
import { codeRuns } from '../../lib/mail/render';
import { QueueWorker } from '../../lib/queue/worker';
import type { QueueHandler } from '../../lib/queue/types';
import { createOrg, createStaff } from '../helpers/factory';
import { startSmtp } from '../helpers/smtp';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
const FAST = { baseMs: 40, capMs: 160 };
const handlers = () => new Map<string, QueueHandler>([['mail', mailHandler as QueueHandler]]);
const workerFor = (orgId: string, extra: Partial<ConstructorParameters<typeof QueueWorker>[0]> = {}) =>
  new QueueWorker({ handlers: handlers(), orgIds: [orgId], backoff: FAST, ...extra });

const job = (mailId: string) => prisma().mailMessage.findUniqueOrThrow({ where: { id: mailId }, include: { job: true } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let smtp: Smtp;
beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  process.env.LIAISON_MAIL_FROM = 'Liaison Notifications <notify@liaison.example>';
});
afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
  delete process.env.LIAISON_MAIL_FROM;
});
afterEach(() => { smtp.received.length = 0; });

describe('mail through a real SMTP server', () => {
  it('delivers text and HTML, branded with the organisation, from LIAISON_MAIL_FROM, authenticated', async () => {
    const org = await prisma().organization.update({ where: { id: (await createOrg('Harbour & Co <Legal>')).id }, data: { brandColor: '#0f766e', accentColor: '#9a3412' } });
    const m = await enqueueMail({ orgId: org.id, to: { name: 'Dana Counsel', address: 'Dana@Counsel.Example' }, template: 'invitation', data: { url: 'http://liaison.test/i/s3cr3t-invitation-secret', inviterName: 'Sam Staff', what: 'Q3 incident report', message: 'Please review <b>before</b> Friday.\nThanks', expiresAt: new Date('2026-12-24T10:00:00Z') } });
    expect(m.status).toBe('QUEUED');
    expect(await workerFor(org.id).drain()).toBe(1);
    const [got] = await smtp.waitFor(1);
    expect(got.user).toBe('liaison');
    expect(got.envelope).toEqual({ from: 'notify@liaison.example', to: ['dana@counsel.example'] });
    expect(got.parsed.from?.value[0]).toEqual({ address: 'notify@liaison.example', name: 'Harbour & Co <Legal> via Liaison Notifications' });
    expect(got.parsed.to && !Array.isArray(got.parsed.to) ? got.parsed.to.value[0] : null).toEqual({ address: 'dana@counsel.example', name: 'Dana Counsel' });
    expect(got.parsed.subject).toBe('Sam Staff shared “Q3 incident report” with you');
    expect(got.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // Text part: the real link, the message quoted as plain text.
    expect(got.parsed.text).toContain('http://liaison.test/i/s3cr3t-invitation-secret');
    expect(got.parsed.text).toContain('> Please review <b>before</b> Friday.');
    expect(got.parsed.text).toContain('Available until: 24 December 2026, 10:00 UTC');
    // HTML part: branded header and button, everything staff or guests wrote escaped.
    const html = String(got.parsed.html);
    expect(html).toContain('background:#0f766e');
    expect(html).toContain('background:#9a3412');
    expect(html).toContain('Harbour &amp; Co &lt;Legal&gt;');
    expect(html).toContain('Please review &lt;b&gt;before&lt;/b&gt; Friday.<br>Thanks');
    expect(html).not.toContain('<b>before</b>');
    expect(html).toContain('href="http://liaison.test/i/s3cr3t-invitation-secret"');
    // Sent: the stored copy keeps the link masked, and the sealed real body is gone.
    const row = await job(m.id);
    expect(row.job?.status).toBe('DONE');
    expect(row.sentAt).not.toBeNull();
    expect(row.sealedBody).toBeNull();
    expect(row.text).not.toContain('s3cr3t');
    expect(row.text).toContain('http://liaison.test/i/••••••••');
  });

  it('sends a code as the only run of 6 to 8 digits in the text, whatever digits the names hold', async () => {
    const org = await createOrg('Unit 4455667 Investigations');
    await enqueueMail({ orgId: org.id, to: 'guest@example.org', template: 'email_code', data: { code: '0427913', minutes: 10, what: 'case 20261130 files' } });
    await workerFor(org.id).drain();
    const [got] = await smtp.waitFor(1);
    const text = got.parsed.text ?? '';
    expect(codeRuns(text)).toEqual(['0427913']);
    expect(text).toContain('Unit 4\u2009455\u2009667 Investigations');
    expect(String(got.parsed.html)).toContain('0427913');
    expect(got.parsed.subject).not.toMatch(/\d{6}/);
  });

  it('keeps a pending code sealed: the stored text masks it, the console shows the mask', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    const m = await enqueueMail({ orgId: org.id, to: 'guest@example.org', template: 'email_code', data: { code: '551234', minutes: 10 } });
    const row = await job(m.id);
    expect(row.hasSecret).toBe(true);
    expect(row.text).not.toContain('551234');
    expect(Buffer.from(row.sealedBody!).toString('latin1')).not.toContain('551234');
    const shown = await getMailMessage(principal, m.id);
    expect(shown.masked).toBe(true);
    expect(shown.text).not.toContain('551234');
    await workerFor(org.id).drain();
    expect((await smtp.waitFor(1))[0].parsed.text).toContain('551234');
  });

  it('refuses header injection in addresses and display names, and keeps data out of the header block', async () => {
    const org = await createOrg('Evil\r\nBcc: victim@evil.example');
    for (const to of ['a@example.org\r\nBcc: x@evil.example', 'a@example.org\nBcc: x@evil.example', 'a\u0000@example.org', 'a@exa\u202emple.org', 'a@example.org, b@evil.example', '"x"@example.org']) {
      await expect(enqueueMail({ orgId: org.id, to, template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } }), JSON.stringify(to)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    for (const name of ['Dana\r\nBcc: x@evil.example', 'Dana\nX-Injected: 1', 'Dana\u0085Bcc']) {
      await expect(enqueueMail({ orgId: org.id, to: { name, address: 'dana@example.org' }, template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } })).rejects.toMatchObject({ code: 'validation_failed' });
    }
    // Data that ends up in headers (organisation name in From, a title in Subject) cannot break a line.
    await enqueueMail({ orgId: org.id, to: { name: 'Dana "The Boss" Ωmega', address: 'dana@example.org' }, template: 'access_revoked', data: { what: 'Report\r\nBcc: victim@evil.example\r\nX-Injected: yes', revokedAt: new Date() } });
    await workerFor(org.id).drain();
    const [got] = await smtp.waitFor(1);
    expect(got.envelope.to).toEqual(['dana@example.org']);
    const headerBlock = got.raw.split(/\r\n\r\n/)[0];
    expect(headerBlock).not.toMatch(/^bcc:/im);
    expect(headerBlock).not.toMatch(/^x-injected:/im);
    expect(got.parsed.headers.has('bcc')).toBe(false);
    expect(got.parsed.subject).toBe('Your access to “Report Bcc: victim@evil.example X-Injected: yes” has ended');
    expect(got.parsed.from?.value[0].name).toBe('Evil Bcc: victim@evil.example via Liaison Notifications');
    expect(got.parsed.to && !Array.isArray(got.parsed.to) ? got.parsed.to.value[0].name : null).toBe('Dana "The Boss" Ωmega');
  });

  it('sends to an internationalised domain in punycode, and flags a look-alike', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    const real = await enqueueMail({ orgId: org.id, to: 'anna@bücher.de', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } });
    const fake = await enqueueMail({ orgId: org.id, to: 'ceo@exаmple.com', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } });
    await workerFor(org.id).drain();
    const got = await smtp.waitFor(2);
    // On the wire the domains are punycode (smtp-server decodes the envelope back to Unicode for its callers).
    const toHeaders = got.map((g) => /^To: (.*)$/im.exec(g.raw)?.[1]).sort();
    expect(toHeaders).toEqual(['anna@xn--bcher-kva.de', 'ceo@xn--exmple-4nf.com']);
    expect(got.map((g) => g.envelope.to[0]).sort()).toEqual(['anna@bücher.de', 'ceo@exаmple.com']);
    const list = await listMailMessages(principal, {});
    const byId = new Map(list.nodes.map((n) => [n.id, n]));
    expect(byId.get(real.id)).toMatchObject({ to: 'anna@xn--bcher-kva.de', toDisplay: 'anna@bücher.de', toMixedScript: false, idn: true });
    expect(byId.get(fake.id)).toMatchObject({ to: 'ceo@xn--exmple-4nf.com', toDisplay: 'ceo@exаmple.com', toMixedScript: true });
  });

  it('sends a mail once per dedupe key', async () => {
    const org = await createOrg();
    const a = await enqueueMail({ orgId: org.id, to: 'x@example.org', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() }, dedupeKey: 'revoked:1' });
    const b = await enqueueMail({ orgId: org.id, to: 'x@example.org', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() }, dedupeKey: 'revoked:1' });
    expect(b).toEqual({ id: a.id, status: 'QUEUED', duplicate: true });
    // Both at once, in transactions: one mail, and neither transaction fails.
    const [c, d] = await Promise.all([1, 2].map(() => prisma().$transaction((tx) => enqueueMail({ orgId: org.id, to: 'x@example.org', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() }, dedupeKey: 'revoked:2' }, tx))));
    expect(c.id).toBe(d.id);
    await workerFor(org.id).drain();
    await smtp.waitFor(2);
    await sleep(100);
    expect(smtp.received).toHaveLength(2);
    expect(await prisma().queueItem.count({ where: { orgId: org.id, kind: 'mail' } })).toBe(2);
  });

  it('marks a 5xx answer as a permanent failure at once; "retry now" sends it when the server accepts', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    let refuse = true;
    const strict = await startSmtp({ reject: () => (refuse ? [550, '5.1.1 Mailbox unavailable'] : null) });
    process.env.SMTP_URL = strict.url;
    try {
      const m = await enqueueMail({ orgId: org.id, to: 'gone@example.org', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } });
      await workerFor(org.id).drain();
      let row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'FAILED', attempts: 1 });
      expect(row.job?.lastError).toMatch(/550.*Mailbox unavailable/);
      expect((await getMailMessage(principal, m.id)).status).toBe('FAILED');
      refuse = false;
      const retried = await retryMail(principal, m.id);
      expect(retried.status).toBe('QUEUED');
      await workerFor(org.id).drain();
      row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'DONE', attempts: 2 });
      expect(strict.received).toHaveLength(1);
      const audit = await prisma().auditEvent.findFirst({ where: { orgId: org.id, type: 'mail.retry' } });
      expect(audit?.details).toMatchObject({ mailId: m.id, previousStatus: 'FAILED' });
      await expect(retryMail(principal, m.id)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await strict.close();
      process.env.SMTP_URL = smtp.url;
    }
  });

  it('retries with backoff while the server is down, and delivers when it comes back', async () => {
    const org = await createOrg();
    const down = await startSmtp();
    const port = down.port;
    await down.close(); // nothing listens on that port now
    process.env.SMTP_URL = `smtp://liaison:smtp-secret@127.0.0.1:${port}`;
    try {
      const m = await enqueueMail({ orgId: org.id, to: 'patient@example.org', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } });
      const w = workerFor(org.id, { backoff: { baseMs: 300, capMs: 1200 } });
      const t0 = Date.now();
      expect(await w.runOnce()).toBe(1);
      let row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'PENDING', attempts: 1 });
      expect(row.job?.lastError).toMatch(/ECONNREFUSED/);
      // Backoff: not due again at once (150 to 300 ms after the first failure).
      const wait1 = row.job!.nextAttemptAt.getTime() - t0;
      expect(wait1).toBeGreaterThanOrEqual(140);
      expect(wait1).toBeLessThan(1000);
      expect(await w.runOnce()).toBe(0);
      await sleep(wait1 + 50);
      expect(await w.runOnce()).toBe(1);
      row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'PENDING', attempts: 2 });
      const wait2 = row.job!.nextAttemptAt.getTime() - Date.now();
      expect(wait2).toBeGreaterThan(200); // 300 to 600 ms: it doubled
      const back = await startSmtp({ port });
      try {
        await sleep(wait2 + 50);
        expect(await w.runOnce()).toBe(1);
        row = await job(m.id);
        expect(row.job).toMatchObject({ status: 'DONE', attempts: 3, lastError: null });
        expect(back.received).toHaveLength(1);
        expect(back.received[0].envelope.to).toEqual(['patient@example.org']);
      } finally {
        await back.close();
      }
    } finally {
      process.env.SMTP_URL = smtp.url;
    }
  });

  it('gives up after the last attempt and marks the mail failed', async () => {
    const org = await createOrg();
    process.env.SMTP_URL = 'smtp://liaison:smtp-secret@127.0.0.1:1';
    try {
      const m = await enqueueMail({ orgId: org.id, to: 'x@example.org', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } });
      await prisma().queueItem.update({ where: { id: (await job(m.id)).jobId! }, data: { maxAttempts: 3 } });
      const w = workerFor(org.id, { backoff: { baseMs: 1, capMs: 2 } });
      for (let i = 0; i < 3; i++) {
        await sleep(10);
        await w.runOnce();
      }
      const row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'FAILED', attempts: 3 });
      expect(row.sealedBody === null || row.hasSecret).toBe(true);
    } finally {
      process.env.SMTP_URL = smtp.url;
    }
  });

  it('after a crash mid-send, a new worker sends the mail once its lease has run out', async () => {
    const org = await createOrg();
    let hold: (() => void) | null = null;
    let arrived = 0;
    const slow = await startSmtp({ onData: () => { arrived++; return arrived === 1 ? new Promise<void>((r) => { hold = r; }) : Promise.resolve(); } });
    process.env.SMTP_URL = slow.url;
    try {
      const m = await enqueueMail({ orgId: org.id, to: 'once@example.org', template: 'access_revoked', data: { what: 'x', revokedAt: new Date() } });
      // Worker A claims with a short lease and "crashes": its send hangs in the middle of DATA.
      const a = workerFor(org.id, { leaseMs: 600 });
      const crashed = a.runOnce();
      await new Promise<void>((r) => { const t = setInterval(() => { if (hold) { clearInterval(t); r(); } }, 20); });
      let row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'RUNNING', attempts: 1 });
      // Worker B (a restarted instance) finds nothing due while the lease holds…
      const b = workerFor(org.id, { leaseMs: 600 });
      expect(await b.runOnce()).toBe(0);
      await sleep(700);
      // …and takes the mail over once it has run out.
      expect(await b.runOnce()).toBe(1);
      row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'DONE', attempts: 2 });
      expect(slow.received).toHaveLength(1);
      // A's late answer changes nothing: its lease is gone. (The server dropped its half-sent message.)
      hold!();
      await crashed;
      row = await job(m.id);
      expect(row.job).toMatchObject({ status: 'DONE', attempts: 2 });
    } finally {
      await slow.close();
      process.env.SMTP_URL = smtp.url;
    }
  });
});

describe('development outbox', () => {
  it('without SMTP_URL keeps mail in the outbox, not delivered, readable in full by admins only', async () => {
    const saved = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      const org = await createOrg();
      const { principal: admin } = await createStaff(org.id, 'ADMIN');
      const { principal: member } = await createStaff(org.id, 'MEMBER');
      const m = await enqueueMail({ orgId: org.id, to: 'guest@example.org', template: 'email_code', data: { code: '90817263', minutes: 15 } });
      expect(m.status).toBe('OUTBOX');
      const row = await job(m.id);
      expect(row.jobId).toBeNull();
      const shown = await getMailMessage(admin, m.id);
      expect(shown.status).toBe('OUTBOX');
      expect(shown.masked).toBe(false);
      expect(codeRuns(shown.text)).toEqual(['90817263']);
      expect((await listMailMessages(admin, { status: 'OUTBOX' })).nodes.map((n) => n.id)).toEqual([m.id]);
      expect((await listMailMessages(admin, { status: 'SENT' })).nodes).toEqual([]);
      await expect(retryMail(admin, m.id)).rejects.toMatchObject({ code: 'conflict' });
      await expect(listMailMessages(member, {})).rejects.toMatchObject({ code: 'forbidden' });
      await expect(getMailMessage(member, m.id)).rejects.toMatchObject({ code: 'forbidden' });
      // Another organisation's admin cannot see it.
      const other = await createStaff((await createOrg()).id, 'ADMIN');
      await expect(getMailMessage(other.principal, m.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(retryMail(other.principal, m.id)).rejects.toMatchObject({ code: 'not_found' });
      const probes = await prisma().auditEvent.findMany({ where: { orgId: other.principal.orgId, outcome: 'denied' }, orderBy: { seq: 'asc' } });
      expect(probes.map((e) => [e.type, e.reason, (e.details as { mailId?: string }).mailId])).toEqual([['mail.view', 'not_found', m.id], ['mail.retry', 'not_found', m.id]]);
      expect(smtp.received).toHaveLength(0);
    } finally {
      process.env.SMTP_URL = saved;
    }
  });
});
