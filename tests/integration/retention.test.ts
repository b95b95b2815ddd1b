import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { verifyAuditChain } from '../../lib/audit/verify';
import { createDocument } from '../../lib/documents/service';
import { createShare, revokeShare } from '../../lib/shares/service';
import { listGuests } from '../../lib/guest/admin';
import { blobExists } from '../../lib/storage/blob-store';
import { storedBlobs } from '../helpers/blobs';
import { getRetentionPolicy, updateRetentionPolicy } from '../../lib/retention/policy';
import { retentionDryRun, runRetentionForOrg, runScheduledRetention } from '../../lib/retention/run';
import { guestPseudonym } from '../../lib/retention/pseudonym';
import { describeRun } from '../../lib/retention/describe';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

async function world() {
  const org = await createOrg('Retention Co');
  const admin = (await createStaff(org.id, 'ADMIN')).principal;
  const member = (await createStaff(org.id, 'MEMBER')).principal;
  const auditor = (await createStaff(org.id, 'AUDITOR')).principal;
  return { org, admin, member, auditor };
}

/** A document whose every version was uploaded `days` ago. */
async function oldDocument(p: Awaited<ReturnType<typeof world>>['admin'], title: string, tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'RED', days: number) {
  const doc = await createDocument(p, fileFrom(tinyPdf(title), `${title}.pdf`, 'application/pdf'), { title, tlp }, 1e7);
  await prisma().documentVersion.updateMany({ where: { documentId: doc.id }, data: { createdAt: ago(days) } });
  return doc;
}

const head = async (orgId: string) => (await prisma().auditEvent.findFirst({ where: { orgId }, orderBy: { seq: 'desc' }, select: { seq: true, hash: true } }));

