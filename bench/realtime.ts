/*
 * npm run bench:realtime — the real-time targets (docs/BENCHMARKS.md, "Real time"), on the embedded
 * database unless DATABASE_URL is set:
 *  1. Comment broadcast: 1,000 guest sockets in one document on one instance; a staff socket posts a
 *     comment to the share's thread; time from the emit to its receipt on each socket, and on all of
 *     them. Target: p99 under 100 ms.
 *  2. Revocation to disconnect: two instances sharing rooms through Redis (REDIS_URL, default
 *     redis://127.0.0.1:6379); shares with sockets on both instances are revoked one after another;
 *     time from the revoking call to each socket's disconnect. Target: p99 under 250 ms.
 * Clients run in a child process (bench/realtime-clients.ts), so they do not share the server's loop.
 * Env: BENCH_SOCKETS (default 1000), BENCH_COMMENTS (default 40), BENCH_REVOKE_SHARES (default 100).
 * Each socket is a file descriptor on both sides: 1,000 sockets fit the default limit (ulimit -n 1024
 * per process, client and server are separate processes); raise it for more.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 40);
const REVOKE_SHARES = Number(process.env.BENCH_REVOKE_SHARES ?? 100);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const ms = (x: number) => `${x.toFixed(1)} ms`;
const now = () => performance.timeOrigin + performance.now();

function child(): { proc: ChildProcess; request<T>(m: unknown, reply: string): Promise<T> } {
  const proc = fork(path.join('bench', 'realtime-clients.ts'), [], { execArgv: ['--import', 'tsx'] });
  return {
    proc,
    request<T>(m: unknown, reply: string) {
      return new Promise<T>((resolve, reject) => {
        const on = (x: { op: string; message?: string }) => {
          if (x.op === 'error') { proc.off('message', on); reject(new Error(x.message)); }
          if (x.op === reply) { proc.off('message', on); resolve(x as T); }
        };
        proc.on('message', on);
        proc.send(m as never);
      });
    },
  };
}

async function main() {
  process.env.LIAISON_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-realtime-'));
  process.env.LIAISON_LOG_LEVEL = 'warn';
  process.env.LIAISON_PUBLIC_URL = 'http://localhost';
  (process.env as Record<string, string>).NODE_ENV = 'production';
  delete process.env.REDIS_URL; // each bench server below picks its adapter itself

  const { masterKey } = await import('../lib/crypto/master-key');
  const { connectDatabase } = await import('../lib/db/connect');
  const { migrate } = await import('../lib/db/migrate');
  const { prisma } = await import('../lib/db/client');
  const { ROLE_SCOPES } = await import('../lib/auth/scopes');
  const { issueApiKey } = await import('../lib/auth/api-keys');
  const { createDocument } = await import('../lib/documents/service');
  const { createShare, revokeShare } = await import('../lib/shares/service');
  const { openGuestSession } = await import('../lib/guest/session');
  const { attachRealtime } = await import('../lib/realtime/server');
  const { useRedisAdapter } = await import('../lib/realtime/redis-adapter');
  const { Readable } = await import('node:stream');

  masterKey();
  const db = await connectDatabase({ publish: false });
  await migrate(db.url);
  const org = await prisma().organization.create({ data: { slug: 'bench-realtime', name: 'Bench' } });
  const admin = await prisma().staffUser.create({ data: { orgId: org.id, email: 'bench@example.test', name: 'Bench Admin', role: 'ADMIN', passwordHash: 'x' } });
  const p = { kind: 'staff' as const, orgId: org.id, userId: admin.id, email: admin.email, name: admin.name, role: admin.role, scopes: new Set(ROLE_SCOPES.ADMIN), request: { ip: '127.0.0.1', userAgent: 'bench' } };
  const pdf = fs.readFileSync(path.join('bench', 'fixtures', 'sample.pdf'));
  const doc = await createDocument(p, { stream: Readable.from([pdf]), fileName: 'contract.pdf', mediaType: 'application/pdf' }, { title: 'Contract', tlp: 'GREEN' }, 1e8);
  const key = await issueApiKey({ orgId: org.id, name: 'bench', scopes: ['documents:read', 'shares:write'], actor: null });

  let ipSeq = 0;
  const openToken = async (link: string) => {
    const n = ipSeq++;
    const r = await openGuestSession({ link }, { ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, userAgent: 'bench', host: 'localhost' });
    return r.accessToken;
  };
  const listen = async (redis: boolean) => {
    const server = http.createServer((_q, r) => { r.statusCode = 404; r.end(); });
    const io = attachRealtime(server);
    const closeRedis = redis ? await useRedisAdapter(io, REDIS_URL) : async () => undefined;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      url: `http://localhost:${(server.address() as AddressInfo).port}`,
      close: async () => { await new Promise<void>((r) => io.close(() => r())); await closeRedis(); },
    };
  };

  const lines: string[] = [`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'}`];
  const say = (s: string) => { lines.push(s); process.stdout.write(`${s}\n`); };

  // 1. Broadcast to 1,000 sockets in one room.
  {
    const share = await createShare(p, { documentIds: [doc.id], permission: 'COMMENT' });
    process.stdout.write(`opening ${SOCKETS} guest sessions…\n`);
    const tokens: string[] = [];
    for (let i = 0; i < SOCKETS; i += 20) tokens.push(...(await Promise.all(Array.from({ length: Math.min(20, SOCKETS - i) }, () => openToken(share.token)))));
    const srv = await listen(false);
    const c = child();
    process.stdout.write(`connecting ${SOCKETS} sockets and broadcasting ${COMMENTS} comments…\n`);
    const r = await c.request<{ perDelivery: number[]; allReceived: number[]; errors: number }>(
      { op: 'broadcast', url: srv.url, tokens, documentId: doc.id, staffKey: key.key, grantKey: `share:${share.share.id}`, comments: COMMENTS }, 'broadcast-done');
    c.proc.kill();
    await srv.close();
    say(`broadcast, ${SOCKETS} sockets, ${COMMENTS} comments (${r.perDelivery.length} deliveries, ${r.errors} errors):`);
    say(`  per delivery  p50 ${ms(pct(r.perDelivery, 50))}  p99 ${ms(pct(r.perDelivery, 99))}  max ${ms(Math.max(...r.perDelivery))}`);
    say(`  all sockets   p50 ${ms(pct(r.allReceived, 50))}  p99 ${ms(pct(r.allReceived, 99))}  (target p99 < 100 ms)`);
  }

  // 2. Revocation to disconnect across two instances.
  {
    let redisOk = true;
    try {
      const { createClient } = await import('redis');
      const probe = createClient({ url: REDIS_URL });
      probe.on('error', () => undefined);
      await probe.connect();
      await probe.quit();
    } catch {
      redisOk = false;
    }
    if (!redisOk) {
      say(`revocation: skipped (no Redis at ${REDIS_URL})`);
    } else {
      const a = await listen(true);
      const b = await listen(true); // attached last: revocations below are sent from this instance
      const shares: { id: string; token: string }[] = [];
      const sockets: { url: string; token: string; group: string }[] = [];
      process.stdout.write(`opening ${REVOKE_SHARES} shares with 4 sockets each (2 per instance)…\n`);
      for (let i = 0; i < REVOKE_SHARES; i++) {
        const s = await createShare(p, { documentIds: [doc.id] });
        shares.push({ id: s.share.id, token: s.token });
        for (let k = 0; k < 4; k++) sockets.push({ url: k % 2 ? b.url : a.url, token: await openToken(s.token), group: s.share.id });
      }
      const c = child();
      await c.request({ op: 'revocation', sockets }, 'connected');
      const started = new Map<string, number>();
      for (const s of shares) {
        started.set(s.id, now());
        await revokeShare(p, s.id);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 1000));
      const { cut } = await c.request<{ cut: { group: string; at: number }[] }>({ op: 'collect' }, 'revocation-done');
      c.proc.send({ op: 'stop' });
      const lat = cut.map((x) => x.at - started.get(x.group)!);
      say(`revocation to disconnect, 2 instances with Redis, ${REVOKE_SHARES} shares × 4 sockets (${cut.length}/${sockets.length} cut):`);
      say(`  p50 ${ms(pct(lat, 50))}  p99 ${ms(pct(lat, 99))}  max ${ms(Math.max(...lat))}  (target p99 < 250 ms)`);
      await a.close();
      await b.close();
    }
  }
  await db.embedded?.stop().catch(() => undefined);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
