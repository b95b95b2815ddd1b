import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { recordAudit } from '../../lib/audit/record';
import { verifyAuditChain } from '../../lib/audit/verify';
import { createOrg } from '../helpers/factory';

const root = path.resolve(import.meta.dirname, '../..');
type Appended = { id: string; seq: number; hash: string };

/** tests/helpers/audit-writer.ts in its own process: another instance on the same database. */
async function otherInstance(orgId: string, waves: number, perWave: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'tests/helpers/audit-writer.ts'), orgId, String(waves), String(perWave)], {
    cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', DATABASE_URL: inject('databaseUrl'), LIAISON_LOG_LEVEL: 'warn' },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const done = new Promise<Appended[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`writer exited ${code}: ${err}`))));
  });
  await new Promise<void>((resolve) => child.stdout.on('data', (d) => { out += d; if (out.startsWith('ready\n')) resolve(); }));
  return { go: () => child.stdin.write('go\n'), done };
}

describe('audit chain across instances', () => {
  it('two processes appending to one organisation at once never fork the chain', async () => {
    const org = await createOrg();
    const [waves, perWave] = [10, 50];
    const other = await otherInstance(org.id, waves, perWave);
    other.go();
    const ours: Appended[] = [];
    for (let w = 0; w < waves; w++) {
      ours.push(...await Promise.all(Array.from({ length: perWave }, (_, i) => recordAudit({
        orgId: org.id, type: 'test.instance', actor: { type: 'system', label: 'this process' }, details: { w, i },
      }))));
    }
    const theirs = await other.done;
    const all = [...theirs, ...ours];
    const n = 2 * waves * perWave;
    expect(new Set(all.map((r) => r.seq)).size).toBe(n);
    const rows = await prisma().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: 'asc' }, select: { id: true, seq: true, hash: true, actor: true } });
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of all) expect(byId.get(r.id)).toMatchObject({ seq: r.seq, hash: r.hash });
    expect(rows.filter((r) => r.actor.startsWith('instance ')).length).toBe(n / 2);
    // They really wrote at the same time: the other process's events are spread among ours, not one block.
    const theirSeqs = theirs.map((r) => r.seq);
    expect(Math.max(...theirSeqs) - Math.min(...theirSeqs) + 1).toBeGreaterThan(theirs.length);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: n });
  }, 60_000);
});
