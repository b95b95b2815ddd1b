/*
 * npm run bench:soak — a mixed workload against one instance, then two instances behind no load
 * balancer but the clients themselves (each request goes to the next instance in turn, as a balancer
 * without sticky sessions would send it), on PostgreSQL, with Redis for two. Prints throughput and
 * p50/p99 per operation, errors with a sample of each kind, and each instance's memory over time.
 *
 * Workload (bench/soak-worker.ts, in BENCH_SOAK_WORKERS child processes, each with these clients):
 * guest sessions, document lists, watermarked page images, watermarked downloads, comments over
 * sockets, and staff uploads. Every figure comes from the real server (server.ts) in child processes.
 *
 * Env: BENCH_SOAK_SECONDS (default 120; docs/BENCHMARKS.md has a 10-minute run), BENCH_SOAK_INSTANCES
 * (default "1,2"), BENCH_SOAK_WORKERS (default 2), BENCH_SOAK_CLIENTS (e.g. "list=2,page=2"),
 * BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/bench_soak; each configuration uses
 * that name plus _1 / _2, which this script WIPES, and refuses a name without "bench"), REDIS_URL
 * (default redis://127.0.0.1:6379).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Operation, SoakJob, SoakReport } from './soak-worker';

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 120);
const INSTANCES = (process.env.BENCH_SOAK_INSTANCES ?? '1,2').split(',').map(Number);
const WORKERS = Number(process.env.BENCH_SOAK_WORKERS ?? 2);
const DB_BASE = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bench_soak';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SAMPLE_SECONDS = Math.max(5, Math.min(30, Math.round(SECONDS / 20)));
const CLIENTS: Record<Operation, number> = { session: 1, list: 2, page: 2, download: 1, comment: 2, upload: 1 };
for (const part of (process.env.BENCH_SOAK_CLIENTS ?? '').split(',').filter(Boolean)) {
  const [k, v] = part.split('=');
  if (k in CLIENTS) CLIENTS[k as Operation] = Number(v);
}
const OPS = Object.keys(CLIENTS) as Operation[];

const pct = (xs: number[], p: number) => { if (!xs.length) return NaN; const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const mb = (kb: number) => kb / 1024;

function rssKb(pid: number): number {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN); } catch { return NaN; }
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den ? num / den : NaN;
}

async function freshDatabase(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!/bench/.test(name)) throw new Error(`refusing to wipe ${name}: the name must contain "bench"`);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

async function waitHealthy(url: string, proc: ChildProcess, output: () => string) {
  for (let i = 0; i < 240; i++) {
    if (proc.exitCode !== null) throw new Error(`instance at ${url} exited with ${proc.exitCode}: ${output()}`);
    try { if ((await fetch(`${url}/api/health`)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`instance at ${url} did not become healthy`);
}

async function runConfiguration(instances: number, say: (s: string) => void) {
  const dbUrl = `${DB_BASE}_${instances}`;
  await freshDatabase(dbUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `liaison-soak-${instances}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: dbUrl, LIAISON_DATA_DIR: dataDir, NODE_ENV: 'production', LIAISON_LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1',
  };
  // Behind one load balancer every instance has the same public address (tokens name it as their issuer).
  env.LIAISON_PUBLIC_URL = 'http://localhost:4610';
  delete env.TEST_DATABASE_URL;
  if (instances > 1) env.REDIS_URL = REDIS_URL; else delete env.REDIS_URL;
  const seed = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/soak-setup.ts'], { env, encoding: 'utf8' }).trim().split('\n').pop()!) as
    { key: string; documentId: string; pages: number; links: SoakJob['links'] };

  const servers = Array.from({ length: instances }, (_, i) => {
    const port = 4610 + i;
    // The instance runs on plain node (not through npm/npx), so its pid is the one whose memory we read.
    // --trace-gc: each full collection prints the live heap after it, which tells a leak (it climbs) from
    // the allocator and bounded caches holding RSS (it levels).
    const proc = spawn(process.execPath, ['--trace-gc', '--import', 'tsx', 'server.ts'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The instance's log is kept whole, so that any error the load met can be traced to its cause.
    const logFile = path.join(os.tmpdir(), `liaison-soak-${instances}-${i + 1}.log`);
    const log = fs.createWriteStream(logFile);
    let stderr = '';
    const keep = (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); log.write(d); };
    const heap: Array<{ at: number; mb: number }> = [];
    let partial = '';
    proc.stdout!.on('data', (d: Buffer) => {
      keep(d);
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const m = /Mark-Compact[^>]*-> ([\d.]+) \(/.exec(line);
        if (m) heap.push({ at: Date.now(), mb: Number(m[1]) });
      }
    });
    proc.stderr!.on('data', keep);
    return { proc, url: `http://127.0.0.1:${port}`, stderr: () => stderr, logFile, heap };
  });
  try {
    await Promise.all(servers.map((s) => waitHealthy(s.url, s.proc, s.stderr)));
    say(`\n### ${instances} instance${instances > 1 ? 's' : ''} (PostgreSQL${instances > 1 ? ' + Redis' : ''}), ${SECONDS} s, ${WORKERS} load processes × ${OPS.map((o) => `${CLIENTS[o]} ${o}`).join(', ')}`);
    const job: SoakJob = { bases: servers.map((s) => s.url), seconds: SECONDS, reportEvery: SAMPLE_SECONDS, clients: CLIENTS, key: seed.key, documentId: seed.documentId, pages: seed.pages, links: seed.links };
    const lat: Record<string, number[]> = {};
    const errors: Record<string, number> = {};
    const samples: Record<string, string> = {};
    const memory: { t: number; rss: number[] }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => memory.push({ t: (Date.now() - started) / 1000, rss: servers.map((s) => rssKb(s.proc.pid!)) }), SAMPLE_SECONDS * 1000);
    memory.push({ t: 0, rss: servers.map((s) => rssKb(s.proc.pid!)) });
    await Promise.all(Array.from({ length: WORKERS }, () => new Promise<void>((resolve, reject) => {
      const w = fork(path.join('bench', 'soak-worker.ts'), [JSON.stringify(job)], { execArgv: ['--import', 'tsx'] });
      w.on('message', (m: SoakReport) => {
        for (const [op, xs] of Object.entries(m.lat)) (lat[op] ??= []).push(...xs!);
        for (const [op, n] of Object.entries(m.errors)) errors[op] = (errors[op] ?? 0) + n!;
        for (const [op, s] of Object.entries(m.samples)) samples[op] ??= s!;
      });
      w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load process exited with ${code}`))));
    })));
    clearInterval(sampler);
    memory.push({ t: (Date.now() - started) / 1000, rss: servers.map((s) => rssKb(s.proc.pid!)) });
    const elapsed = (Date.now() - started) / 1000;

    say('\n| operation | requests | per second | p50 ms | p99 ms | max ms | errors |');
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const op of OPS) {
      const xs = lat[op] ?? [];
      say(`| ${op} | ${xs.length} | ${f1(xs.length / elapsed)} | ${f1(pct(xs, 50))} | ${f1(pct(xs, 99))} | ${f1(xs.length ? Math.max(...xs) : NaN)} | ${errors[op] ?? 0} |`);
    }
    const totalErrors = Object.values(errors).reduce((a, b) => a + b, 0);
    say(`\nerrors: ${totalErrors}${totalErrors ? ` (${Object.entries(samples).map(([op, s]) => `${op}: ${s}`).join('; ')})` : ''}`);
    for (const s of servers) {
      // pino levels: 50 error, 60 fatal. Each distinct message once, with how often it was logged.
      const seen = new Map<string, number>();
      for (const line of fs.readFileSync(s.logFile, 'utf8').split('\n')) {
        try {
          const e = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
          if ((e.level ?? 0) >= 50) { const k = `${e.msg ?? ''}${e.err?.message ? `: ${e.err.message.trim().split('\n').pop()}` : ''}`.slice(0, 300); seen.set(k, (seen.get(k) ?? 0) + 1); }
        } catch { /* not a log line */ }
      }
      say(`errors logged by ${s.url}: ${seen.size ? [...seen].map(([k, n]) => `${n} × ${k}`).join('; ') : 'none'} (log: ${s.logFile})`);
    }

    say('\nMemory (RSS, MB) over time:\n');
    say(`| t (s) | ${servers.map((_, i) => `instance ${i + 1}`).join(' | ')} |`);
    say(`| ---: | ${servers.map(() => '---:').join(' | ')} |`);
    const step = Math.max(1, Math.round(memory.length / 12));
    for (let i = 0; i < memory.length; i++) {
      if (i % step && i !== memory.length - 1) continue;
      say(`| ${f1(memory[i].t)} | ${memory[i].rss.map((k) => f1(mb(k))).join(' | ')} |`);
    }
    // Growth over the second half (after warm-up: caches, JIT, pools), in MB per minute.
    const half = memory.filter((m) => m.t >= elapsed / 2);
    servers.forEach((_, i) => {
      const pts = half.map((m) => [m.t / 60, mb(m.rss[i])] as [number, number]);
      const peak = Math.max(...memory.map((m) => mb(m.rss[i])));
      say(`instance ${i + 1}: ${f1(mb(memory[1]?.rss[i] ?? NaN))} MB after ${f1(memory[1]?.t ?? NaN)} s, ${f1(mb(memory.at(-1)!.rss[i]))} MB at the end, peak ${f1(peak)} MB; second-half trend ${f1(slope(pts))} MB/min`);
    });
    // The JavaScript heap left live by each full collection (V8's --trace-gc), by tenth of the run.
    say('\nJavaScript heap live after full collections (MB; max in each tenth of the run):\n');
    say(`| tenth | ${servers.map((_, i) => `instance ${i + 1}`).join(' | ')} |`);
    say(`| ---: | ${servers.map(() => '---:').join(' | ')} |`);
    const tenth = (s: (typeof servers)[number], k: number) => {
      const xs = s.heap.filter((h) => h.at >= started && Math.min(9, Math.floor(((h.at - started) / 1000 / elapsed) * 10)) === k).map((h) => h.mb);
      return xs.length ? f1(Math.max(...xs)) : '–';
    };
    for (let k = 0; k < 10; k++) say(`| ${k + 1} | ${servers.map((s) => tenth(s, k)).join(' | ')} |`);
    servers.forEach((s, i) => {
      const late = s.heap.filter((h) => h.at >= started + (elapsed * 1000) / 2).map((h) => [(h.at - started) / 60_000, h.mb] as [number, number]);
      say(`instance ${i + 1}: ${s.heap.filter((h) => h.at >= started).length} full collections; live heap second-half trend ${f1(slope(late))} MB/min`);
    });
    return totalErrors;
  } finally {
    for (const s of servers) s.proc.kill('SIGTERM');
    await Promise.all(servers.map((s) => (s.proc.exitCode !== null ? null : new Promise((r) => s.proc.once('exit', r)))));
    for (const s of servers) if (s.proc.exitCode && s.proc.exitCode !== 0) process.stderr.write(`instance exited ${s.proc.exitCode}: ${s.stderr()}\n`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const lines: string[] = [];
  const say = (s: string) => { lines.push(s); process.stdout.write(`${s}\n`); };
  say(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString()}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at start`);
  let errors = 0;
  for (const n of INSTANCES) errors += await runConfiguration(n, say);
  say(`\nload average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  process.exit(errors ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
