import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { prisma } from '../../lib/db/client';
import { addVersion, createDocument, deleteDocument, openDocumentContent } from '../../lib/documents/service';
import { createShare, updateShare } from '../../lib/shares/service';
import { decideApproval } from '../../lib/governance/approval';
import { updatePartnerOrg } from '../../lib/sso/partners';
import { getCriminalIntel, listCriminalIntel, markCriminalIntel, revalidateCriminalIntel, unmarkCriminalIntel } from '../../lib/cfr/records';
import { purgeCriminalIntel } from '../../lib/cfr/purge';
import { listReleases, releasesCsv } from '../../lib/cfr/dissemination';
import { flagDueCriminalIntel } from '../../lib/cfr/review-job';
import { grantPortalAccess } from '../../lib/portals/grants';
import { addDocumentsToSection } from '../../lib/portals/sections';
import { storedBlobs } from '../helpers/blobs';
import { verifyAuditChain } from '../../lib/audit/verify';
import { isAppError } from '../../lib/errors';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { apiContent, apiDocument, apiList, apiOpen, apiPage, apiToken } from '../helpers/guest';
import { codeIn, mailsTo, requestCode, settleCodes } from '../helpers/guest-identity';
import { portalBrowserOpen, portalCode, portalDownload, portalFixture, portalOpen, portalPage, settlePortalCodes } from '../helpers/portal';
import { startSmtp } from '../helpers/smtp';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });

let ipCounter = 1;
const freshIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

const MARK = { submittingAgency: 'Borealis Police Intelligence Unit', sourceReliability: 'B', contentValidity: 2, criminalActivity: 'Suspected trafficking ring operating through the northern port (case 24-117).' };
const NTK = 'Joint investigation 24-117: detectives assigned to the case need the informant report to plan the operation.';

/** The typed error a call was refused with; input errors (zod) are what the edges answer 400 validation_failed. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; status: number }> {
  try { await p; } catch (e) {
    if (isAppError(e)) return e;
    if (e instanceof ZodError) return { code: 'validation_failed', status: 400 };
    throw e;
  }
  throw new Error('expected a refusal');
}

/**
 * A partner organisation whose identity provider is not (or no longer) enabled, so that its people prove
 * their address with a mailed code; with an enabled provider they would sign in through it (sso_required).
 */
const partner = (orgId: string, name: string, domain: string, lawEnforcement: boolean) =>
  prisma().partnerOrg.create({ data: { orgId, name, domains: [domain], lawEnforcement } });

/**
 * Criminal intelligence waits for a second administrator (two-person rule): nothing is released, and
 * nothing is in the dissemination log, until one approves. Approves the grant's open request as one.
 */
async function approveAsSecondAdmin(orgId: string, ref: { shareId: string } | { portalGrantId: string }) {
  const second = await createStaff(orgId, 'ADMIN');
  const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { orgId, ...ref, state: 'PENDING' } });
  expect(req.reasons).toContain('criminal_intelligence');
  await decideApproval(second.principal, req.id, { decision: 'approve', note: 'Need to know confirmed by a second administrator.' });
  return second.user;
}

async function world() {
  const org = await createOrg('Harbour Authority');
  const admin = (await createStaff(org.id, 'ADMIN')).principal;
  const member = (await createStaff(org.id, 'MEMBER')).principal;
  const auditor = (await createStaff(org.id, 'AUDITOR')).principal;
  const police = await partner(org.id, 'Borealis Police', 'police.example', true);
  const forensics = await partner(org.id, 'Acme Forensics', 'acme.example', false);
  const doc = await createDocument(member, fileFrom(tinyPdf('Informant report'), 'report.pdf', 'application/pdf'), { title: 'Informant report', tlp: 'AMBER' }, 1e7);
  return { org, admin, member, auditor, police, forensics, doc };
}

/** A guest of the share who proved their address with a mailed code. */
async function guestToken(orgId: string, link: string, email: string) {
  const ip = freshIp();
  const before = mailsTo(smtp, email).length;
  expect((await requestCode(link, email, ip)).res.status).toBe(202);
  await settleCodes(orgId);
  const mails = mailsTo(smtp, email);
  expect(mails.length).toBe(before + 1);
  return apiToken(link, { email, code: codeIn(mails[mails.length - 1].parsed.text) }, ip);
}

