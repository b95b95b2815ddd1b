import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { verifyAuditChain } from '../../lib/audit/verify';
import { apiOpen, sharedPdf } from '../helpers/guest';

/*
 * The security review's finding, reproduced: 150 parallel password attempts on one share used to give
 * answers of 500 (Prisma P2028, transaction start timeout), leave those attempts unaudited, and fail the
 * one correct password in the burst. With group commit every attempt gets a typed answer and an event.
 */
describe('audit under a burst of guest password attempts', () => {
  it('150 parallel attempts, one correct: no 5xx, the correct one opens, every attempt is audited', async () => {
    const s = await sharedPdf({ password: 'the-right-one-42' });
    const before = await prisma().auditEvent.count({ where: { orgId: s.org.id } });
    // Each from its own address, so only the per-share limit applies; the correct one is sent first.
    const attempts = Array.from({ length: 150 }, (_, i) => apiOpen(
      { link: s.url, password: i === 0 ? 'the-right-one-42' : `wrong-${i}` }, `198.18.${i >> 8}.${i & 255}`));
    const answers = await Promise.all(attempts);
    const statuses = answers.map((a) => a.res.status);
    expect(statuses.filter((x) => x >= 500), JSON.stringify(answers.filter((a) => a.res.status >= 500).map((a) => a.json))).toEqual([]);
    expect(statuses[0]).toBe(201);
    for (const a of answers.slice(1)) expect(['invalid_password', 'rate_limited']).toContain(a.json.error);
    // Only the per-share allowance was hashed; the rest were refused before any hashing.
    expect(answers.filter((a) => a.json.error === 'invalid_password').length).toBeLessThanOrEqual(20);

    const events = await prisma().auditEvent.findMany({ where: { orgId: s.org.id, type: 'guest.session', shareId: s.share.id }, select: { outcome: true, reason: true } });
    expect(events.length).toBe(150);
    expect(events.filter((e) => e.outcome === 'success').length).toBe(1);
    expect(events.filter((e) => e.reason === 'invalid_password').length).toBe(answers.filter((a) => a.json.error === 'invalid_password').length);
    expect(events.filter((e) => e.reason === 'rate_limited').length).toBe(answers.filter((a) => a.json.error === 'rate_limited').length);
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id } })).toBe(before + 150);
    expect(await verifyAuditChain(s.org.id)).toMatchObject({ ok: true });
  }, 120_000);
});
