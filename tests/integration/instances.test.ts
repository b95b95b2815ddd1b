import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { connect, type Client } from '../helpers/realtime';
import { startSmtp } from '../helpers/smtp';

/*
 * Two real Liaison servers (server.ts, production build) on one PostgreSQL database and one Redis,
 * as behind a load balancer (docs/SCALING.md): a revocation made through A's API refuses the guest on B
 * at once and cuts B's socket within a second; password guesses split across A and B meet one limit;
 * a scheduled reminder mail goes once; a key rotated on A is used and accepted by B at once. Then Redis
 * is killed: nothing that should be refused is served, limits stay shared (in the database), and both
 * instances recover when Redis comes back, without a restart.
 *
 * Redis is this test's own redis-server on a free port, so it can be killed and started again. The
 * database is a dedicated one on the machine's PostgreSQL (the embedded database is one process's);
 * without a reachable PostgreSQL the test is skipped with the reason printed. Needs the production build
 * (`npx tsx scripts/prepare.ts`; `npm test` does it).
 */
const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The maintenance database of TEST_DATABASE_URL's server, or of 127.0.0.1:5432, when it answers. */
async function findPostgres(): Promise<{ admin: string } | { skip: string }> {
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = '/postgres';
  const c = new pg.Client({ connectionString: base.href, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return { admin: base.href };
  } catch (e) {
    return { skip: `no PostgreSQL at ${base.host} (${(e as Error).message}); two instances cannot share the embedded database` };
  } finally {
    await c.end().catch(() => undefined);
  }
}

// Two instances cannot share the embedded database, so this test always runs on a PostgreSQL server. In
// the embedded pass of `npm test` (no TEST_DATABASE_URL) it would repeat, against the same server, exactly
// what the PostgreSQL pass runs: it runs there only, unless LIAISON_TEST_INSTANCES=1 asks for it.
const found: { admin: string } | { skip: string } = process.env.TEST_DATABASE_URL || process.env.LIAISON_TEST_INSTANCES === '1'
  ? await findPostgres()
  : { skip: 'runs with TEST_DATABASE_URL (the PostgreSQL pass), or LIAISON_TEST_INSTANCES=1' };
const redisMissing = spawnSync('redis-server', ['--version']).status !== 0;
const skipReason = 'skip' in found ? found.skip : redisMissing ? 'redis-server is not installed' : null;
if (skipReason) console.log(`[instances.test.ts] skipped: ${skipReason}`);

const dbName = `liaison_test_instances_${process.pid}`;
let dbUrl = '';
let redis: ChildProcess | null = null;
let redisPort = 0;
const servers: { name: string; proc: ChildProcess; base: string; output: string }[] = [];
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const sockets: Client[] = [];

function startRedis(): Promise<void> {
  const proc = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  redis = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    proc.stdout!.on('data', (d) => { out += d; if (out.includes('Ready to accept connections')) { clearTimeout(t); resolve(); } });
    proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`redis-server exited ${code}: ${out}`)); });
  });
}

async function stopRedis(): Promise<void> {
  const proc = redis;
  redis = null;
  if (!proc || proc.exitCode !== null) return;
  proc.removeAllListeners('exit');
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL'); // a crash, not a clean shutdown
  await gone;
}

async function startInstance(name: string, port: number, publicUrl: string, smtpUrl: string) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port),
    DATABASE_URL: dbUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}`, SMTP_URL: smtpUrl,
    // One data directory (blobs) and one master key for both, as several instances must share them.
    LIAISON_DATA_DIR: process.env.LIAISON_DATA_DIR, LIAISON_MASTER_KEY: process.env.LIAISON_MASTER_KEY,
    LIAISON_PUBLIC_URL: publicUrl, LIAISON_LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1',
    // The test plays the load balancer: X-Forwarded-For from loopback names the client.
    LIAISON_TRUSTED_PROXIES: 'loopback',
  };
  const s = { name, proc: spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['server.ts'], { cwd: root, env }), base: `http://localhost:${port}`, output: '' };
  s.proc.stdout!.on('data', (d) => { s.output += d; });
  s.proc.stderr!.on('data', (d) => { s.output += d; });
  servers.push(s);
  return s;
}