describe('marking a document as criminal intelligence', () => {
  it('records the fields, sets the review five years on, audits marking, changes and unmarking', async () => {
    const w = await world();
    const r = await markCriminalIntel(w.member, w.doc.id, { ...MARK, submittedAt: '2024-03-01T00:00:00Z' });
    expect(r).toMatchObject({ submittingAgency: MARK.submittingAgency, sourceReliability: 'B', contentValidity: 'PROBABLY_TRUE', submittedBy: w.member.kind === 'staff' ? w.member.email : '' });
    expect(r.reviewDueAt.toISOString()).toBe('2029-03-01T00:00:00.000Z');
    await markCriminalIntel(w.member, w.doc.id, { ...MARK, sourceReliability: 'a', submittedAt: '2024-03-01T00:00:00Z' });
    expect((await getCriminalIntel(w.member, w.doc.id))?.sourceReliability).toBe('A');
    const update = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: w.org.id, type: 'cji.update' } });
    expect(update.details).toMatchObject({ changed: ['sourceReliability'], from: { sourceReliability: 'B' }, to: { sourceReliability: 'A' } });
    expect(await prisma().auditEvent.count({ where: { orgId: w.org.id, type: 'cji.mark', documentId: w.doc.id } })).toBe(1);

    // Bad input: unknown grade, missing basis, a future submission date.
    expect((await refusal(markCriminalIntel(w.member, w.doc.id, { ...MARK, sourceReliability: 'E' }))).code).toBe('validation_failed');
    expect((await refusal(markCriminalIntel(w.member, w.doc.id, { ...MARK, criminalActivity: '  ' }))).code).toBe('validation_failed');
    expect((await refusal(markCriminalIntel(w.member, w.doc.id, { ...MARK, contentValidity: 7 }))).code).toBe('validation_failed');
    expect((await refusal(markCriminalIntel(w.member, w.doc.id, { ...MARK, submittedAt: new Date(Date.now() + 86_400_000).toISOString() }))).code).toBe('validation_failed');
    // An auditor may not mark; a member may not unmark; a marked document is not deleted like any other.
    expect((await refusal(markCriminalIntel(w.auditor, w.doc.id, MARK))).code).toBe('forbidden');
    expect((await refusal(unmarkCriminalIntel(w.member, w.doc.id, { reason: 'mistake' }))).code).toBe('forbidden');
    expect((await refusal(deleteDocument(w.member, w.doc.id))).code).toBe('conflict');

    await unmarkCriminalIntel(w.admin, w.doc.id, { reason: 'Marked in error: this is a public notice.' });
    expect(await getCriminalIntel(w.member, w.doc.id)).toBeNull();
    const unmark = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: w.org.id, type: 'cji.unmark' } });
    expect(unmark.reason).toBe('Marked in error: this is a public notice.');
    expect(unmark.details).toMatchObject({ submittingAgency: MARK.submittingAgency, sourceReliability: 'A' });
  });
});

