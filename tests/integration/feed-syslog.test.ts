import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../lib/audit/record';
import { config } from '../../lib/config';
import { prisma } from '../../lib/db/client';
import { recomputeHash } from '../../lib/feed/bundle-format';
import type { FeedEvent } from '../../lib/feed/event-rows';
import { SyslogForwarder } from '../../lib/feed/syslog-forwarder';
import { unframe } from '../../lib/feed/syslog-format';
import { createOrg } from '../helpers/factory';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-syslog-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A real syslog collector (TCP or TLS) that parses octet-counted frames. */
class Collector {
  messages: string[] = [];
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private tlsOpts?: tls.TlsOptions) {
    this.server = this.make();
  }
  private make(): net.Server {
    const onSocket = (s: net.Socket) => {
      this.sockets.add(s);
      let buf = Buffer.alloc(0);
      s.on('data', (d) => {
        const r = unframe(Buffer.concat([buf, d]));
        this.messages.push(...r.messages);
        buf = Buffer.from(r.rest);
      });
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
    };
    const server = this.tlsOpts ? tls.createServer(this.tlsOpts, onSocket) : net.createServer(onSocket);
    server.on('tlsClientError', () => undefined);
    return server;
  }
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }
  /** An outage: the collector goes away, dropping its connections. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server = this.make();
  }
  /** The events of one organisation received so far, by its SD org parameter. */
  eventsOf(slug: string): FeedEvent[] {
    return this.messages.filter((m) => m.includes(` org="${slug}" `)).map((m) => JSON.parse(m.slice(m.indexOf('\uFEFF') + 1)) as FeedEvent);
  }
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const record = (orgId: string, n: number, from = 0) => Promise.all(Array.from({ length: n }, (_, i) => recordAudit({
  orgId, type: (from + i) % 5 === 0 ? 'guest.download' : 'guest.view', actor: { type: 'system', label: `writer "${from + i}" ]\\ ü` },
  outcome: (from + i) % 7 === 0 ? 'denied' : 'success', reason: (from + i) % 7 === 0 ? 'ip_denied' : null, details: { n: from + i },
})));

const seqsOf = (events: FeedEvent[]) => new Set(events.map((e) => e.seq));
const headOf = async (orgId: string) => (await prisma().auditEvent.aggregate({ where: { orgId }, _max: { seq: true } }))._max.seq ?? 0;

const running: SyslogForwarder[] = [];
const collectors: Collector[] = [];
afterEach(async () => {
  for (const f of running.splice(0)) await f.stop();
  for (const c of collectors.splice(0)) await c.close().catch(() => undefined);
});
const forwarder = (opts: ConstructorParameters<typeof SyslogForwarder>[0]) => {
  const f = new SyslogForwarder({ pollMs: 100, hostname: 'liaison-test', ...opts }).start();
  running.push(f);
  return f;
};

