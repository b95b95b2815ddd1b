/*
 * npm run bench:guest — guest API throughput on loopback: 50 concurrent clients each opening a session,
 * listing documents and fetching one, against an unguarded static file in the same run.
 * Env: BENCH_SECONDS (default 15), BENCH_CLIENTS (default 50), BENCH_SCENARIOS (default static,guest),
 * DATABASE_URL (default: embedded).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const clients = Number(process.env.BENCH_CLIENTS ?? 50);
  process.env.LIAISON_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
  process.env.LIAISON_LOG_LEVEL = 'warn';
  (process.env as Record<string, string>).NODE_ENV = 'production';

  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/prepare.ts'], { stdio: 'inherit' });

  const { startServer } = await import('../lib/server/start');
  const { prisma } = await import('../lib/db/client');
  const { createDocument } = await import('../lib/documents/service');
  const { createShare } = await import('../lib/shares/service');
  const { ROLE_SCOPES } = await import('../lib/auth/scopes');
  const { Readable } = await import('node:stream');

  const server = await startServer({ port: 0, dev: false });
  process.env.LIAISON_PUBLIC_URL = server.url;
  const admin = await prisma().staffUser.findFirstOrThrow({ where: { role: 'ADMIN' } });
  const p = { kind: 'staff' as const, orgId: admin.orgId, userId: admin.id, email: admin.email, name: admin.name, role: admin.role, scopes: new Set(ROLE_SCOPES.ADMIN), request: { ip: '127.0.0.1', userAgent: 'bench' } };
  const pdf = fs.readFileSync(path.join('bench', 'fixtures', 'sample.pdf'));
  const doc = await createDocument(p, { stream: Readable.from([pdf]), fileName: 'sample.pdf', mediaType: 'application/pdf' }, { title: 'Bench sample', tlp: 'GREEN' }, 1e8);
  // No password (PBKDF2 would dominate) and no watermark (bench:watermark measures that): this run
  // measures what guarding costs — token signing and checking, the policy, the session and audit writes.
  const { url } = await createShare(p, { documentIds: [doc.id], allowDownload: true, allowPrint: true, watermark: false });

  function run(scenario: 'guest' | 'static') {
    return new Promise<{ elapsedMs: number; lat: Record<string, number[]>; errors: number }>((resolve, reject) => {
      const job = { base: server.url, clients, seconds, scenario, link: url, documentId: doc.id };
    const w = fork(path.join('bench', 'load-worker.ts'), [JSON.stringify(job)], { execArgv: ['--import', 'tsx'] });
    w.once('message', (m) => resolve(m as never));
    w.once('error', reject);
    });
  }

  const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN; };
  const rows: string[][] = [];
  const report = (label: string, r: Awaited<ReturnType<typeof run>>) => {
    const all = Object.values(r.lat).flat();
    rows.push([label, 'all', String(all.length), (all.length / (r.elapsedMs / 1000)).toFixed(0), pct(all, 0.5).toFixed(1), pct(all, 0.99).toFixed(1), String(r.errors)]);
    for (const [kind, xs] of Object.entries(r.lat)) {
      if (Object.keys(r.lat).length > 1) rows.push([label, kind, String(xs.length), (xs.length / (r.elapsedMs / 1000)).toFixed(0), pct(xs, 0.5).toFixed(1), pct(xs, 0.99).toFixed(1), '']);
    }
  };

  console.log(`bench:guest — ${clients} clients, ${seconds} s per scenario, ${server.embedded ? 'embedded PGlite' : 'PostgreSQL'}, ${os.cpus().length} cores, Node ${process.version}`);
  const scenarios = (process.env.BENCH_SCENARIOS ?? 'static,guest').split(',');
  await run('static'); // warm-up of both paths' code
  if (scenarios.includes('static')) report('static /robots.txt', await run('static'));
  if (scenarios.includes('guest')) report('guest API', await run('guest'));
  const widths = [20, 8, 9, 8, 9, 9, 7];
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' ');
  console.log(line(['scenario', 'request', 'count', 'req/s', 'p50 ms', 'p99 ms', 'errors']));
  rows.forEach((r) => console.log(line(r)));
  await server.close();
  fs.rmSync(process.env.LIAISON_DATA_DIR!, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