describe('sharing criminal intelligence', () => {
  it('is refused to a non-law-enforcement partner, an open link, a whole domain and without a need-to-know statement', async () => {
    const w = await world();
    await markCriminalIntel(w.member, w.doc.id, MARK);
    const base = { documentIds: [w.doc.id], audience: 'VERIFIED_EMAIL' as const };
    const cases = [
      { ...base, recipients: ['eve@acme.example'], needToKnow: NTK },                // a partner, but not law enforcement
      { ...base, recipients: ['det@police.example', 'eve@acme.example'], needToKnow: NTK }, // one outsider is enough
      { documentIds: [w.doc.id], needToKnow: NTK },                                   // anyone with the link
      { ...base, allowedDomains: ['police.example'], needToKnow: NTK },               // domain-wide
      { ...base, recipients: ['det@police.example'] },                                // no statement
      { ...base, recipients: ['det@police.example'], needToKnow: '   ' },             // a blank statement
    ];
    for (const input of cases) {
      const e = await refusal(createShare(w.member, input));
      expect(e.code, JSON.stringify(input)).toBe('cji_not_permitted');
      expect(e.status).toBe(403);
    }
    expect(await prisma().share.count({ where: { orgId: w.org.id } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { orgId: w.org.id, type: 'share.create', outcome: 'denied', reason: 'cji_not_permitted' } })).toBe(cases.length);
    expect(await prisma().criminalIntelRelease.count({ where: { orgId: w.org.id } })).toBe(0);
  });

  it('to a law-enforcement partner with a statement: logged at the grant, at the first view of each session and at every download; stops when the partner loses its flag', async () => {
    const w = await world();
    await markCriminalIntel(w.member, w.doc.id, MARK);
    const s = await createShare(w.member, { documentIds: [w.doc.id], audience: 'VERIFIED_EMAIL', recipients: ['det@police.example'], needToKnow: NTK, allowDownload: true, watermark: false });
    expect(s.share.needToKnow).toBe(NTK);
    expect(s.share.approvalState).toBe('PENDING');
    expect((await listReleases(w.auditor, w.doc.id)).releases).toHaveLength(0);
    const approver = await approveAsSecondAdmin(w.org.id, { shareId: s.share.id });
    let log = (await listReleases(w.auditor, w.doc.id)).releases;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: 'SHARE_GRANT', recipient: 'det@police.example', partnerOrgName: 'Borealis Police', needToKnow: NTK, versionNumber: 1, shareId: s.share.id });
    // Released when approved, by the administrator who approved it.
    expect(log[0].releasedBy).toBe(approver.email);

    // Widening the share to an outsider is refused like creating it.
    expect((await refusal(updateShare(w.member, s.share.id, { recipients: ['det@police.example', 'eve@acme.example'] }))).code).toBe('cji_not_permitted');
    expect((await refusal(updateShare(w.member, s.share.id, { needToKnow: null }))).code).toBe('cji_not_permitted');

    const token = await guestToken(w.org.id, s.url, 'det@police.example');
    expect((await apiList(token)).status).toBe(200);
    expect((await apiDocument(token, w.doc.id)).status).toBe(200);
    expect((await apiPage(token, w.doc.id, 1)).status).toBe(200);
    expect((await apiPage(token, w.doc.id, 1)).status).toBe(200);
    expect((await apiContent(token, w.doc.id)).status).toBe(200);
    expect((await apiContent(token, w.doc.id)).status).toBe(200);
    log = (await listReleases(w.auditor, w.doc.id)).releases;
    const kinds = log.map((r) => r.kind).sort();
    expect(kinds).toEqual(['DOWNLOAD', 'DOWNLOAD', 'SHARE_GRANT', 'VIEW']);
    const view = log.find((r) => r.kind === 'VIEW')!;
    expect(view).toMatchObject({ recipient: 'det@police.example', partnerOrgName: 'Borealis Police', needToKnow: NTK, versionNumber: 1 });
    expect(view.guestId).toBeTruthy();
    expect(view.sessionId).toBeTruthy();

    // The CSV holds every row, with who, to whom, when, why and which version.
    const { csv } = await releasesCsv(w.auditor, w.doc.id);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('when,kind,released_by,recipient,partner_organisation,need_to_know,version,version_id,share_id,portal_id,portal_grant_id,guest_id,session_id');
    expect(lines).toHaveLength(5);
    expect(csv).toContain('Borealis Police');
    // Members do not read the log.
    expect((await refusal(listReleases(w.member, w.doc.id))).code).toBe('forbidden');

    // The partner stops being a law-enforcement agency: the very next request is refused, on every path.
    await updatePartnerOrg(w.admin, w.police.id, { lawEnforcement: false });
    for (const res of [await apiContent(token, w.doc.id), await apiPage(token, w.doc.id, 1), await apiDocument(token, w.doc.id)]) {
      expect(res.status).toBe(403);
      expect((await res.json()).error).toBe('cji_not_permitted');
    }
    // And the document is no longer listed to them.
    const list = await (await apiList(token)).json() as { id: string }[];
    expect(list.map((d) => d.id)).not.toContain(w.doc.id);
    expect(await prisma().auditEvent.count({ where: { orgId: w.org.id, outcome: 'denied', reason: 'cji_not_permitted', shareId: s.share.id } })).toBeGreaterThanOrEqual(3);
    expect(await prisma().criminalIntelRelease.count({ where: { documentId: w.doc.id } })).toBe(4);
  });

  it('a document marked after it was shared by link stops being served at once', async () => {
    const w = await world();
    const s = await createShare(w.member, { documentIds: [w.doc.id] });
    const token = await apiToken(s.url, {}, freshIp());
    expect((await apiPage(token, w.doc.id, 1)).status).toBe(200);
    await markCriminalIntel(w.member, w.doc.id, MARK);
    const res = await apiPage(token, w.doc.id, 1);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe('cji_not_permitted');
    // An anonymous link guest is never a law-enforcement partner, whatever the share says.
    await prisma().share.update({ where: { id: s.share.id }, data: { needToKnow: NTK } });
    expect((await apiContent(token, w.doc.id)).status).toBe(403);
    expect(await prisma().criminalIntelRelease.count({ where: { documentId: w.doc.id } })).toBe(0);
  });
});

