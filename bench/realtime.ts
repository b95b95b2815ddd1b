/*
 * npm run bench:realtime — the real-time targets (docs/BENCHMARKS.md, "Real time"), on the embedded
 * database unless DATABASE_URL is set:
 *  1. Comment broadcast: 1,000 guest sockets in one document on one instance; a staff socket posts a
 *     comment to the share's thread; time from the emit to its receipt on each socket, and on all of
 *     them. Target: p99 under 100 ms.
 *  2. Revocation to disconnect: two instances sharing rooms through Redis (REDIS_URL, default
 *     redis://127.0.0.1:6379); shares with sockets on both instances are revoked one after another;
 *     time from the revoking call to each socket's disconnect. Target: p99 under 250 ms.
 * Clients run in child processes (bench/realtime-clients.ts), so they do not share the server's loop.
 * Env: BENCH_SOCKETS (default 1000), BENCH_COMMENTS (default 40), BENCH_REVOKE_SHARES (default 100),
 * BENCH_CLIENT_PROCS (client processes for the broadcast, default 2).
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
const CLIENT_PROCS = Number(process.env.BENCH_CLIENT_PROCS ?? 2);
const RAW_EMITS = 20;
const RAW_BASE = 100_000;
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
  const { issueApiKey } = await import('../lib/auth/api-keys');
  const { createShare, revokeShare } = await import('../lib/shares/service');
  const { openGuestSession } = await import('../lib/guest/session');
  const { attachRealtime } = await import('../lib/realtime/server');
  const { useRedisAdapter } = await import('../lib/realtime/redis-adapter');
  const { docAllRoom } = await import('../lib/realtime/rooms');

  masterKey();
  const db = await connectDatabase({ publish: false });
  await migrate(db.url);
  const { seedBenchOrg } = await import('./bench-org');
  const { org, principal: p, doc } = await seedBenchOrg({ slug: 'bench-realtime', name: 'Bench', email: 'bench@example.test', userAgent: 'bench', fileName: 'contract.pdf', title: 'Contract' });
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
      io,
      url: `http://localhost:${(server.address() as AddressInfo).port}`,
      close: async () => { await new Promise<void>((r) => io.close(() => r())); await closeRedis(); },
    };
  };

  const lines: string[] = [`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'}, load average ${os.loadavg()[0].toFixed(1)} at start`];
  const say = (s: string) => { lines.push(s); process.stdout.write(`${s}\n`); };

  // 1. Broadcast to 1,000 sockets in one room.
  {
    const share = await createShare(p, { documentIds: [doc.id], permission: 'COMMENT' });
    process.stdout.write(`opening ${SOCKETS} guest sessions…\n`);
    const tokens: string[] = [];
    for (let i = 0; i < SOCKETS; i += 20) tokens.push(...(await Promise.all(Array.from({ length: Math.min(20, SOCKETS - i) }, () => openToken(share.token)))));
    const srv = await listen(false);
    const procs = Array.from({ length: CLIENT_PROCS }, () => child());
    process.stdout.write(`connecting ${SOCKETS} sockets from ${CLIENT_PROCS} client processes and broadcasting ${COMMENTS} comments…\n`);
    const per = Math.ceil(tokens.length / CLIENT_PROCS);
    await Promise.all(procs.map((c, i) => c.request({ op: 'prepare', url: srv.url, tokens: tokens.slice(i * per, (i + 1) * per), documentId: doc.id }, 'ready')));
    const sent = await procs[0].request<{ sentAt: number[]; errors: number }>(
      { op: 'run', url: srv.url, documentId: doc.id, staffKey: key.key, grantKey: `share:${share.share.id}`, comments: COMMENTS }, 'sent');
    // The same fan-out with nothing of ours in front: socket.io emitting a packet of the same size to the
    // same room, from the server. What is left between this and the above is the decision, write and audit.
    const rawSentAt = new Map<number, number>();
    const sample = { comment: { id: 'x'.repeat(25), documentId: doc.id, threadId: 'x'.repeat(25), parentId: null, page: null, anchor: null, mentions: [], author: { id: `staff:${key.id}`, name: 'API key bench', kind: 'staff' }, createdAt: new Date().toISOString(), resolvedAt: null, resolvedBy: null } };
    for (let i = 0; i < RAW_EMITS; i++) {
      await new Promise((r) => setTimeout(r, 400));
      rawSentAt.set(RAW_BASE + i, now());
      srv.io.to(docAllRoom(doc.id)).emit('comment:created', { comment: { ...sample.comment, body: `Raw #${RAW_BASE + i}` } });
    }
    await new Promise((r) => setTimeout(r, 1000));
    const receipts = (await Promise.all(procs.map((c) => c.request<{ receipts: [number, number][] }>({ op: 'receipts' }, 'receipts')))).flatMap((x) => x.receipts);
    for (const c of procs) c.proc.send({ op: 'stop' });
    await srv.close();
    const rawLast = new Map<number, number>();
    for (const [i, at] of receipts) if (rawSentAt.has(i)) rawLast.set(i, Math.max(rawLast.get(i) ?? 0, at - rawSentAt.get(i)!));
    const ours = receipts.filter(([i]) => i >= 0 && i < RAW_BASE);
    const perDelivery = ours.map(([i, at]) => at - sent.sentAt[i]);
    const byComment = new Map<number, number[]>();
    for (const [i, at] of ours) (byComment.get(i) ?? byComment.set(i, []).get(i)!).push(at - sent.sentAt[i]);
    const complete = [...byComment.values()].filter((xs) => xs.length === SOCKETS);
    const last = complete.map((xs) => Math.max(...xs));
    const first = [...byComment.values()].map((xs) => Math.min(...xs));
    say(`broadcast, ${SOCKETS} sockets in ${CLIENT_PROCS} client processes, ${COMMENTS} comments (${perDelivery.length} deliveries, ${complete.length}/${COMMENTS} reached every socket, ${sent.errors} errors):`);
    say(`  per delivery  p50 ${ms(pct(perDelivery, 50))}  p99 ${ms(pct(perDelivery, 99))}  max ${ms(Math.max(...perDelivery))}  (target p99 < 100 ms)`);
    say(`  all sockets   p50 ${ms(pct(last, 50))}  p99 ${ms(pct(last, 99))}`);
    say(`  first socket  p50 ${ms(pct(first, 50))}  p99 ${ms(pct(first, 99))}  (the decision, write and audit before the fan-out, plus one hop)`);
    const raw = [...rawLast.values()];
    say(`  bare socket.io emit of the same packet to the same ${SOCKETS} sockets, all received: p50 ${ms(pct(raw, 50))}  p99 ${ms(pct(raw, 99))}`);
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
