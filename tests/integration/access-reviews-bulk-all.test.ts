import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { bulkActionAllMatching } from '../../lib/reviews/bulk-all';
import { bulkAction } from '../../lib/reviews/actions';
import { extendGuest } from '../../lib/guest/admin';
import { listReviewGrants } from '../../lib/reviews/grants';
import { createOrg, createStaff } from '../helpers/factory';

const DAY = 86_400_000;
const refusal = async (p: Promise<unknown>) => {
  try { await p; } catch (e) { if (e instanceof AppError) return { code: e.code, message: e.message }; throw e; }
  throw new Error('expected a refusal');
};

/** `n` live link shares whose allowed domain is `domain` (the review's domain filter then picks them alone). */
async function shares(orgId: string, createdById: string, domain: string, n: number) {
  const now = Date.now();
  await prisma().share.createMany({
    data: Array.from({ length: n }, (_, i) => ({ orgId, createdById, audience: 'VERIFIED_EMAIL' as const, allowedDomains: [domain], expiresAt: new Date(now + 5 * DAY), createdAt: new Date(now - (i + 1) * 1000) })),
  });
  return prisma().share.findMany({ where: { orgId, allowedDomains: { has: domain } }, select: { id: true } });
}

describe('access reviews: bulk action on all matching grants', () => {
  it('re-runs the filters on the server, in keyset batches; refuses a changed count; audits every grant and each batch', async () => {
    const org = await createOrg('Bulk All Org');
    const admin = await createStaff(org.id, 'ADMIN');
    const member = await createStaff(org.id, 'MEMBER');
    const matching = await shares(org.id, admin.user.id, 'bulk.example', 450);
    const others = await shares(org.id, admin.user.id, 'other.example', 3);
    const filters = { kinds: ['share'], domain: 'bulk.example' };
    expect(await (await listReviewGrants(admin.principal, { ...filters, first: 50 })).totalCount()).toBe(450);

    // Only administrators; the count the admin confirmed must be the count now.
    expect((await refusal(bulkActionAllMatching(member.principal, { action: 'revoke', filters, expectedCount: 450 }))).code).toBe('forbidden');
    const changed = await refusal(bulkActionAllMatching(admin.principal, { action: 'revoke', filters, expectedCount: 449 }));
    expect(changed).toEqual({ code: 'conflict', message: 'The filters now match 450 grants, not the 449 you confirmed: review the list and confirm again.' });
    // A list of ids is not part of this mode: the grants are the filters' alone.
    await expect(bulkActionAllMatching(admin.principal, { action: 'revoke', filters, expectedCount: 450, items: [{ kind: 'share', id: others[0].id }] })).rejects.toThrow();
    expect(await prisma().share.count({ where: { orgId: org.id, state: 'REVOKED' } })).toBe(0);

    const r = await bulkActionAllMatching(admin.principal, { action: 'revoke', filters, expectedCount: 450, reason: 'Matter closed' });
    expect(r).toMatchObject({ total: 450, batches: 3, done: 450, failed: 0, notApplicable: 0 });
    expect(new Set(r.results.map((x) => x.id))).toEqual(new Set(matching.map((s) => s.id)));
    expect(await prisma().share.count({ where: { id: { in: matching.map((s) => s.id) }, state: 'REVOKED', revokedReason: 'Matter closed' } })).toBe(450);
    expect(await prisma().share.count({ where: { id: { in: others.map((s) => s.id) }, state: 'ACTIVE' } })).toBe(3);
    // Every grant its own event, through revokeShare; each batch one review.bulk naming how it was chosen.
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'share.revoke', shareId: { in: matching.map((s) => s.id) } } })).toBe(450);
    const batches = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'review.bulk' }, orderBy: { seq: 'asc' } });
    expect(batches.map((b) => (b.details as { allMatching: { batch: number; total: number } }).allMatching)).toEqual([1, 2, 3].map((batch) => ({ filters, total: 450, batch })));
    expect(batches.map((b) => (b.details as { items: unknown[] }).items.length)).toEqual([200, 200, 50]);
    expect(batches.every((b) => b.reason === 'Matter closed')).toBe(true);
  });

  it('extends every matching grant, leaving what does not match alone', async () => {
    const org = await createOrg('Bulk Extend Org');
    const admin = await createStaff(org.id, 'ADMIN');
    const matching = await shares(org.id, admin.user.id, 'extend.example', 7);
    const other = await shares(org.id, admin.user.id, 'keep.example', 1);
    const until = new Date(Date.now() + 20 * DAY);
    const r = await bulkActionAllMatching(admin.principal, { action: 'extend', expiresAt: until, filters: { domain: 'extend.example' }, expectedCount: 7 });
    expect(r).toMatchObject({ total: 7, batches: 1, done: 7 });
    expect(await prisma().share.count({ where: { id: { in: matching.map((s) => s.id) }, expiresAt: until } })).toBe(7);
    expect((await prisma().share.findUniqueOrThrow({ where: { id: other[0].id } })).expiresAt).not.toEqual(until);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'share.extend' } })).toBe(7);
  });

  it('beyond 10,000 matching grants the action is refused with a clear message, and nothing changes', async () => {
    const org = await createOrg('Bulk Cap Org');
    const admin = await createStaff(org.id, 'ADMIN');
    await shares(org.id, admin.user.id, 'cap.example', 10_001);
    const e = await refusal(bulkActionAllMatching(admin.principal, { action: 'revoke', filters: { domain: 'cap.example' }, expectedCount: 10_001 }));
    expect(e).toEqual({ code: 'validation_failed', message: 'These filters match 10,001 grants; one action on all matching grants covers at most 10,000. Narrow the filters (kind, classification, domain, partner, owner) and act in parts.' });
    expect(await prisma().share.count({ where: { orgId: org.id, state: 'REVOKED' } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'review.bulk' } })).toBe(0);
  });
});

