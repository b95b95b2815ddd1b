/*
 * npm run bench:audit — the audit pipeline's throughput, on the embedded database and on PostgreSQL.
 *
 * For each database: appends/s with 1, 10 and 100 concurrent writers (each writer awaits one
 * recordAudit after another), first through the old one-transaction-per-event path (for reference),
 * then through group commit; then the time to verify a chain of BENCH_VERIFY_EVENTS events.
 *
 * Env: BENCH_SECONDS (per scenario, default 5), BENCH_VERIFY_EVENTS (default 100000),
 * BENCH_APPEND (0: skip the append scenarios), BENCH_DATABASES (default "embedded,postgresql"), BENCH_DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/bench_audit; created if missing and WIPED; its name must contain "bench").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const VERIFY_EVENTS = Number(process.env.BENCH_VERIFY_EVENTS ?? 100_000);
const DATABASES = (process.env.BENCH_DATABASES ?? 'embedded,postgresql').split(',').map((s) => s.trim()).filter(Boolean);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bench_audit';
// BENCH_APPEND=0 skips the append scenarios (only the verify chain is written and verified).
const WRITERS = process.env.BENCH_APPEND === '0' ? [] : [1, 10, 100];

process.env.LIAISON_LOG_LEVEL ??= 'fatal'; // the old path logs nothing, and refusals are counted below

/** Creates the benchmark database if needed and empties it. Refuses any name without "bench". */
async function freshPostgres(url: string): Promise<string> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!/bench/i.test(name)) throw new Error(`Refusing to wipe "${name}": BENCH_DATABASE_URL must name a database containing "bench"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
  } finally { await c.end(); }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    const v = await db.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${v.rows[0].server_version.split(' ')[0]} (127.0.0.1)`;
  } finally { await db.end(); }
}

interface Row { database: string; scenario: string; writers: string; events: number; seconds: number; perSecond: number; errors: number; note: string }