async function waitHealthy(s: (typeof servers)[number], want: (h: Record<string, unknown>) => boolean, ms: number) {
  const until = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    if (s.proc.exitCode !== null) throw new Error(`${s.name} exited: ${s.output}`);
    last = await fetch(`${s.base}/api/health`).then((r) => r.json(), (e: Error) => e.message);
    if (last && typeof last === 'object' && want(last as Record<string, unknown>)) return last as Record<string, unknown>;
    if (Date.now() > until) throw new Error(`${s.name}: health never matched (last ${JSON.stringify(last)}): ${s.output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const A = () => servers[0];
const B = () => servers[1];
let apiKey = '';
let org: { id: string };
let owner: { email: string };
let staff: Awaited<ReturnType<typeof createStaff>>['principal'];
let documentId = '';

async function gql<T = Record<string, unknown>>(s: (typeof servers)[number], query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${s.base}/api/graphql`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json() as { data?: T; errors?: unknown };
  if (!res.ok || body.errors) throw new Error(`${s.name} graphql ${res.status}: ${JSON.stringify(body)}`);
  return body.data!;
}

async function openSession(s: (typeof servers)[number], body: Record<string, unknown>, clientIp = '198.51.100.20') {
  const res = await fetch(`${s.base}/api/portal/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as { access_token?: string; error?: string } };
}

async function token(s: (typeof servers)[number], link: string) {
  const r = await openSession(s, { link });
  if (r.status !== 201) throw new Error(`${s.name} refused a session: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token!;
}

const list = (s: (typeof servers)[number], t: string) =>
  fetch(`${s.base}/api/portal/v1/documents`, { headers: { authorization: `Bearer ${t}`, 'x-forwarded-for': '198.51.100.20' } });

async function newShare(input: Record<string, unknown> = {}) {
  const { createShare } = await import('../../lib/shares/service');
  return createShare(staff, { documentIds: [documentId], permission: 'COMMENT', ...input });
}

/** A guest socket on an instance, with a promise of its disconnect time and of its access:revoked reason. */
async function guestSocket(s: (typeof servers)[number], t: string) {
  const sock = await connect(s.base, { auth: { token: t } });
  sockets.push(sock);
  let reason: string | null = null;
  sock.on('access:revoked', (p: { reason: string }) => { reason = p.reason; });
  const disconnected = new Promise<number>((resolve) => sock.once('disconnect', () => resolve(performance.now())));
  return { sock, disconnected, reason: () => reason };
}

const revokeThroughA = (id: string) => gql<{ revokeShare: { status: string } }>(A(), 'mutation($id: ID!) { revokeShare(id: $id, reason: "instances test") { id status } }', { id });

const withinMs = (p: Promise<number>, ms: number) => Promise.race([p, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

const timings: Record<string, number> = {};

describe.skipIf(skipReason !== null)('two instances on one PostgreSQL and one Redis', () => {
  let reminderShareId = '';

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('No production build: run `npx tsx scripts/prepare.ts` first.');
    if ('skip' in found) return;
    // A database of its own: the servers' queue workers and schedulers must not take other tests' work.
    const admin = new pg.Client({ connectionString: found.admin });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(found.admin);
    u.pathname = `/${dbName}`;
    dbUrl = u.href;
    // This process sets up the data on the same database (nothing here has touched the database yet).
    process.env.DATABASE_URL = dbUrl;
    process.env.LIAISON_EFFECTIVE_DATABASE_URL = dbUrl;
    const { migrate } = await import('../../lib/db/migrate');
    await migrate(dbUrl);
    const { bootstrap } = await import('../../lib/bootstrap');
    process.env.LIAISON_ADMIN_PASSWORD = 'instances-admin-password';
    await bootstrap(); // before the servers, so the two do not race to create the demo organisation
    const { prisma } = await import('../../lib/db/client');
    const { issueApiKey } = await import('../../lib/auth/api-keys');
    const { createDocument } = await import('../../lib/documents/service');
    org = await createOrg('Two instances');
    const admin2 = await createStaff(org.id, 'ADMIN');
    staff = admin2.principal;
    owner = admin2.user;
    apiKey = (await issueApiKey({ orgId: org.id, name: 'instances', actor: null })).key;
    documentId = (await createDocument(staff, fileFrom(tinyPdf('Two instances'), 'brief.pdf', 'application/pdf'), { title: 'Brief', tlp: 'AMBER' }, 1e7)).id;
    // Expires in a day and a half, created ten days ago: due for its expiry reminder when the servers start.
    const due = await newShare({ expiresAt: new Date(Date.now() + 36 * 3600_000).toISOString() });
    reminderShareId = due.share.id;
    await prisma().share.update({ where: { id: reminderShareId }, data: { createdAt: new Date(Date.now() - 10 * 86_400_000) } });

    smtp = await startSmtp();
    redisPort = await freePort();
    await startRedis();
    const [pa, pb] = [await freePort(), await freePort()];
    const publicUrl = `http://localhost:${pa}`;
    // Started together, as a deployment does: both schedulers queue the due reminder run at start.
    await startInstance('A', pa, publicUrl, smtp.url);
    await startInstance('B', pb, publicUrl, smtp.url);
    await Promise.all(servers.map((s) => waitHealthy(s, (h) => h.status === 'ok' && h.redis === 'ok', 90_000)));
    // First requests load route code; the timings below are about the instances, not that.
    for (const s of servers) {
      await gql(s, '{ me { id } }');
      await fetch(`${s.base}/api/portal/v1/documents`, { headers: { authorization: 'Bearer x' } });
    }
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(servers.map(async (s) => {
      if (s.proc.exitCode !== null) return;
      const gone = new Promise((r) => s.proc.once('exit', r));
      s.proc.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
    }));
    await stopRedis();
    await smtp?.close();
    const { disconnect } = await import('../../lib/db/client');
    await disconnect().catch(() => undefined);
    const { closeHotPool } = await import('../../lib/db/hot-pool');
    await closeHotPool().catch(() => undefined);
    if (dbUrl && 'admin' in found) {
      const admin = new pg.Client({ connectionString: found.admin });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
    if (Object.keys(timings).length) console.log(`[instances.test.ts] timings (ms): ${JSON.stringify(timings)}`);
  }, 60_000);

  it('a share revoked through A: B refuses the guest\'s next request and cuts its socket within a second', async () => {
    const s = await newShare();
    const t = await token(B(), s.token);
    expect((await list(B(), t)).status).toBe(200);
    const live = await guestSocket(B(), t);
    const before = performance.now();
    expect((await revokeThroughA(s.share.id)).revokeShare.status).toBe('REVOKED');
    const revokedAt = performance.now();
    const next = await list(B(), t);
    expect(next.status).toBe(401);
    expect(next.headers.get('www-authenticate')).toContain('invalid_token');
    const cut = await withinMs(live.disconnected, 1000);
    timings.revokeToDisconnect = Math.round(cut - before);
    expect(cut - revokedAt).toBeLessThan(1000);
    expect(live.reason()).toBe('revoked');
    // A new session on either instance is refused too.
    expect((await openSession(A(), { link: s.token })).status).toBe(410);
    expect((await openSession(B(), { link: s.token })).status).toBe(410);
  });

  it('password guesses split across A and B meet one limit', async () => {
    const s = await newShare({ password: 'Right-Password-42' });
    const ip = '198.51.100.61';
    for (let i = 0; i < 5; i++) {
      const r = await openSession(i % 2 ? B() : A(), { link: s.token, password: `wrong-${i}` }, ip);
      expect(r.status, JSON.stringify(r.body)).toBe(401);
      expect(r.body.error).toBe('invalid_password');
    }
    // The sixth attempt is refused before the password is even looked at, whichever instance takes it.
    for (const inst of [B(), A()]) {
      const r = await openSession(inst, { link: s.token, password: 'Right-Password-42' }, ip);
      expect(r.status).toBe(429);
      expect(r.body.error).toBe('rate_limited');
    }
    // Another client is not affected.
    expect((await openSession(B(), { link: s.token, password: 'Right-Password-42' }, '198.51.100.62')).status).toBe(201);
  });

  it('a scheduled reminder mail is sent once, though both instances scheduled its run', async () => {
    // The owner also gets other notices (a share revoked...): only the expiry reminder is counted.
    const reminders = () => smtp.received.filter((m) => m.envelope.to.includes(owner.email) && /^Your share of .* expires/.test(m.parsed.subject ?? ''));
    const until = Date.now() + 30_000;
    while (!reminders().length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 2000)); // time for a second copy, if there were one
    expect(reminders(), smtp.received.map((m) => m.parsed.subject).join(' | ')).toHaveLength(1);
    const { prisma } = await import('../../lib/db/client');
    expect(await prisma().queueItem.count({ where: { kind: 'job:share-expiry-reminders' } })).toBe(1);
    expect(await prisma().mailMessage.count({ where: { orgId: org.id, dedupeKey: { startsWith: `share_expiry:${reminderShareId}:` } } })).toBe(1);
  });

  it('a key rotated on A signs and verifies on B at once', async () => {
    const s = await newShare();
    const oldKid = decodeProtectedHeader(await token(B(), s.token)).kid; // B's signing key is now cached
    const { rotateSigningKey } = await gql<{ rotateSigningKey: { kid: string } }>(A(), 'mutation { rotateSigningKey { kid } }');
    expect(rotateSigningKey.kid).not.toBe(oldKid);
    const t0 = performance.now();
    const fromA = await token(A(), s.token);
    expect(decodeProtectedHeader(fromA).kid).toBe(rotateSigningKey.kid);
    // Signed by A's new key, accepted by B on the first try.
    expect((await list(B(), fromA)).status).toBe(200);
    // B signs with the new key too: its cached key was invalidated over Redis.
    const fromB = await token(B(), s.token);
    timings.rotationToUseOnB = Math.round(performance.now() - t0);
    expect(decodeProtectedHeader(fromB).kid).toBe(rotateSigningKey.kid);
    expect((await list(A(), fromB)).status).toBe(200);
  });

  it('Redis going away: nothing refused is served, limits stay shared, and both recover when it returns', async () => {
    const s = await newShare();
    const t = await token(B(), s.token);
    const live = await guestSocket(B(), t);

    await stopRedis();
    await Promise.all(servers.map((x) => waitHealthy(x, (h) => h.status === 'ok' && h.redis === 'unavailable', 10_000)));

    // Revoked through A while the instances cannot talk to each other: B refuses at once (the database
    // decides), and B's own re-check cuts the socket the Redis adapter can no longer reach.
    const before = performance.now();
    expect((await revokeThroughA(s.share.id)).revokeShare.status).toBe('REVOKED');
    expect((await list(B(), t)).status).toBe(401);
    const cut = await withinMs(live.disconnected, 2500);
    timings.outageRevokeToDisconnect = Math.round(cut - before);
    expect(live.reason()).toBe('revoked');

    // Password guesses are still counted together (in the database), not once per instance.
    const guarded = await newShare({ password: 'Right-Password-42' });
    const ip = '198.51.100.71';
    for (let i = 0; i < 5; i++) expect((await openSession(i % 2 ? A() : B(), { link: guarded.token, password: `wrong-${i}` }, ip)).status).toBe(401);
    expect((await openSession(A(), { link: guarded.token, password: 'Right-Password-42' }, ip)).status).toBe(429);
    expect((await openSession(B(), { link: guarded.token, password: 'Right-Password-42' }, ip)).status).toBe(429);
    const health = await waitHealthy(B(), () => true, 1000);
    expect(Number(health.rateLimitFallbacks)).toBeGreaterThan(0);

    // A key rotated during the outage is used by B at once: with the channel down B caches no key.
    const { rotateSigningKey } = await gql<{ rotateSigningKey: { kid: string } }>(A(), 'mutation { rotateSigningKey { kid } }');
    const other = await newShare();
    expect(decodeProtectedHeader(await token(B(), other.token)).kid).toBe(rotateSigningKey.kid);

    // Redis comes back on the same address: both instances resume without a restart.
    const down = performance.now();
    await startRedis();
    await Promise.all(servers.map((x) => waitHealthy(x, (h) => h.redis === 'ok', 20_000)));
    timings.redisBackToHealthy = Math.round(performance.now() - down);
    const again = await newShare();
    const t2 = await token(B(), again.token);
    const live2 = await guestSocket(B(), t2);
    const before2 = performance.now();
    await revokeThroughA(again.share.id);
    const cut2 = await withinMs(live2.disconnected, 1000);
    timings.afterRecoveryRevokeToDisconnect = Math.round(cut2 - before2);
    expect(live2.reason()).toBe('revoked');
    expect((await list(B(), t2)).status).toBe(401);
  }, 60_000);
});