describe('access reviews: extending guest accounts', () => {
  it('anonymous, disabled, too-long and unauthorised extensions are refused; a bulk extend reports them item by item', async () => {
    const org = await createOrg('Guest Extend Org');
    const admin = await createStaff(org.id, 'ADMIN');
    const member = await createStaff(org.id, 'MEMBER');
    const now = Date.now();
    const registered = await prisma().guest.create({ data: { orgId: org.id, kind: 'REGISTERED', email: 'reg@counsel.example', expiresAt: new Date(now + 2 * DAY) } });
    const anonymous = await prisma().guest.create({ data: { orgId: org.id, kind: 'ANONYMOUS' } });
    const disabled = await prisma().guest.create({ data: { orgId: org.id, kind: 'REGISTERED', email: 'off@counsel.example', disabledAt: new Date() } });
    const until = new Date(now + 30 * DAY);

    expect((await refusal(extendGuest(admin.principal, registered.id, new Date(now - DAY)))).code).toBe('validation_failed');
    expect((await refusal(extendGuest(admin.principal, registered.id, new Date(now + 4000 * DAY)))).message).toMatch(/at most \d+ days/);
    // A member who owns none of the guest's shares may not change its term (nor see it: not_found).
    expect(['forbidden', 'not_found']).toContain((await refusal(extendGuest(member.principal, registered.id, until))).code);

    const r = await bulkAction(admin.principal, {
      action: 'extend', expiresAt: until, reason: 'Engagement extended', notice: 'Your access now runs for another month.',
      items: [{ kind: 'guest', id: registered.id }, { kind: 'guest', id: anonymous.id }, { kind: 'guest', id: disabled.id }],
    });
    expect(r.results.map((x) => [x.outcome, x.error?.split(':')[0] ?? null])).toEqual([['done', null], ['failed', 'validation_failed'], ['failed', 'conflict']]);
    expect(r.noticesQueued).toBe(1);
    expect((await prisma().guest.findUniqueOrThrow({ where: { id: registered.id } })).expiresAt).toEqual(until);
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'guest.extend', outcome: 'success' } });
    expect(event).toMatchObject({ reason: 'Engagement extended', details: expect.objectContaining({ guestId: registered.id, from: registered.expiresAt!.toISOString(), expiresAt: until.toISOString() }) });
    const mail = await prisma().mailMessage.findFirstOrThrow({ where: { orgId: org.id, template: 'access_review_notice' } });
    expect(mail.to).toBe('reg@counsel.example');
    expect(mail.text).toContain('Your access now runs for another month.');
  });
});
