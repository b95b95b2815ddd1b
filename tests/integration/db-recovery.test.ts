import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteWireServer } from '../../lib/db/pglite-wire-server';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../lib/generated/prisma/client';
import { startEmbeddedDatabase } from '../../lib/db/embedded';
import { checkDatabase } from '../../lib/db/health';
import { disconnect } from '../../lib/db/client';
import { isDatabaseDown } from '../../lib/errors';
import { describeError } from '../../lib/http/error-response';
import { log } from '../../lib/log';
import { GET as health } from '../../app/api/health/route';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-recovery-'));
const savedUrl = process.env.LIAISON_EFFECTIVE_DATABASE_URL;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await disconnect();
  process.env.LIAISON_EFFECTIVE_DATABASE_URL = savedUrl;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
const urlFor = (port: number) => `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
const clientFor = (url: string) => new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 4, connectionTimeoutMillis: 2000 }) });
const errorOf = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the query to fail'); }, (e: unknown) => e);

/** Retries `fn` until it succeeds or `ms` pass: the time the application takes to recover by itself. */
async function eventually<T>(fn: () => Promise<T>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('database going away and coming back', () => {
  it('startEmbeddedDatabase serves a directory over a loopback socket and keeps the data there', async () => {
    const db = await startEmbeddedDatabase(dir, { publish: false });
    cleanups.push(() => db.stop());
    expect(db.url).toMatch(/^postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres/);
    expect(fs.existsSync(path.join(dir, 'embedded-pg.json'))).toBe(false); // publish: false
    const client = clientFor(db.url);
    try {
      expect(await client.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      await client.$executeRawUnsafe('CREATE TABLE kept (v text)');
      await client.$executeRawUnsafe(`INSERT INTO kept VALUES ('survives a restart')`);
    } finally { await client.$disconnect(); }
    await db.stop();
    cleanups.pop();
    expect(fs.readdirSync(path.join(dir, 'pg')).length).toBeGreaterThan(0);
  });

  it('fails fast with a 503-class error while the database is down, and the same client recovers when it returns', async () => {
    // The same directory, reopened, behind a socket server we can stop and restart on one port.
    const pglite = await PGlite.create({ dataDir: path.join(dir, 'pg') });
    cleanups.push(() => pglite.close());
    const port = await freePort();
    const start = async () => {
      const s = new PgliteWireServer(pglite);
      await s.start(port);
      return s;
    };
    let server = await start();
    cleanups.push(() => server.stop());
    const url = urlFor(port);
    const client = clientFor(url);
    cleanups.push(() => client.$disconnect());

    expect(await client.$queryRawUnsafe('SELECT v FROM kept')).toEqual([{ v: 'survives a restart' }]);

    // Health, through the application's own client and the real route handler.
    process.env.LIAISON_EFFECTIVE_DATABASE_URL = url;
    expect(await checkDatabase()).toBe(true);
    let res = await health();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });

    await server.stop();

    const started = Date.now();
    const err = await errorOf(client.$queryRaw`SELECT 1`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isDatabaseDown(err), String(err)).toBe(true);
    const d = describeError(err);
    expect(d.status).toBe(503);
    expect(d.body.error).toBe('database_unavailable');
    expect(d.body.error_description).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i); // nothing internal leaks

    // Later queries (idle connections already dropped, new ones refused) fail the same way, and nothing crashes.
    await new Promise((r) => setTimeout(r, 300));
    const refused = await errorOf(client.$queryRaw`SELECT 1`);
    expect(isDatabaseDown(refused), String(refused)).toBe(true);
    expect(describeError(refused).status).toBe(503);

    expect(await checkDatabase()).toBe(false);
    res = await health();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'database_unavailable' });

    server = await start();
    // No restart of the application: the pools reconnect on their own.
    expect(await eventually(() => client.$queryRawUnsafe('SELECT v FROM kept'))).toEqual([{ v: 'survives a restart' }]);
    expect(await eventually(async () => { if (!(await checkDatabase())) throw new Error('still down'); return true; })).toBe(true);
    res = await health();
    expect(res.status).toBe(200);
  });

  it('checkDatabase answers false for an unreachable database and true again once the URL is good', async () => {
    await disconnect();
    const dead = await freePort(); // nothing listens there
    process.env.LIAISON_EFFECTIVE_DATABASE_URL = urlFor(dead);
    const started = Date.now();
    expect(await checkDatabase()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    await disconnect();
    process.env.LIAISON_EFFECTIVE_DATABASE_URL = savedUrl;
    expect(await checkDatabase()).toBe(true);
  });

  it('classifies errors: unreachable is database_unavailable, a bad query is not', async () => {
    const client = clientFor(urlFor(await freePort()));
    try {
      const down = await errorOf(client.$queryRaw`SELECT 1`);
      expect(isDatabaseDown(down)).toBe(true);
    } finally { await client.$disconnect(); }
    const good = clientFor(savedUrl!);
    const level = log.level;
    try {
      const bad = await errorOf(good.$queryRawUnsafe('SELECT * FROM no_such_table_here'));
      expect(isDatabaseDown(bad)).toBe(false);
      log.level = 'silent'; // describeError logs internal errors; this one is expected
      const d = describeError(bad);
      expect(d.status).toBe(500);
      expect(d.body).toEqual({ error: 'internal', error_description: 'Something went wrong on our side.' });
    } finally { log.level = level; await good.$disconnect(); }
  });
});
