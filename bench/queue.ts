/*
 * npm run bench:queue — durable queue throughput: N no-op items (default 2,000) drained by W workers
 * (default 2, each with its own connection pool, as separate instances would be), and the same N
 * real mails rendered and sent to an in-process SMTP server (smtp-server) by the same workers.
 * Env: BENCH_ITEMS, BENCH_WORKERS, DATABASE_URL (default: an embedded database in a temporary directory;
 * a PostgreSQL URL must name a database whose name contains "bench" or "test": it is wiped).
 * Checks that every item was processed exactly once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

async function main() {
  const N = Number(process.env.BENCH_ITEMS ?? 2000);
  const W = Number(process.env.BENCH_WORKERS ?? 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-queue-'));
  process.env.LIAISON_DATA_DIR = dir;
  process.env.LIAISON_LOG_LEVEL = 'error';
  process.env.LIAISON_MASTER_KEY ??= 'b'.repeat(64);
  const { startEmbeddedDatabase } = await import('../lib/db/embedded');
  const { migrate } = await import('../lib/db/migrate');
  let embedded: Awaited<ReturnType<typeof startEmbeddedDatabase>> | null = null;
  let url = process.env.DATABASE_URL;
  if (url) {
    if (!/bench|test/.test(new URL(url).pathname)) throw new Error('DATABASE_URL must name a bench or test database: it is wiped');
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    await c.end();
  } else {
    embedded = await startEmbeddedDatabase(path.join(dir, 'pg'), { publish: false });
    url = embedded.url;
  }
  process.env.LIAISON_EFFECTIVE_DATABASE_URL = url;
  await migrate(url);
  const { prisma, disconnect } = await import('../lib/db/client');
  const { QueueWorker } = await import('../lib/queue/worker');
  const { mailHandler } = await import('../lib/mail/deliver');
  const { enqueueMail } = await import('../lib/mail/enqueue');
  const { SMTPServer } = await import('smtp-server');

  // 1. No-op items: what claiming and settling cost.
  const seen = new Map<number, number>();
  await prisma().queueItem.createMany({ data: Array.from({ length: N }, (_, n) => ({ kind: 'bench', payload: { n } })) });
  const handler = { kind: 'bench', run: async (item: { payload: unknown }) => { const n = (item.payload as { n: number }).n; seen.set(n, (seen.get(n) ?? 0) + 1); } };
  let t0 = Date.now();
  await Promise.all(Array.from({ length: W }, (_, i) => new QueueWorker({ handlers: new Map([['bench', handler]]), batchSize: 10, name: `w${i}` }).drain(10_000)));
  const noop = Date.now() - t0;
  const once = [...seen.values()].every((v) => v === 1) && seen.size === N;

  // 2. Real mail to a real SMTP server.
  let received = 0;
  const smtp = new SMTPServer({ secure: false, disabledCommands: ['STARTTLS'], logger: false, onAuth(_a, _s, cb) { cb(null, { user: 'u' }); }, onData(s, _x, cb) { s.resume(); s.on('end', () => { received++; cb(); }); } });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  process.env.SMTP_URL = `smtp://u:p@127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
  const org = await prisma().organization.create({ data: { slug: 'bench', name: 'Bench Org' } });
  t0 = Date.now();
  for (let i = 0; i < N; i++) await enqueueMail({ orgId: org.id, to: `guest${i}@example.org`, template: 'access_revoked', data: { what: 'Bench report', revokedAt: new Date() } });
  const enqueueMs = Date.now() - t0;
  t0 = Date.now();
  await Promise.all(Array.from({ length: W }, (_, i) => new QueueWorker({ handlers: new Map([['mail', mailHandler]]), batchSize: 10, name: `m${i}` }).drain(10_000)));
  const sendMs = Date.now() - t0;
  const done = await prisma().queueItem.count({ where: { kind: 'mail', status: 'DONE' } });

  console.log(JSON.stringify({
    database: embedded ? 'embedded' : 'postgresql', items: N, workers: W,
    noop: { ms: noop, perSecond: Math.round(N / (noop / 1000)), exactlyOnce: once },
    mail: { enqueueMs, enqueuePerSecond: Math.round(N / (enqueueMs / 1000)), sendMs, sentPerSecond: Math.round(N / (sendMs / 1000)), received, done },
  }, null, 2));
  smtp.close(() => undefined);
  await disconnect();
  await embedded?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
