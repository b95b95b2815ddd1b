import { beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { prisma } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import { decideApproval } from '../../lib/governance/approval';
import type { CreateShareInput } from '../../lib/shares/input';
import { CHECK_ORDER } from '../../lib/policy';
import { listReviewGrants } from '../../lib/reviews/grants';
import { bulkAction } from '../../lib/reviews/actions';
import { campaignCsv, closeDueCampaigns, decideItem, listCampaignItems, sendReviewReminders, startCampaign } from '../../lib/reviews/campaigns';
import { explainGuestAccess } from '../../lib/reviews/explain';
import { flushShareAccess } from '../../lib/shares/access-counter';
import { apiKeyPrincipal, createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { apiContent, apiToken } from '../helpers/guest';

const DAY = 86_400_000;
const codeOf = async (p: Promise<unknown>) => {
  try { await p; return 'ok'; } catch (e) { return e instanceof AppError ? e.code : e instanceof ZodError ? 'validation_failed' : String(e); }
};
const keys = (nodes: { kind: string; id: string }[]) => nodes.map((n) => `${n.kind}:${n.id}`);

describe('access reviews', () => {
  let org: Awaited<ReturnType<typeof createOrg>>;
  let admin: Awaited<ReturnType<typeof createStaff>>;
  let owner: Awaited<ReturnType<typeof createStaff>>;
  let colleague: Awaited<ReturnType<typeof createStaff>>;
  let sponsor: Awaited<ReturnType<typeof createStaff>>;
  let auditor: Awaited<ReturnType<typeof createStaff>>;
  let redDoc: { id: string };
  let greenDoc: { id: string };
  let redShare: Awaited<ReturnType<typeof createShare>>;
  let greenShare: Awaited<ReturnType<typeof createShare>>;
  let usedShare: Awaited<ReturnType<typeof createShare>>;
  let portalGrantId: string;
  let partnerId: string;
  let guestId: string;
  let sessionId: string;
  let deviceId: string;

  beforeAll(async () => {
    org = await createOrg('Review Org');
    await prisma().organization.update({ where: { id: org.id }, data: { tlpCeiling: 'RED' } });
    admin = await createStaff(org.id, 'ADMIN');
    owner = await createStaff(org.id, 'MEMBER');
    colleague = await createStaff(org.id, 'MEMBER');
    sponsor = await createStaff(org.id, 'MEMBER');
    auditor = await createStaff(org.id, 'AUDITOR');
    redDoc = await createDocument(owner.principal, fileFrom(tinyPdf('Red'), 'red.pdf', 'application/pdf'), { title: 'Red dossier', tlp: 'RED' }, 1e7);
    greenDoc = await createDocument(owner.principal, fileFrom(tinyPdf('Green'), 'green.pdf', 'application/pdf'), { title: 'Green memo', tlp: 'GREEN' }, 1e7);
    redShare = await createShare(owner.principal, { documentIds: [redDoc.id], audience: 'VERIFIED_EMAIL', recipients: ['dana@partner.example'] } as CreateShareInput);
    // TLP:RED waits for a second administrator (two-person rule): the admin, not its creator, approves it.
    const request = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: redShare.share.id, state: 'PENDING' } });
    await decideApproval(admin.principal, request.id, { decision: 'approve', note: 'Named recipient confirmed.' });
    greenShare = await createShare(owner.principal, { documentIds: [greenDoc.id], expiresAt: new Date(Date.now() + 2 * DAY) } as CreateShareInput);
    usedShare = await createShare(colleague.principal, { documentIds: [greenDoc.id], allowDownload: true } as CreateShareInput);
    // The used share is opened and read through the real guest API: its counter moves, no audit scan needed.
    const token = await apiToken(usedShare.url);
    expect((await apiContent(token, greenDoc.id)).status).toBe(200);
    await flushShareAccess();
    const partner = await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Partner Ltd', domains: ['partner.example'] } });
    partnerId = partner.id;
    const portal = await prisma().portal.create({ data: { orgId: org.id, name: 'Counsel portal', slug: `rv-${Date.now().toString(36)}`, createdById: admin.user.id } });
    await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Main', documents: { create: [{ documentId: greenDoc.id }] } } });
    portalGrantId = (await prisma().portalGrant.create({ data: { portalId: portal.id, orgId: org.id, createdById: admin.user.id, partnerOrgId: partner.id, allSections: true, expiresAt: new Date(Date.now() + 30 * DAY) } })).id;
    const g = await prisma().guest.create({ data: { orgId: org.id, kind: 'EMAIL_VERIFIED', email: 'dana@partner.example', partnerOrgId: partner.id } });
    guestId = g.id;
    sessionId = (await prisma().guestSession.create({ data: { guestId: g.id, shareId: redShare.share.id, ip: '198.51.100.44', country: 'GB', device: 'desktop', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36', authMethod: 'code', host: 'localhost', expiresAt: new Date(Date.now() + 3600_000) } })).id;
    deviceId = (await prisma().guestDevice.create({ data: { guestId: g.id, orgId: org.id, thumbprint: 'tp-review', publicJwk: {}, status: 'APPROVED', decidedById: admin.user.id } })).id;
  });

  it('lists every kind of active external grant with owner, classification, activity and access count', async () => {
    const page = await listReviewGrants(admin.principal, { first: 200 });
    const all = keys(page.nodes);
    expect(all).toEqual(expect.arrayContaining([`share:${redShare.share.id}`, `share:${greenShare.share.id}`, `share:${usedShare.share.id}`, `portal_grant:${portalGrantId}`, `guest:${guestId}`, `session:${sessionId}`, `device:${deviceId}`]));
    expect(await page.totalCount()).toBe(page.nodes.length);
    const red = page.nodes.find((n) => n.id === redShare.share.id)!;
    expect(red).toMatchObject({ kind: 'share', label: 'Red dossier', who: 'dana@partner.example', ownerId: owner.user.id, ownerName: owner.user.name, classification: 'RED', accessCount: 0, lastActivityAt: null });
    const used = page.nodes.find((n) => n.id === usedShare.share.id)!;
    expect(used.accessCount).toBeGreaterThanOrEqual(1);
    expect(used.lastActivityAt).toBeInstanceOf(Date);
    expect(page.nodes.find((n) => n.id === sessionId)).toMatchObject({ kind: 'session', classification: 'RED', ownerId: owner.user.id, partnerOrgId: partnerId });
    expect(page.nodes.find((n) => n.id === portalGrantId)).toMatchObject({ classification: 'GREEN', ownerId: admin.user.id, who: 'partner Partner Ltd' });
    // Newest first, then kind, then id: a strict order the cursor can continue.
    const order = page.nodes.map((n) => n.createdAt.getTime());
    expect([...order].sort((a, b) => b - a)).toEqual(order);
  });

  it('filters: never used, TLP AMBER or above, no expiry, expiring soon, domain, partner, no access in N days', async () => {
    const ids = async (raw: Record<string, unknown>) => keys((await listReviewGrants(admin.principal, { first: 200, ...raw })).nodes);
    expect(await ids({ minTlp: 'AMBER', kinds: ['share'] })).toEqual([`share:${redShare.share.id}`]);
    expect(await ids({ neverUsed: true, kinds: ['share'] })).toEqual(expect.arrayContaining([`share:${redShare.share.id}`, `share:${greenShare.share.id}`]));
    expect(await ids({ neverUsed: true, kinds: ['share'] })).not.toContain(`share:${usedShare.share.id}`);
    expect(await ids({ expiringWithinDays: 3, kinds: ['share', 'portal_grant'] })).toEqual([`share:${greenShare.share.id}`]);
    expect(await ids({ noExpiry: true })).toEqual(expect.arrayContaining([`guest:${guestId}`, `device:${deviceId}`]));
    expect(await ids({ noExpiry: true })).not.toContain(`share:${redShare.share.id}`);
    expect((await ids({ domain: 'PARTNER.example' })).sort()).toEqual([`share:${redShare.share.id}`, `guest:${guestId}`, `session:${sessionId}`, `device:${deviceId}`].sort());
    expect((await ids({ partnerOrgId: partnerId })).sort()).toEqual([`share:${redShare.share.id}`, `portal_grant:${portalGrantId}`, `guest:${guestId}`, `session:${sessionId}`, `device:${deviceId}`].sort());
    expect(await ids({ noAccessDays: 1 })).toEqual([]);
    // Any one kind alone (the relation's columns keep their names whichever branch comes first).
    expect(await ids({ kinds: ['session'], domain: 'partner.example' })).toEqual([`session:${sessionId}`]);
    expect(await ids({ kinds: ['device'] })).toEqual([`device:${deviceId}`]);
    expect(await ids({ kinds: ['guest', 'portal_grant'], partnerOrgId: partnerId })).toEqual(expect.arrayContaining([`guest:${guestId}`, `portal_grant:${portalGrantId}`]));
    // The colleague owns their share and the guest session opened on it.
    expect(await ids({ ownerId: colleague.user.id, kinds: ['share'] })).toEqual([`share:${usedShare.share.id}`]);
    expect((await ids({ ownerId: colleague.user.id })).filter((k) => k.startsWith('session:'))).toHaveLength(1);
    expect(await codeOf(listReviewGrants(admin.principal, { domain: 'not a domain' }))).toBe('validation_failed');
  });

  it('pages with a keyset cursor, without repeats or gaps', async () => {
    const all = keys((await listReviewGrants(admin.principal, { first: 200 })).nodes);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listReviewGrants(admin.principal, { first: 2, after });
      seen.push(...keys(page.nodes));
      if (!page.hasNextPage) break;
      after = page.endCursor!;
    }
    expect(seen).toEqual(all);
    expect(await codeOf(listReviewGrants(admin.principal, { after: 'garbage' }))).toBe('validation_failed');
  });

  it('only admins and auditors see the review; members and narrow API keys are refused', async () => {
    expect(await codeOf(listReviewGrants(owner.principal, {}))).toBe('forbidden');
    expect(await codeOf(listReviewGrants(apiKeyPrincipal(org.id, ['shares:read']), {}))).toBe('insufficient_scope');
    expect((await listReviewGrants(auditor.principal, {})).nodes.length).toBeGreaterThan(0);
    expect(await codeOf(bulkAction(auditor.principal, { action: 'revoke', items: [{ kind: 'share', id: redShare.share.id }] }))).toBe('forbidden');
    const other = await createOrg();
    const otherAdmin = await createStaff(other.id, 'ADMIN');
    expect((await listReviewGrants(otherAdmin.principal, {})).nodes).toEqual([]);
  });

  it('"why can this guest see this": every policy check, passed or failed, as the policy decided', async () => {
    const e = await explainGuestAccess(admin.principal, { guestId, documentId: redDoc.id });
    expect(e.allowed).toBe(true);
    const share = e.grants.find((g) => g.id === redShare.share.id)!;
    expect(share.decision.allow).toBe(true);
    expect(share.checks.map((c) => c.name)).toEqual([...CHECK_ORDER]);
    expect(share.checks.every((c) => c.passed)).toBe(true);
    expect(share.sessionId).toBe(sessionId);
    // A download is refused by the action check alone, and that check is the decisive one.
    const d = await explainGuestAccess(admin.principal, { guestId, documentId: redDoc.id, action: 'download' });
    const failed = d.grants.find((g) => g.id === redShare.share.id)!.checks.filter((c) => !c.passed);
    expect(failed).toEqual([{ name: 'action', passed: false, reason: 'download_not_allowed', decisive: true }]);
    expect(d.allowed).toBe(false);
    // The portal grant names the guest (partner) but the portal does not hold the red dossier.
    expect(e.grants.some((g) => g.kind === 'portal_grant')).toBe(false);
    // The partner's grant names only the partner's federated people: an email-verified guest is not among them.
    expect((await explainGuestAccess(admin.principal, { guestId, documentId: greenDoc.id })).grants.some((g) => g.id === portalGrantId)).toBe(false);
    const byEmail = await prisma().portalGrant.create({ data: { portalId: (await prisma().portalGrant.findUniqueOrThrow({ where: { id: portalGrantId } })).portalId, orgId: org.id, emails: ['dana@partner.example'], allSections: true, expiresAt: new Date(Date.now() + DAY), state: 'REVOKED', revokedAt: new Date() } });
    const viaPortal = await explainGuestAccess(admin.principal, { guestId, documentId: greenDoc.id });
    const pg = viaPortal.grants.find((g) => g.id === byEmail.id)!;
    // Named by address, but revoked, and the guest never opened a portal session: both fail, revoked decides.
    expect(pg.decision).toEqual({ allow: false, reason: 'revoked' });
    expect(pg.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['revoked', 'session']);
    expect(pg.checks.find((c) => c.decisive)).toMatchObject({ name: 'revoked', reason: 'revoked' });
    expect(await codeOf(explainGuestAccess(owner.principal, { guestId, documentId: redDoc.id }))).toBe('forbidden');
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'review.explain' } })).toBeGreaterThanOrEqual(3);
  });

  it('campaign: the owner or sponsor decides once; anyone else is refused; the deadline revokes the rest; CSV export', async () => {
    const c = await startCampaign(admin.principal, { name: 'Q4 review', scope: { kinds: ['share', 'device'] }, deadline: new Date(Date.now() + 7 * DAY), sponsorId: sponsor.user.id });
    expect(c.itemCount).toBe(4);
    const items = (await listCampaignItems(admin.principal, c.id, { first: 50 })).nodes;
    const itemOf = (grantId: string) => items.find((i) => i.grantId === grantId)!;
    // The owner sees their items only; the device (approved by the admin) goes to the sponsor as well.
    const mine = (await listCampaignItems(owner.principal, c.id, {})).nodes.map((i) => i.grantId).sort();
    expect(mine).toEqual([redShare.share.id, greenShare.share.id].sort());
    expect(await codeOf(decideItem(colleague.principal, itemOf(redShare.share.id).id, { decision: 'KEEP', reason: 'mine now' }))).toBe('forbidden');
    expect(await codeOf(decideItem(admin.principal, itemOf(redShare.share.id).id, { decision: 'KEEP', reason: 'admin is neither owner nor sponsor' }))).toBe('forbidden');
    const kept = await decideItem(owner.principal, itemOf(redShare.share.id).id, { decision: 'KEEP', reason: 'Still negotiating' });
    expect(kept).toMatchObject({ decision: 'KEEP', decidedById: owner.user.id });
    expect(await codeOf(decideItem(owner.principal, itemOf(redShare.share.id).id, { decision: 'REVOKE', reason: 'changed my mind' }))).toBe('conflict');
    expect(await codeOf(decideItem(owner.principal, itemOf(greenShare.share.id).id, { decision: 'KEEP', reason: '' }))).toBe('validation_failed');
    // A change goes through updateShare: the share is extended.
    const until = new Date(Date.now() + 20 * DAY);
    await decideItem(owner.principal, itemOf(greenShare.share.id).id, { decision: 'CHANGE', reason: 'Deal extended', expiresAt: until });
    expect((await prisma().share.findUniqueOrThrow({ where: { id: greenShare.share.id } })).expiresAt.getTime()).toBe(until.getTime());
    // The sponsor may decide the colleague's share; they revoke it through revokeShare (sessions end).
    await decideItem(sponsor.principal, itemOf(usedShare.share.id).id, { decision: 'REVOKE', reason: 'Project closed' });
    expect((await prisma().share.findUniqueOrThrow({ where: { id: usedShare.share.id } })).state).toBe('REVOKED');
    expect(await prisma().guestSession.count({ where: { shareId: usedShare.share.id, revokedAt: null } })).toBe(0);
    const decisions = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'review.decision' }, orderBy: { seq: 'asc' } });
    expect(decisions.filter((e) => e.outcome === 'success')).toHaveLength(3);
    expect(decisions.filter((e) => e.outcome === 'denied').map((e) => e.reason)).toEqual(['not_reviewer', 'not_reviewer', 'already_decided']);
    // Reminders go to whoever still has an item: the device's owner (the admin who approved it) and the sponsor, once a day.
    // (Other test files' campaigns share the database: count this organisation's mail, not the return value.)
    const reminders = () => prisma().mailMessage.findMany({ where: { orgId: org.id, template: 'access_review_reminder' }, select: { to: true } });
    await sendReviewReminders();
    expect((await reminders()).map((m) => m.to).sort()).toEqual([admin.user.email, sponsor.user.email].sort());
    await sendReviewReminders();
    expect(await reminders()).toHaveLength(2);
    // The deadline passes: the undecided device is revoked through revokeDevice, automatically.
    await closeDueCampaigns(new Date(Date.now() + 8 * DAY));
    expect((await prisma().guestDevice.findUniqueOrThrow({ where: { id: deviceId } })).status).toBe('REVOKED');
    expect((await prisma().reviewCampaign.findUniqueOrThrow({ where: { id: c.id } })).state).toBe('CLOSED');
    expect(await codeOf(decideItem(sponsor.principal, itemOf(deviceId).id, { decision: 'KEEP', reason: 'too late' }))).toBe('conflict');
    const csv = await campaignCsv(auditor.principal, c.id);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('item_id,kind,grant_id,grant,classification,owner,sponsor,expires_at,last_activity_at,access_count,decision,automatic,change,reason,decided_by,decided_at');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes(deviceId))).toMatch(/,REVOKE,yes,/);
    expect(lines.find((l) => l.includes(greenShare.share.id))).toMatch(/,CHANGE,no,/);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: { in: ['review.campaign.start', 'review.campaign.close', 'review.campaign.export'] } } })).toBe(3);
  });

  it('bulk actions go through the lib functions, are audited, and notify the affected guests by mail', async () => {
    const g2 = await createShare(owner.principal, { documentIds: [greenDoc.id], audience: 'VERIFIED_EMAIL', recipients: ['eve@elsewhere.example'] } as CreateShareInput);
    const until = new Date(Date.now() + 10 * DAY);
    const r = await bulkAction(admin.principal, {
      action: 'extend', expiresAt: until, notice: 'Extended for the closing.',
      items: [{ kind: 'share', id: g2.share.id }, { kind: 'guest', id: guestId }, { kind: 'session', id: sessionId }],
    });
    // A guest account has a term too (extendGuest); a session has none.
    expect(r).toMatchObject({ done: 2, notApplicable: 1, failed: 0, noticesQueued: 2 });
    expect((await prisma().guest.findUniqueOrThrow({ where: { id: guestId } })).expiresAt).toEqual(until);
    const extended = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'guest.extend' } });
    expect(extended.details).toMatchObject({ guestId, from: null, expiresAt: until.toISOString() });
    const revoke = await bulkAction(admin.principal, { action: 'revoke', reason: 'review', notice: '', items: [{ kind: 'share', id: g2.share.id }, { kind: 'share', id: 'nosuchshare' }, { kind: 'session', id: sessionId }] });
    expect(revoke.results.map((x) => x.outcome)).toEqual(['done', 'failed', 'done']);
    expect((await prisma().share.findUniqueOrThrow({ where: { id: g2.share.id } })).state).toBe('REVOKED');
    expect((await prisma().guestSession.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt).not.toBeNull();
    const types = (await prisma().auditEvent.findMany({ where: { orgId: org.id, type: { in: ['share.extend', 'share.revoke', 'guest.session.revoke', 'review.bulk'] } } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['share.extend', 'share.revoke', 'guest.session.revoke', 'review.bulk']));
    const mails = await prisma().mailMessage.findMany({ where: { orgId: org.id, template: 'access_review_notice' }, orderBy: { createdAt: 'asc' } });
    expect(mails.map((m) => m.to)).toEqual(['eve@elsewhere.example', 'dana@partner.example', 'eve@elsewhere.example', 'dana@partner.example']);
    expect(mails[0].text).toContain('Extended for the closing.');
    expect(await codeOf(bulkAction(admin.principal, { action: 'extend', items: [{ kind: 'share', id: g2.share.id }] }))).toBe('validation_failed');
  });
});