describe('portals', () => {
  it('a grant over a section with criminal intelligence needs a law-enforcement partner and a statement; adding it to a section checks every live grant', async () => {
    const f = await portalFixture();
    const police = await partner(f.org.id, 'Borealis Police', 'police.example', true);
    const forensics = await partner(f.org.id, 'Acme Forensics', 'acme.example', false);
    await markCriminalIntel(f.principal, f.docB.id, MARK);
    for (const input of [
      { partnerOrgId: forensics.id, needToKnow: NTK, sectionIds: [f.sectionB.id] },
      { partnerOrgId: police.id, sectionIds: [f.sectionB.id] },
      { domains: ['police.example'], needToKnow: NTK, sectionIds: [f.sectionB.id] },
      { emails: ['det@police.example', 'reporter@news.example'], needToKnow: NTK }, // every section, B included
    ]) {
      expect((await refusal(grantPortalAccess(f.principal, f.portal.id, input))).code, JSON.stringify(input)).toBe('cji_not_permitted');
    }
    // Section A has no criminal intelligence: any grant over it alone is fine.
    const open = await grantPortalAccess(f.principal, f.portal.id, { domains: ['acme.example'], sectionIds: [f.sectionA.id] });
    // Moving the marked document into section A would put it under that grant: refused.
    expect((await refusal(addDocumentsToSection(f.principal, f.sectionA.id, [f.docB.id]))).code).toBe('cji_not_permitted');
    expect(await prisma().portalSectionDocument.count({ where: { sectionId: f.sectionA.id, documentId: f.docB.id } })).toBe(0);

    const le = await grantPortalAccess(f.principal, f.portal.id, { partnerOrgId: police.id, emails: ['det@police.example'], needToKnow: NTK, sectionIds: [f.sectionB.id] });
    expect(le.needToKnow).toBe(NTK);
    expect((await listReleases(f.principal, f.docB.id)).releases).toHaveLength(0);
    await approveAsSecondAdmin(f.org.id, { portalGrantId: le.id });
    const log = (await listReleases(f.principal, f.docB.id)).releases;
    expect(log.map((r) => r.recipient).sort()).toEqual(['det@police.example', 'partner: Borealis Police']);
    expect(log.every((r) => r.kind === 'PORTAL_GRANT' && r.portalGrantId === le.id && r.needToKnow === NTK)).toBe(true);
    expect(open.id).toBeTruthy();
  });
});

describe('portal guests', () => {
  async function portalCodeFor(orgId: string, slug: string, email: string) {
    // The grant itself mailed the address too (portal access): only the code mails count here.
    const codes = () => mailsTo(smtp, email).filter((m) => /code/i.test(m.parsed.subject ?? ''));
    const before = codes().length;
    expect((await portalCode(slug, email, freshIp())).res.status).toBe(202);
    await settlePortalCodes(orgId);
    const got = codes();
    expect(got.length).toBe(before + 1);
    return codeIn(got[got.length - 1].parsed.text);
  }

  it('a law-enforcement grantee is served and logged; a lost flag stops it; after a purge no portal path serves it', async () => {
    const f = await portalFixture();
    const police = await partner(f.org.id, 'Borealis Police', 'police.example', true);
    await markCriminalIntel(f.principal, f.docB.id, MARK);
    const g = await grantPortalAccess(f.principal, f.portal.id, { emails: ['det@police.example'], needToKnow: NTK, sectionIds: [f.sectionB.id], allowDownload: true, watermark: false });
    await approveAsSecondAdmin(f.org.id, { portalGrantId: g.id });
    const opened = await portalOpen({ portal: f.portal.slug, email: 'det@police.example', code: await portalCodeFor(f.org.id, f.portal.slug, 'det@police.example') }, freshIp());
    expect(opened.res.status).toBe(201);
    const token = opened.json.access_token as string;
    const { cookie } = await portalBrowserOpen(f.portal.slug, { email: 'det@police.example', code: await portalCodeFor(f.org.id, f.portal.slug, 'det@police.example') }, freshIp());
    expect(cookie).toBeTruthy();

    expect((await apiPage(token, f.docB.id, 1)).status).toBe(200);
    expect((await portalPage(f.portal.slug, f.docB.id, 1, cookie, freshIp())).status).toBe(200);
    expect((await portalDownload(f.portal.slug, f.docB.id, cookie, freshIp())).status).toBe(200);
    const log = (await listReleases(f.principal, f.docB.id)).releases;
    expect(log.map((r) => r.kind).sort()).toEqual(['DOWNLOAD', 'PORTAL_GRANT', 'VIEW', 'VIEW']); // two sessions, one view each
    expect(log.filter((r) => r.kind !== 'PORTAL_GRANT').every((r) => r.portalGrantId === g.id && r.needToKnow === NTK && r.partnerOrgName === 'Borealis Police')).toBe(true);

    await prisma().partnerOrg.update({ where: { id: police.id }, data: { lawEnforcement: false } });
    const lost = await portalPage(f.portal.slug, f.docB.id, 1, cookie, freshIp());
    expect(lost.status).toBe(403);
    expect((await apiContent(token, f.docB.id)).status).toBe(403);
    await prisma().partnerOrg.update({ where: { id: police.id }, data: { lawEnforcement: true } });
    expect((await apiPage(token, f.docB.id, 1)).status).toBe(200);

    await purgeCriminalIntel(f.principal, f.docB.id, { reason: 'Review: no longer relevant.' });
    expect(await prisma().portalSectionDocument.count({ where: { documentId: f.docB.id } })).toBe(0);
    for (const res of [
      await apiPage(token, f.docB.id, 1), await apiContent(token, f.docB.id), await apiDocument(token, f.docB.id),
      await portalPage(f.portal.slug, f.docB.id, 1, cookie, freshIp()), await portalDownload(f.portal.slug, f.docB.id, cookie, freshIp()),
    ]) expect(res.status).toBe(404);
    // The other section still works: the purge touched only this document.
    const listed = await (await apiList(token)).json() as { id: string }[];
    expect(listed.map((d) => d.id)).not.toContain(f.docB.id);
  });
});

