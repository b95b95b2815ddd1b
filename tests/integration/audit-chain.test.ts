import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { recordAudit } from '../../lib/audit/record';
import { verifyAuditChain } from '../../lib/audit/verify';
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
});
