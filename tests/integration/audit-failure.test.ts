import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { prisma } from '../../lib/db/client';
import { PgliteWireServer } from '../../lib/db/pglite-wire-server';
import { migrate } from '../../lib/db/migrate';
import { AppError } from '../../lib/errors';
import { describeError } from '../../lib/http/error-response';
import { log } from '../../lib/log';
import { recordAudit, type AuditInput } from '../../lib/audit/record';
import { auditPipelineStats, MAX_QUEUED } from '../../lib/audit/group-commit';
import { LOCK_TIMEOUT_MS, lockKey } from '../../lib/audit/append';
import { closeAuditPool } from '../../lib/audit/pool';
import { verifyAuditChain } from '../../lib/audit/verify';
import { handleGraphql } from '../../lib/graphql/yoga';
import { issueApiKey } from '../../lib/auth/api-keys';
import { createOrg } from '../helpers/factory';
import { apiContent, apiToken, sharedPdf } from '../helpers/guest';

const event = (orgId: string, i: number, extra: Partial<AuditInput> = {}): AuditInput => ({
  orgId, type: 'test.failure', actor: { type: 'anonymous', label: `visitor ${i}` }, request: { ip: '192.0.2.1', userAgent: 'vitest' }, details: { i }, ...extra,
});
const settle = <T>(ps: Array<Promise<T>>) => Promise.allSettled(ps);
const rejection = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? r.reason : null);

const savedUrl = process.env.LIAISON_EFFECTIVE_DATABASE_URL;
afterAll(async () => {
  process.env.LIAISON_EFFECTIVE_DATABASE_URL = savedUrl;
  await closeAuditPool();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Makes the database refuse every audit event of one organisation: a real error, from a real trigger. */
async function refuseAuditsOf(orgId: string): Promise<() => Promise<void>> {
  const fn = `test_audit_refuse_${crypto.randomBytes(4).toString('hex')}`;
  await prisma().$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN
    IF NEW."orgId" = '${orgId}' THEN RAISE EXCEPTION 'refusing audit events of this organisation'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await prisma().$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
  return async () => {
    await prisma().$executeRawUnsafe(`DROP TRIGGER ${fn} ON "AuditEvent"`);
    await prisma().$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
  };
}

describe('what callers see when the audit cannot be written', () => {
  it('a guest download whose audit fails gets 503 audit_unavailable with Retry-After, and no byte of the file', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: false }, 'Secret merger terms');
    const token = await apiToken(s.url);
    const restore = await refuseAuditsOf(s.org.id);
    let res: Response;
    try {
      res = await apiContent(token, s.doc.id);
    } finally {
      await restore();
    }
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ error: 'audit_unavailable' });
    expect(body).not.toContain('%PDF');
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, type: 'guest.download' } })).toBe(0);
    // Once the audit works again, the same request is served and recorded.
    const again = await apiContent(token, s.doc.id);
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).subarray(0, 4).toString()).toBe('%PDF');
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, type: 'guest.download' } })).toBe(1);
    expect(await verifyAuditChain(s.org.id)).toMatchObject({ ok: true });
  });

  it('a GraphQL mutation whose in-transaction audit fails answers 503 audit_unavailable and changes nothing', async () => {
    const org = await createOrg();
    const { key } = await issueApiKey({ orgId: org.id, name: 'audit failure test', actor: null });
    const restore = await refuseAuditsOf(org.id);
    let res: Response;
    try {
      res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.30' },
        body: JSON.stringify({ query: 'mutation { createTerms(title: "NDA", body: "Keep it secret.") { id } }' }),
      }));
    } finally {
      await restore();
    }
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await res.json() as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('audit_unavailable');
    // The terms and their event were one transaction: neither exists.
    expect(await prisma().terms.count({ where: { orgId: org.id } })).toBe(0);
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: true });
  });
});

