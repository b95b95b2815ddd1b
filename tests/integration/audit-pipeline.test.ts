import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { recordAudit, type AuditInput } from '../../lib/audit/record';
import { auditPipelineStats } from '../../lib/audit/group-commit';
import { verifyAuditChain } from '../../lib/audit/verify';
import { createOrg } from '../helpers/factory';

const event = (orgId: string, i: number, extra: Partial<AuditInput> = {}): AuditInput => ({
  orgId, type: 'test.burst', actor: { type: 'guest', id: `g${i}`, label: `guest-${i}@example.test` },
  request: { ip: `198.51.100.${i % 250}`, userAgent: 'vitest' }, outcome: i % 3 ? 'denied' : 'success',
  reason: i % 3 ? 'invalid_password' : null, details: { i, note: 'ünïcödé “quotes” \\ and \n lines', nested: { n: i / 7 } }, ...extra,
});

/** Every caller's answer is its own row: the id it was given has the seq and hash it was given. */
async function expectOwnRows(orgId: string, results: Array<{ id: string; seq: number; hash: string }>) {
  const rows = await prisma().auditEvent.findMany({ where: { orgId }, orderBy: { seq: 'asc' }, select: { id: true, seq: true, hash: true, prevHash: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of results) expect(byId.get(r.id)).toMatchObject({ seq: r.seq, hash: r.hash });
  expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
  expect(new Set(results.map((r) => r.seq)).size).toBe(results.length);
  // Contiguous from 1, each linked to the one before.
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
  return rows;
}

describe('audit group commit', () => {
  it.each([150, 1000])('%i concurrent appends across two organisations: no error, own seq and hash each, chains verify', async (n) => {
    const [a, b] = [await createOrg(), await createOrg()];
    const before = auditPipelineStats();
    const results = await Promise.all(Array.from({ length: n }, (_, i) => recordAudit(event(i % 2 ? b.id : a.id, i))));
    const after = auditPipelineStats();

    const ofA = results.filter((_, i) => i % 2 === 0);
    const ofB = results.filter((_, i) => i % 2 === 1);
    expect((await expectOwnRows(a.id, ofA)).length).toBe(n / 2);
    expect((await expectOwnRows(b.id, ofB)).length).toBe(n / 2);
    // Arrival order is chain order within an organisation.
    expect(ofA.map((r) => r.seq)).toEqual(ofA.map((_, i) => i + 1));
    expect(await verifyAuditChain(a.id)).toEqual({ ok: true, count: n / 2 });
    expect(await verifyAuditChain(b.id)).toEqual({ ok: true, count: n / 2 });
    // Grouped: far fewer transactions than events (other test files may add batches of their own).
    expect(after.events - before.events).toBeGreaterThanOrEqual(n);
    expect(after.batches - before.batches).toBeLessThan(n / 4);
    expect(after.failedBatches).toBe(before.failedBatches);
  });

  it('in-transaction appends interleave with batches without forking the chain', async () => {
    const org = await createOrg();
    const inTx: Array<Promise<{ id: string; seq: number; hash: string }>> = [];
    const batched: Array<Promise<{ id: string; seq: number; hash: string }>> = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 40; i++) batched.push(recordAudit(event(org.id, round * 100 + i)));
      // A change and its event committed together, racing the batches of the same organisation.
      inTx.push(prisma().$transaction(async (tx) => {
        await tx.organization.update({ where: { id: org.id }, data: { name: `Renamed ${round}` } });
        return recordAudit(event(org.id, 1000 + round, { type: 'test.in_tx' }), tx);
      }));
      // The next round starts once this round's batch is in, so that rounds follow one another.
      await batched[batched.length - 1];
    }
    const [b, t] = [await Promise.all(batched), await Promise.all(inTx)];
    const rows = await expectOwnRows(org.id, [...b, ...t]);
    // They really were mixed: in-transaction events sit between batched ones, not all before or after.
    const bSeqs = b.map((r) => r.seq);
    const tSeqs = t.map((r) => r.seq);
    expect(Math.min(...tSeqs)).toBeLessThan(Math.max(...bSeqs));
    expect(Math.max(...tSeqs)).toBeGreaterThan(Math.min(...bSeqs));
    expect(rows.length).toBe(205);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'test.in_tx' } })).toBe(5);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 205 });
  });

  it('a rolled-back transaction leaves no event and no gap', async () => {
    const org = await createOrg();
    await recordAudit(event(org.id, 1));
    let rolledBackId = '';
    await expect(prisma().$transaction(async (tx) => {
      rolledBackId = (await recordAudit(event(org.id, 2, { type: 'test.rolled_back' }), tx)).id;
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    expect(rolledBackId).not.toBe('');
    expect(await prisma().auditEvent.count({ where: { id: rolledBackId } })).toBe(0);
    const next = await Promise.all([recordAudit(event(org.id, 3)), recordAudit(event(org.id, 4))]);
    expect(next.map((r) => r.seq)).toEqual([2, 3]);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 3 });
  });

  it('stores exactly what it hashed: times in UTC to the millisecond, details as given', async () => {
    const org = await createOrg();
    const t0 = Date.now();
    const r = await recordAudit(event(org.id, 7, { details: { big: 1e21, small: 5e-324, neg: -0, s: 'tab\there', arr: [1, 'two', null, { z: 1, a: 2 }] } }));
    const row = await prisma().auditEvent.findUniqueOrThrow({ where: { id: r.id } });
    expect(row.at.getTime()).toBeGreaterThanOrEqual(t0 - 1);
    expect(row.at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(row.details).toEqual({ big: 1e21, small: 5e-324, neg: 0, s: 'tab\there', arr: [1, 'two', null, { z: 1, a: 2 }] });
    expect(row.hash).toBe(r.hash);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 1 });
  });
});