describe('review and purge', () => {
  it('the daily job flags records due five years after submission or validation; an admin re-validates', async () => {
    const w = await world();
    const old = await createDocument(w.member, fileFrom(tinyPdf('Old report'), 'old.pdf', 'application/pdf'), { title: 'Old report' }, 1e7);
    await markCriminalIntel(w.member, old.id, { ...MARK, submittedAt: new Date(Date.now() - 6 * 365 * 86_400_000).toISOString() });
    await markCriminalIntel(w.member, w.doc.id, MARK);
    const list = await listCriminalIntel(w.auditor);
    expect(list.map((r) => [r.documentId, r.reviewState])).toEqual([[old.id, 'overdue'], [w.doc.id, 'current']]);
    expect(await flagDueCriminalIntel()).toBeGreaterThanOrEqual(1);
    expect((await getCriminalIntel(w.member, old.id))?.dueFlaggedAt).toBeInstanceOf(Date);
    const flaggedNow = await prisma().auditEvent.count({ where: { orgId: w.org.id, type: 'cji.review_due', documentId: old.id } });
    expect(flaggedNow).toBe(1);
    await flagDueCriminalIntel();
    expect(await prisma().auditEvent.count({ where: { orgId: w.org.id, type: 'cji.review_due', documentId: old.id } })).toBe(1);
    expect((await getCriminalIntel(w.member, w.doc.id))?.dueFlaggedAt).toBeNull();

    expect((await refusal(revalidateCriminalIntel(w.member, old.id, { note: 'still relevant' }))).code).toBe('forbidden');
    expect((await refusal(revalidateCriminalIntel(w.admin, old.id, {}))).code).toBe('validation_failed');
    const r = await revalidateCriminalIntel(w.admin, old.id, { note: 'Case 24-117 still open; informant re-confirmed.', contentValidity: 'CONFIRMED' });
    expect(r.lastValidatedAt).toBeInstanceOf(Date);
    expect(r.dueFlaggedAt).toBeNull();
    expect(r.contentValidity).toBe('CONFIRMED');
    expect(Math.abs(r.reviewDueAt.getTime() - r.lastValidatedAt!.getTime() - 5 * 365.25 * 86_400_000)).toBeLessThan(2 * 86_400_000);
    expect(r.reviewState).toBe('current');
    expect(await prisma().auditEvent.count({ where: { orgId: w.org.id, type: 'cji.revalidate', documentId: old.id } })).toBe(1);
  });

  it('purge: admins only; removes every version from storage and the database, revokes its shares, keeps the record; nothing serves it after', async () => {
    const w = await world();
    await markCriminalIntel(w.member, w.doc.id, MARK);
    await addVersion(w.member, w.doc.id, fileFrom(tinyPdf('Informant report v2'), 'report-v2.pdf', 'application/pdf'), { tlp: 'AMBER' }, 1e7);
    const s = await createShare(w.member, { documentIds: [w.doc.id], audience: 'VERIFIED_EMAIL', recipients: ['det@police.example'], needToKnow: NTK, allowDownload: true, watermark: false });
    await approveAsSecondAdmin(w.org.id, { shareId: s.share.id });
    const token = await guestToken(w.org.id, s.url, 'det@police.example');
    expect((await apiContent(token, w.doc.id)).status).toBe(200);
    const blobs = (await prisma().documentVersion.findMany({ where: { documentId: w.doc.id }, select: { blobKey: true } })).map((v) => v.blobKey);
    expect(blobs).toHaveLength(2);
    expect((await storedBlobs(blobs)).every(Boolean)).toBe(true);

    expect((await refusal(purgeCriminalIntel(w.member, w.doc.id, { reason: 'review' }))).code).toBe('forbidden');
    expect((await refusal(purgeCriminalIntel(w.auditor, w.doc.id, { reason: 'review' }))).code).toBe('forbidden');
    expect((await refusal(purgeCriminalIntel(w.admin, w.doc.id, {}))).code).toBe('validation_failed');
    expect((await storedBlobs(blobs)).every(Boolean)).toBe(true);

    const done = await purgeCriminalIntel(w.admin, w.doc.id, { reason: 'Five-year review: no longer relevant to an investigation.' });
    expect(done).toMatchObject({ versions: 2, revokedShares: 1 });
    expect((await storedBlobs(blobs)).some(Boolean)).toBe(false);
    expect(await prisma().documentVersion.count({ where: { documentId: w.doc.id } })).toBe(0);
    const rec = await getCriminalIntel(w.member, w.doc.id);
    expect(rec).toMatchObject({ reviewState: 'purged', purgeReason: 'Five-year review: no longer relevant to an investigation.', submittingAgency: MARK.submittingAgency });
    expect((rec!.purgedVersions as { version: number; sha256: string }[]).map((v) => v.version)).toEqual([1, 2]);
    expect((await prisma().share.findUniqueOrThrow({ where: { id: s.share.id } })).state).toBe('REVOKED');
    expect(await prisma().document.count({ where: { id: w.doc.id } })).toBe(1);

    // Every serving path: the guest API, page images, the staff download.
    for (const res of [await apiContent(token, w.doc.id), await apiPage(token, w.doc.id, 1), await apiDocument(token, w.doc.id), await apiList(token)]) {
      expect([401, 404, 410]).toContain(res.status);
    }
    expect((await refusal(openDocumentContent(w.member, w.doc.id))).code).toBe('not_found');
    // Even a fresh session on a new share finds nothing to serve.
    expect((await refusal(createShare(w.member, { documentIds: [w.doc.id], audience: 'VERIFIED_EMAIL', recipients: ['det@police.example'], needToKnow: NTK }))).code).toBe('cji_not_permitted');
    // No new content, no second purge, no unmarking, no deletion: the record stays.
    expect((await refusal(addVersion(w.member, w.doc.id, fileFrom(tinyPdf('back'), 'b.pdf', 'application/pdf'), {}, 1e7))).code).toBe('conflict');
    expect((await refusal(purgeCriminalIntel(w.admin, w.doc.id, { reason: 'again' }))).code).toBe('conflict');
    expect((await refusal(unmarkCriminalIntel(w.admin, w.doc.id, { reason: 'x' }))).code).toBe('conflict');
    expect((await refusal(deleteDocument(w.admin, w.doc.id))).code).toBe('conflict');
    // The log (the grant and the one download) and the trail are intact.
    expect(await prisma().criminalIntelRelease.count({ where: { documentId: w.doc.id } })).toBe(2);
    const purge = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: w.org.id, type: 'cji.purge' } });
    expect(purge.details).toMatchObject({ revokedShares: [s.share.id] });
    expect(await verifyAuditChain(w.org.id)).toMatchObject({ ok: true });
  });

  it('a purge by a guest-facing id of another organisation is not found', async () => {
    const a = await world();
    const b = await world();
    await markCriminalIntel(a.member, a.doc.id, MARK);
    expect((await refusal(purgeCriminalIntel(b.admin, a.doc.id, { reason: 'x' }))).code).toBe('not_found');
    expect((await refusal(purgeCriminalIntel(b.admin, 'not an id', { reason: 'x' }))).code).toBe('validation_failed');
  });
});