describe('audit failures fail closed', () => {
  it('a batch the database refuses fails every caller in it with audit_unavailable, and leaves the chain intact', async () => {
    const [org, other] = [await createOrg(), await createOrg()];
    for (let i = 0; i < 3; i++) await recordAudit(event(org.id, i));
    // A real refusal from the database for one event of the batch: a trigger that raises on a marker type.
    const marker = `test.poison_${crypto.randomBytes(4).toString('hex')}`;
    const fn = `test_audit_poison_${marker.slice(-8)}`;
    await prisma().$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN
      IF NEW.type = '${marker}' THEN RAISE EXCEPTION 'refusing poisoned audit event'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await prisma().$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    const warn = vi.spyOn(log, 'warn');
    const before = auditPipelineStats();
    try {
      // One tick: all 41 join the same batch; the other organisation's events commit in their own.
      const batch = Array.from({ length: 40 }, (_, i) => recordAudit(event(org.id, 10 + i)));
      batch.splice(17, 0, recordAudit(event(org.id, 99, { type: marker })));
      const elsewhere = Array.from({ length: 5 }, (_, i) => recordAudit(event(other.id, i)));
      const results = await settle(batch);
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      for (const r of results) {
        const e = rejection(r);
        expect(e).toBeInstanceOf(AppError);
        expect(e).toMatchObject({ code: 'audit_unavailable', status: 503 });
        expect((e as AppError).retryAfterSeconds).toBeGreaterThan(0);
      }
      // What a guest or staff client gets: 503, retryable, nothing internal.
      const d = describeError(rejection(results[0]));
      expect(d.status).toBe(503);
      expect(d.body.error).toBe('audit_unavailable');
      expect(Number(d.headers['retry-after'])).toBeGreaterThan(0);
      expect(d.body.error_description).not.toMatch(/poison|trigger|AuditEvent/);
      expect((await settle(elsewhere)).every((r) => r.status === 'fulfilled')).toBe(true);
      // Not retried (the refusal is not transient), and logged event by event.
      expect(auditPipelineStats().retries).toBe(before.retries);
      expect(auditPipelineStats().failedBatches).toBe(before.failedBatches + 1);
      const notRecorded = warn.mock.calls.filter((c) => c[1] === 'audit event not recorded').map((c) => c[0] as { orgId: string; type: string });
      expect(notRecorded.filter((o) => o.orgId === org.id)).toHaveLength(41);
      expect(notRecorded.some((o) => o.type === marker)).toBe(true);
    } finally {
      warn.mockRestore();
      await prisma().$executeRawUnsafe(`DROP TRIGGER ${fn} ON "AuditEvent"`);
      await prisma().$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect(await prisma().auditEvent.count({ where: { orgId: org.id } })).toBe(3);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 3 });
    // The next events continue the chain with no gap.
    const next = await Promise.all([recordAudit(event(org.id, 200)), recordAudit(event(org.id, 201))]);
    expect(next.map((r) => r.seq)).toEqual([4, 5]);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 5 });
  });

  it('an event that cannot be stored fails alone; the others in its tick are recorded', async () => {
    const org = await createOrg();
    const results = await settle([
      recordAudit(event(org.id, 1)),
      recordAudit(event(org.id, 2, { details: { name: 'nul\u0000byte' } })),
      recordAudit(event(org.id, 3, { details: { lone: 'half \ud800 pair' } })),
      // What TypeScript would refuse, from JavaScript or a cast: a missing label, a NUL in a column.
      recordAudit(event(org.id, 4, { actor: { type: 'system' } as AuditInput['actor'] })),
      recordAudit(event(org.id, 5, { reason: 'nul\u0000' })),
      recordAudit(event(org.id, 6)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    expect(rejection(results[1])).toMatchObject({ code: 'audit_unavailable' });
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 2 });
  });

  it('a full queue refuses at once with audit_unavailable instead of growing without bound', async () => {
    const org = await createOrg();
    // Enqueued in one tick: nothing commits before the queue is full.
    const accepted = Array.from({ length: MAX_QUEUED }, (_, i) => recordAudit(event(org.id, i)));
    const refused = await settle([recordAudit(event(org.id, -1))]);
    expect(rejection(refused[0])).toMatchObject({ code: 'audit_unavailable', status: 503 });
    expect((rejection(refused[0]) as AppError).retryAfterSeconds).toBeGreaterThan(0);
    const done = await Promise.all(accepted);
    expect(done.at(-1)!.seq).toBe(MAX_QUEUED);
    expect(auditPipelineStats().queued).toBe(0);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: MAX_QUEUED });
  });

  it('retries once when the organisation lock is held past the lock timeout (PostgreSQL)', async (ctx) => {
    if (inject('databaseKind') !== 'postgresql') ctx.skip(); // on the embedded database a held lock is a held session
    const org = await createOrg();
    await recordAudit(event(org.id, 0));
    // Another instance (a plain connection) holds the organisation's lock for longer than one attempt waits.
    const holder = new pg.Client({ connectionString: process.env.LIAISON_EFFECTIVE_DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey(org.id)]);
      const before = auditPipelineStats();
      const pending = Promise.all([recordAudit(event(org.id, 1)), recordAudit(event(org.id, 2))]);
      await new Promise((r) => setTimeout(r, LOCK_TIMEOUT_MS + 1000));
      await holder.query('COMMIT');
      expect((await pending).map((r) => r.seq)).toEqual([2, 3]);
      expect(auditPipelineStats().retries).toBe(before.retries + 1);
    } finally {
      await holder.end();
    }
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 3 });
  }, 30_000);

  it('a database that goes away gives database_unavailable (503, retryable); appends resume when it returns', async () => {
    // A database of our own that can be stopped and restarted on one port.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-audit-down-'));
    const pglite = await PGlite.create({ dataDir: dir });
    const port = await freePort();
    const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
    let server = new PgliteWireServer(pglite);
    await server.start(port);
    try {
      await migrate(url);
      const setup = new pg.Client({ connectionString: url });
      await setup.connect();
      const orgId = 'org-down-test';
      await setup.query(`INSERT INTO "Organization" (id, slug, name) VALUES ($1, 'down-test', 'Down')`, [orgId]);
      await setup.end();

      process.env.LIAISON_EFFECTIVE_DATABASE_URL = url;
      await Promise.all([recordAudit(event(orgId, 1)), recordAudit(event(orgId, 2))]);

      await server.stop();
      const results = await settle([recordAudit(event(orgId, 3)), recordAudit(event(orgId, 4))]);
      for (const r of results) {
        expect(rejection(r)).toMatchObject({ code: 'database_unavailable', status: 503 });
        expect((rejection(r) as AppError).retryAfterSeconds).toBeGreaterThan(0);
      }
      expect(describeError(rejection(results[0])).headers['retry-after']).toBeDefined();

      server = new PgliteWireServer(pglite);
      await server.start(port);
      // The pool drops its broken connections and opens new ones: no restart of the application.
      const resumed = await recordAudit(event(orgId, 5));
      expect(resumed.seq).toBe(3);
      expect(await verifyAuditChain(orgId)).toEqual({ ok: true, count: 3 });
    } finally {
      process.env.LIAISON_EFFECTIVE_DATABASE_URL = savedUrl;
      await closeAuditPool();
      await server.stop().catch(() => undefined);
      await pglite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