async function main() {
  const { startEmbeddedDatabase } = await import('../lib/db/embedded');
  const { migrate } = await import('../lib/db/migrate');
  const { prisma, disconnect } = await import('../lib/db/client');
  const { recordAudit } = await import('../lib/audit/record');
  const { appendInTransaction } = await import('../lib/audit/append');
  const { draftEvent } = await import('../lib/audit/draft');
  const { auditPipelineStats } = await import('../lib/audit/group-commit');
  const { closeAuditPool } = await import('../lib/audit/pool');
  const { verifyAuditChain } = await import('../lib/audit/verify');
  type AuditInput = Parameters<typeof recordAudit>[0];

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench:audit — ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
    `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${SECONDS} s per append scenario, verify ${VERIFY_EVENTS.toLocaleString('en')} events`);

  const input = (orgId: string, w: number, i: number): AuditInput => ({
    orgId, type: i % 4 ? 'guest.view' : 'guest.download', actor: { type: 'guest', id: `guest-${w}`, label: `guest${w}@partner.example` },
    request: { ip: `198.51.100.${w % 250}`, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36' },
    shareId: 'cmbenchshare000000000001', documentId: 'cmbenchdoc00000000000001', details: { page: i % 40, watermark: true, bytes: 1024 * (i % 97) },
  });

  // The path every event took before group commit: its own transaction, lock, head read and insert.
  const oldAppend = (a: AuditInput) => prisma().$transaction((t) => appendInTransaction(t, draftEvent(a)));

  async function appendRate(orgId: string, writers: number, append: (a: AuditInput) => Promise<unknown>) {
    let events = 0;
    let errors = 0;
    const codes = new Map<string, number>();
    const started = performance.now();
    const until = started + SECONDS * 1000;
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        try { await append(input(orgId, w, i)); events++; } catch (e) {
          errors++;
          const code = String((e as { code?: unknown }).code ?? (e as Error).name);
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    return { events, errors, seconds, codes: [...codes].map(([c, n]) => `${n}× ${c}`).join(', ') };
  }

  // CPU cost of one event's canonical JSON and hash, the heart of verification: the canonicalize-based
  // definition the chain was written with, against lib/audit/chain.ts (the same bytes, checked below).
  {
    const { default: canonicalize } = await import('canonicalize');
    const { eventHash, GENESIS_HASH } = await import('../lib/audit/chain');
    const crypto = await import('node:crypto');
    const events = Array.from({ length: 100_000 }, (_, i) => {
      const d = draftEvent(input('cmbenchorg000000000000001', i % 100, i));
      return { ...d, seq: i + 1, at: new Date(d.at), details: JSON.parse(d.details) as unknown, prevHash: GENESIS_HASH };
    });
    const reference = (e: (typeof events)[number]) => crypto.createHash('sha256').update(canonicalize({
      v: 1, id: e.id, orgId: e.orgId, seq: e.seq, at: e.at.toISOString(), type: e.type, actorType: e.actorType, actorId: e.actorId,
      actor: e.actor, ip: e.ip, userAgent: e.userAgent, shareId: e.shareId, documentId: e.documentId, outcome: e.outcome,
      reason: e.reason, details: e.details ?? {}, prevHash: e.prevHash,
    })!).digest('hex');
    const cpuMs = (f: () => void) => { const t = process.cpuUsage(); f(); const d = process.cpuUsage(t); return (d.user + d.system) / 1000; };
    for (let i = 0; i < 1000; i++) if (reference(events[i]) !== eventHash(events[i])) throw new Error('hash mismatch');
    const ref = Math.min(cpuMs(() => events.forEach(reference)), cpuMs(() => events.forEach(reference)));
    const fast = Math.min(cpuMs(() => events.forEach(eventHash)), cpuMs(() => events.forEach(eventHash)));
    console.log(`canonical JSON + SHA-256 of 100,000 events, CPU: canonicalize ${Math.round(ref)} ms, lib/audit/chain.ts ${Math.round(fast)} ms ` +
      `(${(ref / fast).toFixed(1)}× less)`);
  }

  const rows: Row[] = [];
  for (const kind of DATABASES) {
    let label: string;
    let url: string;
    let stop = async () => {};
    let dir: string | null = null;
    if (kind === 'embedded') {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-audit-'));
      const db = await startEmbeddedDatabase(dir, { publish: false });
      url = db.url;
      stop = () => db.stop();
      label = 'embedded PGlite';
    } else if (kind === 'postgresql') {
      url = PG_URL;
      label = await freshPostgres(url);
    } else throw new Error(`Unknown database "${kind}" in BENCH_DATABASES`);
    process.env.LIAISON_EFFECTIVE_DATABASE_URL = url;
    await migrate(url);
    console.log(`\n${label}`);

    const org = () => prisma().organization.create({ data: { slug: `bench-${Math.random().toString(36).slice(2, 10)}`, name: 'Bench' } });
    const report = (scenario: string, writers: number, r: { events: number; errors: number; seconds: number }, note = '') => {
      const row = { database: label, scenario, writers: String(writers), events: r.events, seconds: r.seconds, perSecond: r.events / r.seconds, errors: r.errors, note };
      rows.push(row);
      console.log(`  ${scenario.padEnd(34)} ${String(writers).padStart(3)} writers  ${Math.round(row.perSecond).toLocaleString('en').padStart(7)} events/s` +
        `  (${r.events.toLocaleString('en')} in ${r.seconds.toFixed(1)} s, ${r.errors} errors${note ? `, ${note}` : ''})`);
    };

    for (const writers of WRITERS) {
      const o = await org();
      const r = await appendRate(o.id, writers, oldAppend);
      report('old: one transaction per event', writers, r, r.codes);
      const v = await verifyAuditChain(o.id);
      if (!v.ok) throw new Error(`old path broke the chain: ${JSON.stringify(v)}`);
    }
    for (const writers of WRITERS) {
      const o = await org();
      const before = auditPipelineStats();
      const r = await appendRate(o.id, writers, (a) => recordAudit(a));
      const after = auditPipelineStats();
      const batches = after.batches - before.batches;
      report('group commit', writers, r, `${batches.toLocaleString('en')} batches, mean ${(r.events / Math.max(1, batches)).toFixed(1)} events${r.codes ? `; ${r.codes}` : ''}`);
      const v = await verifyAuditChain(o.id);
      if (!v.ok || v.count !== r.events) throw new Error(`group commit broke the chain: ${JSON.stringify(v)}`);
    }

    // A chain of VERIFY_EVENTS events, then verified three times through the real verifier. The chain is
    // computed here with the pipeline's own functions (draftEvent, chainHash) and inserted in bulk,
    // 10,000 rows per multi-row INSERT: writing 1,000,000 events through group commit would take minutes
    // and measure nothing new (the append scenarios above do that).
    const o = await org();
    const seedStart = performance.now();
    const { chainHash } = await import('../lib/audit/draft');
    const { GENESIS_HASH } = await import('../lib/audit/chain');
    const seeder = new pg.Client({ connectionString: url });
    await seeder.connect();
    const CHUNK = 10_000;
    const t0 = Date.now() - VERIFY_EVENTS; // one event per millisecond, in the past
    let prev = GENESIS_HASH;
    for (let done = 0; done < VERIFY_EVENTS; done += CHUNK) {
      const n = Math.min(CHUNK, VERIFY_EVENTS - done);
      const cols: unknown[][] = Array.from({ length: 15 }, () => new Array(n));
      for (let i = 0; i < n; i++) {
        const seq = done + i + 1;
        const d = draftEvent(input(o.id, seq % 100, seq), t0 + seq);
        const hash = chainHash(d, seq, prev);
        const row = [d.id, seq, d.at, d.type, d.actorType, d.actorId, d.actor, d.ip, d.userAgent, d.shareId, d.documentId, d.outcome, d.details, prev, hash];
        for (let c = 0; c < 15; c++) cols[c][i] = row[c];
        prev = hash;
      }
      await seeder.query(`INSERT INTO "AuditEvent"
        (id, "orgId", seq, at, type, "actorType", "actorId", actor, ip, "userAgent", "shareId", "documentId", outcome, details, "prevHash", hash)
        SELECT e.id, $1, e.seq, e.at, e.type, e.actor_type, e.actor_id, e.actor, e.ip, e.user_agent, e.share_id, e.document_id, e.outcome, e.details, e.prev_hash, e.hash
        FROM unnest($2::text[], $3::int[], $4::timestamp(3)[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                    $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[])
          AS e(id, seq, at, type, actor_type, actor_id, actor, ip, user_agent, share_id, document_id, outcome, details, prev_hash, hash)`, [o.id, ...cols]);
    }
    await seeder.query('ANALYZE "AuditEvent"');
    await seeder.end();
    const seedSeconds = (performance.now() - seedStart) / 1000;
    console.log(`  (seeded ${VERIFY_EVENTS.toLocaleString('en')} events in ${seedSeconds.toFixed(1)} s: chain computed in Node, inserted ${CHUNK.toLocaleString('en')} rows per statement)`);
    const times: number[] = [];
    const cpu: number[] = [];
    const mb = (b: number) => Math.round(b / 2 ** 20);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 20);
    for (let run = 0; run < 3; run++) {
      const t = performance.now();
      const c = process.cpuUsage();
      const v = await verifyAuditChain(o.id);
      const d = process.cpuUsage(c);
      times.push((performance.now() - t) / 1000);
      cpu.push((d.user + d.system) / 1e6);
      if (!v.ok || v.count !== VERIFY_EVENTS) throw new Error(`verify: ${JSON.stringify(v)}`);
    }
    clearInterval(sampler);
    const median = [...times].sort((a, b) => a - b)[1];
    // The target: 1,000,000 events in under 20 s (scaled to the chain's length).
    const limit = 20 * VERIFY_EVENTS / 1_000_000;
    console.log(`  verify target: under ${limit.toFixed(1)} s for ${VERIFY_EVENTS.toLocaleString('en')} events (20 s per million): median ${median.toFixed(2)} s, ${median < limit ? 'met' : 'MISSED'}`);
    report(`verify (3 runs: ${times.map((t) => t.toFixed(2)).join(' / ')} s)`, 1, { events: VERIFY_EVENTS, errors: 0, seconds: median },
      `median; Node CPU ${cpu.map((c) => c.toFixed(2)).join(' / ')} s; RSS ${mb(rssBefore)} MB before, ${mb(rssPeak)} MB peak`);

    await closeAuditPool();
    await disconnect();
    await stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }

  console.log('\n| database | scenario | writers | events | s | events/s | errors |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.database} | ${r.scenario} | ${r.writers} | ${r.events.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${Math.round(r.perSecond).toLocaleString('en')} | ${r.errors} |`);
  }
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