describe('retention policy', () => {
  it('is validated, audited, and only admins change it (auditors read it)', async () => {
    const { org, admin, member, auditor } = await world();
    expect(await getRetentionPolicy(auditor)).toMatchObject({ enabled: false, guestDays: null, sessionDays: null, tlpRules: { AMBER: { documentDays: null, shareDays: null } } });
    await expect(updateRetentionPolicy(member, { enabled: true })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateRetentionPolicy(auditor, { enabled: true })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateRetentionPolicy(admin, { enabled: true, tlpRules: { AMBER: { documentDays: 0 } } })).rejects.toThrow(/At least 1 day for documents/);
    await expect(updateRetentionPolicy(admin, { enabled: true, tlpRules: { AMBER: { shareDays: -1 } } })).rejects.toThrow(/At least 0 days for shares/);
    await expect(updateRetentionPolicy(admin, { enabled: true, tlpRules: { AMBER: { documentDays: 1.5 } } })).rejects.toThrow(/whole days/);
    await expect(updateRetentionPolicy(admin, { enabled: true, tlpRules: { PURPLE: { documentDays: 3 } } })).rejects.toThrow();
    await expect(updateRetentionPolicy(admin, { enabled: true, guestDays: 40_000 })).rejects.toThrow(/At most 36500/);
    const saved = await updateRetentionPolicy(admin, { enabled: true, tlpRules: { RED: { documentDays: 30, shareDays: 0 } }, guestDays: 365, sessionDays: 90 });
    expect(saved.tlpRules.RED).toEqual({ documentDays: 30, shareDays: 0 });
    expect(saved.tlpRules.CLEAR).toEqual({ documentDays: null, shareDays: null });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'retention.policy' } });
    expect(ev.actorId).toBe(admin.kind === 'staff' ? admin.userId : null);
    expect(ev.details).toMatchObject({ enabled: true, guestDays: 365, sessionDays: 90, tlpRules: { RED: { documentDays: 30, shareDays: 0 } } });
    await expect(retentionDryRun(member)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('retention runs', () => {
  async function scenario() {
    const w = await world();
    const { admin } = w;
    const oldRed = await oldDocument(admin, 'Old red', 'RED', 40);
    const youngRed = await oldDocument(admin, 'Young red', 'RED', 10);
    const oldClear = await oldDocument(admin, 'Old clear', 'CLEAR', 400); // CLEAR has no period: kept
    const heldRed = await oldDocument(admin, 'Held red', 'AMBER', 40);
    // A live share holds its document even past the document's period.
    const live = await createShare(admin, { documentIds: [heldRed.id], recipients: ['counsel@example.com'] });
    // An ended share of a recent document, revoked 10 days ago: the share goes, its document stays.
    const youngAmber = await oldDocument(admin, 'Young amber', 'AMBER', 10);
    const ended = await createShare(admin, { documentIds: [youngAmber.id] });
    await revokeShare(admin, ended.share.id, 'done');
    await prisma().share.update({ where: { id: ended.share.id }, data: { revokedAt: ago(10) } });
    // An inactive guest with a session, and an active one.
    const quiet = await prisma().guest.create({ data: { orgId: w.org.id, kind: 'EMAIL_VERIFIED', email: 'quiet.person@example.org', displayName: 'Quiet Person', createdAt: ago(500), lastSeenAt: ago(400) } });
    const qs = await prisma().guestSession.create({ data: { guestId: quiet.id, shareId: live.share.id, ip: '198.51.100.77', userAgent: 'Firefox', expiresAt: ago(399), createdAt: ago(400), lastSeenAt: ago(400) } });
    const busy = await prisma().guest.create({ data: { orgId: w.org.id, kind: 'EMAIL_VERIFIED', email: 'busy@example.org', createdAt: ago(500), lastSeenAt: ago(400) } });
    await prisma().guestSession.create({ data: { guestId: busy.id, shareId: live.share.id, ip: '198.51.100.78', expiresAt: ago(-1), createdAt: ago(2), lastSeenAt: ago(2) } });
    await updateRetentionPolicy(admin, {
      enabled: true,
      tlpRules: { RED: { documentDays: 30, shareDays: 7 }, AMBER: { documentDays: 30, shareDays: 7 } },
      guestDays: 365, sessionDays: 180,
    });
    return { ...w, oldRed, youngRed, youngAmber, oldClear, heldRed, live, ended, quiet, qs, busy };
  }

  it('a dry run lists exactly what would go, and changes nothing (rows, files, audit trail)', async () => {
    const s = await scenario();
    const versions = await prisma().documentVersion.findMany({ where: { document: { orgId: s.org.id } }, select: { blobKey: true } });
    const before = { head: await head(s.org.id), docs: await prisma().document.count({ where: { orgId: s.org.id } }), shares: await prisma().share.count({ where: { orgId: s.org.id } }), guest: await prisma().guest.findUniqueOrThrow({ where: { id: s.quiet.id } }), session: await prisma().guestSession.findUniqueOrThrow({ where: { id: s.qs.id } }) };

    const plan = await retentionDryRun(s.auditor);
    expect(plan.documents.map((d) => d.id)).toEqual([s.oldRed.id]);
    expect(plan.documents[0]).toMatchObject({ title: 'Old red', tlp: 'RED', days: 30, versions: 1 });
    expect(plan.heldDocuments).toEqual([expect.objectContaining({ id: s.heldRed.id, reason: 'in_active_share' })]);
    expect(plan.shares.map((x) => x.id)).toEqual([s.ended.share.id]);
    expect(plan.shares[0]).toMatchObject({ state: 'REVOKED', tlp: 'AMBER', days: 7 });
    expect(plan.guests.map((g) => g.id)).toEqual([s.quiet.id]);
    expect(plan.sessions.map((x) => x.id)).toEqual([s.qs.id]);
    const cli = await runRetentionForOrg(s.org.id, { dryRun: true });
    const lines = describeRun(s.org.slug, cli);
    expect(lines.some((l) => l.includes(`would purge document ${s.oldRed.id}`))).toBe(true);
    expect(lines.some((l) => l.includes(`hold document ${s.heldRed.id}`))).toBe(true);
    expect(lines.at(-1)).toContain('nothing was changed');

    expect(await head(s.org.id)).toEqual(before.head);
    expect(await prisma().document.count({ where: { orgId: s.org.id } })).toBe(before.docs);
    expect(await prisma().share.count({ where: { orgId: s.org.id } })).toBe(before.shares);
    expect(await prisma().guest.findUniqueOrThrow({ where: { id: s.quiet.id } })).toEqual(before.guest);
    expect(await prisma().guestSession.findUniqueOrThrow({ where: { id: s.qs.id } })).toEqual(before.session);
    for (const v of versions) expect(await blobExists(v.blobKey)).toBe(true);
    expect((await prisma().retentionPolicy.findUniqueOrThrow({ where: { orgId: s.org.id } })).lastRunAt).toBeNull();
  });

  it('a real run deletes the content, records each purge, and the audit chain still verifies', async () => {
    const s = await scenario();
    const oldBlobs = (await prisma().documentVersion.findMany({ where: { documentId: s.oldRed.id }, select: { blobKey: true, sha256: true } }));
    const keptBlobs = (await prisma().documentVersion.findMany({ where: { documentId: { in: [s.youngRed.id, s.youngAmber.id, s.oldClear.id, s.heldRed.id] } }, select: { blobKey: true } }));
    const run = await runRetentionForOrg(s.org.id, { dryRun: false });
    expect(run.result).toEqual({ documents: 1, shares: 1, guests: 1, sessions: 0, skipped: 0 });

    // Content gone: rows and the encrypted file.
    expect(await prisma().document.findUnique({ where: { id: s.oldRed.id } })).toBeNull();
    for (const b of oldBlobs) expect(await blobExists(b.blobKey)).toBe(false);
    for (const b of keptBlobs) expect(await blobExists(b.blobKey)).toBe(true);
    expect(await prisma().share.findUnique({ where: { id: s.ended.share.id } })).toBeNull();
    expect(await prisma().share.findUnique({ where: { id: s.live.share.id } })).not.toBeNull();
    expect(await prisma().document.count({ where: { id: { in: [s.youngRed.id, s.youngAmber.id, s.oldClear.id, s.heldRed.id] } } })).toBe(4);

    // The trail says what went, and still verifies.
    const purges = await prisma().auditEvent.findMany({ where: { orgId: s.org.id, type: 'retention.purge' }, orderBy: { seq: 'asc' } });
    expect(purges.map((e) => (e.details as { kind: string }).kind).sort()).toEqual(['document', 'guest', 'share']);
    const doc = purges.find((e) => e.documentId === s.oldRed.id)!;
    expect(doc).toMatchObject({ actorType: 'system', actor: 'retention', reason: 'retention_period' });
    expect(doc.details).toMatchObject({ kind: 'document', title: 'Old red', tlp: 'RED', days: 30, versions: [{ version: 1, sha256: oldBlobs[0].sha256 }] });
    expect(purges.find((e) => e.shareId === s.ended.share.id)!.details).toMatchObject({ kind: 'share', state: 'REVOKED', documentIds: [s.youngAmber.id] });
    // Earlier events about the purged document are still there, untouched.
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, documentId: s.oldRed.id, type: 'document.upload' } })).toBe(1);
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, type: 'retention.run' } })).toBe(1);
    const verified = await verifyAuditChain(s.org.id);
    expect(verified.ok).toBe(true);

    // A second run finds nothing more to do.
    const again = await runRetentionForOrg(s.org.id, { dryRun: false });
    expect(again.result).toEqual({ documents: 0, shares: 0, guests: 0, sessions: 0, skipped: 0 });
  });

  it('an anonymised guest cannot be found by address; pseudonyms are stable; the active guest is kept', async () => {
    const s = await scenario();
    await runRetentionForOrg(s.org.id, { dryRun: false });
    const g = await prisma().guest.findUniqueOrThrow({ where: { id: s.quiet.id } });
    const pseudonym = guestPseudonym(s.org.id, s.quiet.id);
    expect(pseudonym).toMatch(/^anon-[0-9a-f]{12}$/);
    expect(g).toMatchObject({ email: null, displayName: `Anonymised guest ${pseudonym}`, disabledReason: 'anonymised' });
    expect(g.anonymisedAt).not.toBeNull();
    expect(await prisma().guest.count({ where: { orgId: s.org.id, email: { contains: 'quiet.person', mode: 'insensitive' } } })).toBe(0);
    expect((await listGuests(s.admin, { q: 'quiet.person@example.org' })).nodes).toHaveLength(0);
    expect((await listGuests(s.admin, { q: 'Quiet Person' })).nodes).toHaveLength(0);
    // The session lost its address and browser, but the same address keeps the same pseudonym.
    const sess = await prisma().guestSession.findUniqueOrThrow({ where: { id: s.qs.id } });
    expect(sess.ip).toMatch(/^ip-[0-9a-f]{16}$/);
    expect(sess.userAgent).toBeNull();
    const { ipPseudonym } = await import('../../lib/retention/pseudonym');
    expect(ipPseudonym(s.org.id, '198.51.100.77')).toBe(sess.ip);
    expect(ipPseudonym(s.org.id, '198.51.100.78')).not.toBe(sess.ip);
    // Nothing of the address in the guest's purge event either.
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'retention.purge', details: { path: ['kind'], equals: 'guest' } } });
    expect(JSON.stringify(ev.details)).not.toContain('quiet.person');
    expect(ev.details).toMatchObject({ guestId: s.quiet.id, pseudonym });
    // The guest who was active two days ago is untouched.
    expect((await prisma().guest.findUniqueOrThrow({ where: { id: s.busy.id } })).email).toBe('busy@example.org');
  });

  it('sessions alone: old ones lose their IP address; the scheduled job skips organisations whose policy is off', async () => {
    const w = await world();
    const g = await prisma().guest.create({ data: { orgId: w.org.id, kind: 'ANONYMOUS', createdAt: ago(3) } });
    const doc = await oldDocument(w.admin, 'Doc', 'GREEN', 1);
    const share = await createShare(w.admin, { documentIds: [doc.id] });
    const old = await prisma().guestSession.create({ data: { guestId: g.id, shareId: share.share.id, ip: '203.0.113.50', userAgent: 'Safari', expiresAt: ago(39), createdAt: ago(40), lastSeenAt: ago(40) } });
    const recent = await prisma().guestSession.create({ data: { guestId: g.id, shareId: share.share.id, ip: '203.0.113.51', expiresAt: ago(-1), createdAt: ago(1), lastSeenAt: ago(1) } });
    await updateRetentionPolicy(w.admin, { enabled: false, sessionDays: 30 });
    await runScheduledRetention();
    expect((await prisma().guestSession.findUniqueOrThrow({ where: { id: old.id } })).ip).toBe('203.0.113.50');
    const off = await runRetentionForOrg(w.org.id, { dryRun: false });
    expect(off.result).toBeNull();
    expect(describeRun(w.org.slug, off)[0]).toContain('turned off; nothing was done');
    await updateRetentionPolicy(w.admin, { enabled: true, sessionDays: 30 });
    await runScheduledRetention();
    expect((await prisma().guestSession.findUniqueOrThrow({ where: { id: old.id } })).ip).toMatch(/^ip-/);
    expect((await prisma().guestSession.findUniqueOrThrow({ where: { id: recent.id } })).ip).toBe('203.0.113.51');
    expect((await prisma().guest.findUniqueOrThrow({ where: { id: g.id } })).anonymisedAt).toBeNull();
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: w.org.id, type: 'retention.purge' } });
    expect(ev.details).toMatchObject({ kind: 'sessions', count: 1, sessionIds: [old.id], days: 30 });
    expect((await verifyAuditChain(w.org.id)).ok).toBe(true);
  });

  it('a document that gained a new version after the plan is not purged by that plan', async () => {
    const w = await world();
    const doc = await oldDocument(w.admin, 'Revived', 'RED', 60);
    await updateRetentionPolicy(w.admin, { enabled: true, tlpRules: { RED: { documentDays: 30 } } });
    const { planRetention } = await import('../../lib/retention/plan');
    const { applyPlan } = await import('../../lib/retention/purge');
    const plan = await planRetention(w.org.id);
    expect(plan.documents.map((d) => d.id)).toEqual([doc.id]);
    await prisma().documentVersion.updateMany({ where: { documentId: doc.id }, data: { createdAt: new Date() } });
    expect(await applyPlan(plan, { type: 'system', id: null, label: 'retention' })).toMatchObject({ documents: 0, skipped: 1 });
    expect(await prisma().document.count({ where: { id: doc.id } })).toBe(1);
  });
});
