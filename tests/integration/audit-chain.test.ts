import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { recordAudit } from '../../lib/audit/record';
import { verifyAuditChain } from '../../lib/audit/verify';
import { eventHash } from '../../lib/audit/chain';
import { createOrg } from '../helpers/factory';

describe('audit chain', () => {
  it('links events, verifies, and refuses updates and deletes at the database', async () => {
    const org = await createOrg();
    for (let i = 0; i < 5; i++) {
      await recordAudit({ orgId: org.id, type: 'test.event', actor: { type: 'system', label: 'test' }, details: { i, note: 'ünïcödé <b>' } });
    }
    const events = await prisma().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 5 });
    await expect(prisma().auditEvent.update({ where: { id: events[2].id }, data: { actor: 'mallory' } })).rejects.toThrow(/append-only/);
    await expect(prisma().auditEvent.delete({ where: { id: events[2].id } })).rejects.toThrow(/append-only/);
  });

  it('names the first event whose content was changed behind the trigger', async () => {
    const org = await createOrg();
    for (let i = 0; i < 3; i++) await recordAudit({ orgId: org.id, type: 'test.event', actor: { type: 'system', label: 'test' } });
    const second = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, seq: 2 } });
    // Simulate tampering by someone with direct database access who disabled the trigger.
    await prisma().$transaction([
      prisma().$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_immutable"'),
      prisma().$executeRaw`UPDATE "AuditEvent" SET actor = 'mallory' WHERE id = ${second.id}`,
      prisma().$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_immutable"'),
    ]);
    const r = await verifyAuditChain(org.id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.brokenAt).toMatchObject({ id: second.id, seq: 2 });
  });

  it('keeps one unbroken sequence under concurrent writers', async () => {
    const org = await createOrg();
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordAudit({ orgId: org.id, type: 'test.concurrent', actor: { type: 'system', label: `w${i}` } })));
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 20 });
  });

  it('names a gap: an event missing from the middle, even when the rest links up', async () => {
    const org = await createOrg();
    for (let i = 0; i < 3; i++) await recordAudit({ orgId: org.id, type: 'test.gap', actor: { type: 'system', label: 'test' } });
    const third = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, seq: 3 } });
    // Someone with database access writes seq 5 after seq 3, correctly hashed and linked to it.
    const forged = { id: 'evforgedgap' + org.id.slice(-6), orgId: org.id, seq: 5, at: new Date(Math.floor(Date.now())), type: 'test.gap',
      actorType: 'system', actorId: null, actor: 'test', ip: null, userAgent: null, shareId: null, documentId: null, outcome: 'success',
      reason: null, details: {}, prevHash: third.hash };
    await prisma().auditEvent.create({ data: { ...forged, hash: eventHash(forged) } });
    const r = await verifyAuditChain(org.id);
    expect(r).toEqual({ ok: false, count: 3, brokenAt: { id: forged.id, seq: 5, orgId: org.id, problem: 'sequence gap: expected 4, found 5' } });
  });

  it('names a gap wider than a verification page without walking through it', async () => {
    const org = await createOrg();
    await recordAudit({ orgId: org.id, type: 'test.gap', actor: { type: 'system', label: 'test' } });
    const first = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, seq: 1 } });
    const far = 2_000_000_000;
    const forged = { id: 'evforgedfar' + org.id.slice(-6), orgId: org.id, seq: far, at: new Date(Math.floor(Date.now())), type: 'test.gap',
      actorType: 'system', actorId: null, actor: 'test', ip: null, userAgent: null, shareId: null, documentId: null, outcome: 'success',
      reason: null, details: {}, prevHash: first.hash };
    await prisma().auditEvent.create({ data: { ...forged, hash: eventHash(forged) } });
    const started = Date.now();
    expect(await verifyAuditChain(org.id)).toEqual({ ok: false, count: 1, brokenAt: { id: forged.id, seq: far, orgId: org.id, problem: 'sequence gap: expected 2, found 2000000000' } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('names a broken link, also when verifying every organisation', async () => {
    const org = await createOrg();
    for (let i = 0; i < 2; i++) await recordAudit({ orgId: org.id, type: 'test.link', actor: { type: 'system', label: 'test' } });
    // An event inserted with the right seq but linked to something else.
    const unlinked = { id: 'evunlinked' + org.id.slice(-6), orgId: org.id, seq: 3, at: new Date(Math.floor(Date.now())), type: 'test.link',
      actorType: 'system', actorId: null, actor: 'test', ip: null, userAgent: null, shareId: null, documentId: null, outcome: 'success',
      reason: null, details: { forged: true }, prevHash: 'f'.repeat(64) };
    await prisma().auditEvent.create({ data: { ...unlinked, hash: eventHash(unlinked) } });
    const r = await verifyAuditChain(org.id);
    expect(r).toMatchObject({ ok: false, count: 2, brokenAt: { id: unlinked.id, seq: 3, problem: 'prevHash does not match the previous event' } });
    // Verifying every organisation cannot pass while this one is broken.
    const all = await verifyAuditChain();
    expect(all.ok).toBe(false);
  });

  it('verifies times whose milliseconds end in zeros (the database writes them shortened)', async () => {
    const org = await createOrg();
    let prevHash = '0'.repeat(64);
    const times = ['2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.100Z', '2026-12-01T10:00:00.120Z', '2026-12-01T10:00:00.123Z', '1999-12-31T23:59:59.990Z'];
    for (const [i, t] of times.entries()) {
      const e = { id: `evtimes${i}` + org.id.slice(-6), orgId: org.id, seq: i + 1, at: new Date(t), type: 'test.times', actorType: 'system',
        actorId: null, actor: 'test', ip: null, userAgent: null, shareId: null, documentId: null, outcome: 'success', reason: null,
        details: { t }, prevHash };
      const hash = eventHash(e);
      await prisma().auditEvent.create({ data: { ...e, hash } });
      prevHash = hash;
    }
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: times.length });
  });
});
