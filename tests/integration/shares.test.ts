import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { sha256Hex } from '../../lib/crypto/secrets';
import { createDocument } from '../../lib/documents/service';
import { createShare, listShares, revokeShare, updateShare, updateSharePolicy } from '../../lib/shares/service';
import { createTerms, reviseTerms } from '../../lib/terms/service';
import { apiKeyPrincipal, createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const DAY = 86_400_000;

async function setup() {
  const org = await createOrg();
  const { principal } = await createStaff(org.id, 'MEMBER');
  const doc = await createDocument(principal, fileFrom(tinyPdf('brief'), 'brief.pdf', 'application/pdf'), { title: 'Brief', tlp: 'AMBER' }, 1e7);
  return { org, p: principal, doc };
}

describe('createShare', () => {
  it('applies secure defaults and stores the link secret only as a hash', async () => {
    const { p, doc } = await setup();
    const before = Date.now();
    const { share, url, token } = await createShare(p, { documentIds: [doc.id] });
    expect(url).toBe(`http://liaison.test/s/${token}`);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(share).toMatchObject({ permission: 'VIEW', allowDownload: false, allowPrint: false, watermark: true, status: 'ACTIVE' });
    expect(share.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 14 * DAY - 5000);
    const row = await prisma().share.findUniqueOrThrow({ where: { id: share.id } });
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: share.id, type: 'share.create' } });
    expect(JSON.stringify(ev)).not.toContain(token);
  });

  it('hashes the password with PBKDF2 at 600,000 iterations', async () => {
    const { p, doc } = await setup();
    const { share } = await createShare(p, { documentIds: [doc.id], password: 'open sesame 42' });
    const row = await prisma().share.findUniqueOrThrow({ where: { id: share.id } });
    expect(row.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/);
  });

  it.each([
    ['an expiry in the past', { expiresAt: new Date(Date.now() - 60_000) }, /future/],
    ['an expiry beyond the organisation maximum', { expiresAt: new Date(Date.now() + 400 * DAY) }, /at most 90 days/],
    ['a malformed IP range', { allowedIpRanges: ['10.0.0.0/33'] }, /10\.0\.0\.0\/33/],
    ['a country that is not a code', { allowedCountries: ['Britain'] }, /ISO 3166/],
  ])('refuses %s and writes nothing', async (_label, extra, message) => {
    const { p, doc, org } = await setup();
    await expect(createShare(p, { documentIds: [doc.id], ...extra })).rejects.toThrow(message);
    expect(await prisma().share.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('fails closed when the terms cannot be attached', async () => {
    const { p, doc, org } = await setup();
    const other = await createOrg();
    const { principal: otherP } = await createStaff(other.id, 'MEMBER');
    const foreignTerms = await createTerms(otherP, { title: 'NDA', body: 'Keep quiet.' });
    await expect(createShare(p, { documentIds: [doc.id], termsVersionId: foreignTerms.id, password: 'long enough pw' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await prisma().share.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('refuses documents above the TLP ceiling and documents of another organisation', async () => {
    const { p, org } = await setup();
    const red = await createDocument(p, fileFrom('secret', 'red.txt', 'text/plain'), { title: 'Red', tlp: 'RED' }, 1e7);
    await expect(createShare(p, { documentIds: [red.id] })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('TLP:RED') });
    const other = await createOrg();
    const { principal: otherP } = await createStaff(other.id, 'MEMBER');
    const foreign = await createDocument(otherP, fileFrom('x', 'x.txt'), {}, 1e7);
    await expect(createShare(p, { documentIds: [foreign.id] })).rejects.toMatchObject({ code: 'not_found' });
    expect(await prisma().share.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('keeps HTML in the message as literal text', async () => {
    const { p, doc } = await setup();
    const { share } = await createShare(p, { documentIds: [doc.id], message: '<script>alert(1)</script> please review' });
    expect(share.message).toBe('<script>alert(1)</script> please review');
  });

  it('requires shares:write', async () => {
    const { org, doc } = await setup();
    const { principal: auditor } = await createStaff(org.id, 'AUDITOR');
    await expect(createShare(auditor, { documentIds: [doc.id] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createShare(apiKeyPrincipal(org.id, ['shares:read']), { documentIds: [doc.id] })).rejects.toMatchObject({ code: 'insufficient_scope' });
  });
});

describe('updateShare and revokeShare', () => {
  it('a password change bumps the password epoch and ends open sessions', async () => {
    const { p, doc, org } = await setup();
    const { share } = await createShare(p, { documentIds: [doc.id], password: 'first password' });
    const guest = await prisma().guest.create({ data: { orgId: org.id } });
    await prisma().guestSession.create({ data: { guestId: guest.id, shareId: share.id, ip: '1.2.3.4', expiresAt: new Date(Date.now() + 3600_000) } });
    const updated = await updateShare(p, share.id, { password: 'second password' });
    expect(updated.passwordEpoch).toBe(share.passwordEpoch + 1);
    expect(await prisma().guestSession.count({ where: { shareId: share.id, revokedAt: null } })).toBe(0);
  });

  it('extends within policy and refuses past or over-long expiries', async () => {
    const { p, doc } = await setup();
    const { share } = await createShare(p, { documentIds: [doc.id] });
    const later = new Date(Date.now() + 60 * DAY);
    expect((await updateShare(p, share.id, { expiresAt: later })).expiresAt.getTime()).toBe(later.getTime());
    await expect(updateShare(p, share.id, { expiresAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updateShare(p, share.id, { allowedIpRanges: ['not-a-range'] })).rejects.toMatchObject({ code: 'validation_failed' });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: share.id, type: 'share.extend' } });
    expect(ev.details).toMatchObject({ expiresAt: later.toISOString() });
  });

  it('revocation is immediate, audited, idempotent, and final', async () => {
    const { p, doc } = await setup();
    const { share } = await createShare(p, { documentIds: [doc.id] });
    const r = await revokeShare(p, share.id, 'matter closed');
    expect(r).toMatchObject({ state: 'REVOKED', status: 'REVOKED', revocationEpoch: share.revocationEpoch + 1, revokedReason: 'matter closed' });
    await revokeShare(p, share.id);
    expect(await prisma().auditEvent.count({ where: { shareId: share.id, type: 'share.revoke' } })).toBe(1);
    await expect(updateShare(p, share.id, { expiresAt: new Date(Date.now() + DAY) })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('lists by status', async () => {
    const { p, doc } = await setup();
    const a = await createShare(p, { documentIds: [doc.id] });
    const b = await createShare(p, { documentIds: [doc.id] });
    await revokeShare(p, b.share.id);
    await prisma().share.update({ where: { id: a.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const c = await createShare(p, { documentIds: [doc.id] });
    const ids = async (status?: 'ACTIVE' | 'EXPIRED' | 'REVOKED') => (await listShares(p, { status })).nodes.map((n) => n.id);
    expect(await ids('ACTIVE')).toEqual([c.share.id]);
    expect(await ids('EXPIRED')).toEqual([a.share.id]);
    expect(await ids('REVOKED')).toEqual([b.share.id]);
    expect((await ids()).length).toBe(3);
  });
});

describe('terms and policy', () => {
  it('revising terms adds a version and leaves the accepted text alone', async () => {
    const { p } = await setup();
    const v1 = await createTerms(p, { title: 'NDA', body: 'Version one <b>text</b>' });
    const v2 = await reviseTerms(p, v1.termsId, { title: 'NDA', body: 'Version two' });
    expect(v2.version).toBe(2);
    expect((await prisma().termsVersion.findUniqueOrThrow({ where: { id: v1.id } })).body).toBe('Version one <b>text</b>');
  });

  it('only admins set the share policy, and it applies to new shares', async () => {
    const { p, org, doc } = await setup();
    await expect(updateSharePolicy(p, { defaultShareDays: 3, maxShareDays: 7 })).rejects.toMatchObject({ code: 'forbidden' });
    const { principal: admin } = await createStaff(org.id, 'ADMIN');
    await updateSharePolicy(admin, { defaultShareDays: 3, maxShareDays: 7 });
    const { share } = await createShare(p, { documentIds: [doc.id] });
    expect(share.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3 * DAY);
    await expect(createShare(p, { documentIds: [doc.id], expiresAt: new Date(Date.now() + 10 * DAY) })).rejects.toThrow(/at most 7 days/);
  });
});