describe('syslog forwarding', () => {
  it('sends every committed event as RFC 5424 with octet-counting framing over TCP, and stores how far it got', async () => {
    const org = await createOrg('Syslog TCP');
    await record(org.id, 40);
    const c = await new Collector().listen();
    collectors.push(c);
    forwarder({ url: `tcp://127.0.0.1:${c.port}` });
    await until('40 events', async () => c.eventsOf(org.slug).length >= 40);
    const events = c.eventsOf(org.slug);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const e of events) expect(recomputeHash(e)).toBe(e.hash);
    const msg = (seq: number) => c.messages.find((m) => m.includes(` org="${org.slug}" seq="${seq}" `));
    // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] BOM MSG; seq 8 (n = 7) is a denial: facility 13, severity 4.
    expect(msg(8)).toMatch(/^<108>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z liaison-test liaison - guest\.view \[liaison@32473 org="[^"]+" seq="8" id="ev[^"]+" outcome="denied" hash="[0-9a-f]{64}"\] \uFEFF\{"seq":8,/);
    expect(msg(6)).toMatch(/^<110>1 .* guest\.download \[/);
    // MSG is the event's JSON: quotes, backslashes, brackets and non-ASCII arrive intact (UTF-8, counted in bytes).
    expect(events[0].actor).toBe('writer "0" ]\\ ü');
    await until('cursor stored', async () => (await prisma().auditSyslogCursor.findUnique({ where: { orgId: org.id } }))?.seq === 40);
    // New events after start are forwarded as they commit.
    await record(org.id, 5, 40);
    await until('45 events', () => c.eventsOf(org.slug).length >= 45);
    expect(c.eventsOf(org.slug).map((e) => e.seq).slice(40)).toEqual([41, 42, 43, 44, 45]);
  });

  it('survives a collector outage and a forwarder restart: nothing lost, resumed from the stored cursor', async () => {
    const org = await createOrg('Syslog outage');
    const c = await new Collector().listen();
    collectors.push(c);
    const port = c.port;
    const f1 = forwarder({ url: `tcp://127.0.0.1:${port}` });
    await record(org.id, 20);
    await until('first 20', () => c.eventsOf(org.slug).length >= 20);
    await c.close(); // outage
    await record(org.id, 30, 20);
    await new Promise((r) => setTimeout(r, 600));
    const stored = (await prisma().auditSyslogCursor.findUnique({ where: { orgId: org.id } }))?.seq ?? 0;
    expect(stored).toBeLessThanOrEqual(20); // nothing sent into the outage counts as delivered
    await c.listen(port); // back
    await record(org.id, 10, 50);
    await until('all 60 after the outage', () => seqsOf(c.eventsOf(org.slug)).size >= 60, 45_000);
    expect([...seqsOf(c.eventsOf(org.slug))].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));

    // The forwarder stops (its cursor stored), events keep coming, a new forwarder resumes from the database.
    await until('cursor at 60', async () => (await prisma().auditSyslogCursor.findUnique({ where: { orgId: org.id } }))?.seq === 60);
    await f1.stop();
    const before = c.messages.length;
    await record(org.id, 15, 60);
    forwarder({ url: `tcp://127.0.0.1:${port}` });
    await until('15 more', () => seqsOf(c.eventsOf(org.slug)).size >= 75);
    const resent = c.messages.slice(before).filter((m) => m.includes(` org="${org.slug}" `)).map((m) => Number(/ seq="(\d+)"/.exec(m)![1]));
    expect(Math.min(...resent)).toBe(61);
    expect(resent.sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 61));
    expect(await headOf(org.id)).toBe(75);
  });

  it('over TLS: verifies the collector against the configured CA, and refuses an unknown one by default', async () => {
    const ca = path.join(tmp, 'ca.pem');
    const caKey = path.join(tmp, 'ca.key');
    const key = path.join(tmp, 'server.key');
    const csr = path.join(tmp, 'server.csr');
    const cert = path.join(tmp, 'server.pem');
    const ext = path.join(tmp, 'ext.cnf');
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=Liaison test syslog CA');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=localhost');
    fs.writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext);

    const org = await createOrg('Syslog TLS');
    await record(org.id, 12);
    const c = await new Collector({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }).listen();
    collectors.push(c);

    // No CA configured: the system's authorities do not know this one, so nothing is sent.
    const untrusting = forwarder({ url: `tls://localhost:${c.port}` });
    await new Promise((r) => setTimeout(r, 800));
    expect(untrusting.sentMessages).toBe(0);
    expect(c.eventsOf(org.slug)).toHaveLength(0);
    await untrusting.stop();
    running.splice(running.indexOf(untrusting), 1);

    forwarder({ url: `tls://localhost:${c.port}`, caFile: ca });
    await until('12 events over TLS', () => c.eventsOf(org.slug).length >= 12);
    expect(c.eventsOf(org.slug).map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('accepts only tcp:// and tls:// URLs with a port', () => {
    const old = process.env.LIAISON_SYSLOG_URL;
    try {
      for (const bad of ['udp://127.0.0.1:514', 'tcp://127.0.0.1', 'http://collector:514', 'collector:514']) {
        process.env.LIAISON_SYSLOG_URL = bad;
        expect(() => config(), bad).toThrow(/LIAISON_SYSLOG_URL/);
      }
      process.env.LIAISON_SYSLOG_URL = 'tls://collector.example:6514';
      expect(config().LIAISON_SYSLOG_URL).toBe('tls://collector.example:6514');
    } finally {
      if (old === undefined) delete process.env.LIAISON_SYSLOG_URL; else process.env.LIAISON_SYSLOG_URL = old;
    }
  });
});
