import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { addVersion, createDocument } from '../../lib/documents/service';
import { createShare, updateShare } from '../../lib/shares/service';
import { grantPortalAccess } from '../../lib/portals/grants';
import { addDocumentsToSection } from '../../lib/portals/sections';
import { decideApproval, listApprovals } from '../../lib/governance/approval';
import { decideGuestSocket } from '../../lib/realtime/authorize';
import type { Tlp } from '../../lib/generated/prisma/enums';
import { startSmtp } from '../helpers/smtp';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { apiContent, apiDocument, apiList, apiOpen, apiPage, apiToken, browserFile, browserPage } from '../helpers/guest';
import { codeIn, mailsTo, requestCode, settleCodes } from '../helpers/guest-identity';
import { portalCode, portalDownload, portalOpen, portalPage, settlePortalCodes } from '../helpers/portal';
import { BASE, DESKTOP_UA } from '../helpers/guest';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { HOST_HEADER } from '../../lib/http/request-host';
import { POST as shareSocketTokenRoute } from '../../app/s/[token]/realtime-token/route';

/*
 * TLP 2.0 ceilings and two-person approval (docs/CLASSIFICATION.md): the bad inputs refused at creation,
 * at recipient changes and at upload; and each denial reason (approval_pending, tlp_denied for a partner
 * ceiling, AMBER+STRICT and RED) on every path a guest of a share or a portal can take.
 */
type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });
afterEach(() => { smtp.received.length = 0; });

let n = 0;
const ip = () => `198.19.${Math.floor(n / 200)}.${(n++ % 200) + 10}`;

/** An organisation whose own ceiling lets everything out (RED), two admins, a member and a partner. */
async function world(partnerCeiling: Tlp | null = null) {
  const org = await createOrg();
  await prisma().organization.update({ where: { id: org.id }, data: { tlpCeiling: 'RED' } });
  const a = await createStaff(org.id, 'ADMIN');
  const b = await createStaff(org.id, 'ADMIN');
  const m = await createStaff(org.id, 'MEMBER');
  const partner = await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Counsel LLP', domains: ['counsel.example'], tlpCeiling: partnerCeiling } });
  const other = await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Other Agency', domains: ['agency.example'] } });
  const doc = async (tlp: Tlp, title = `Doc ${tlp}`) =>
    createDocument(a.principal, fileFrom(tinyPdf(`${title} text`), 'd.pdf', 'application/pdf'), { title, tlp }, 1e7);
  return { org, a, b, m, partner, other, doc };
}
type W = Awaited<ReturnType<typeof world>>;

async function codeSession(w: W, link: string, email: string) {
  const from = ip();
  expect((await requestCode(link, email, from)).res.status).toBe(202);
  await settleCodes(w.org.id);
  const mail = mailsTo(smtp, email).at(-1);
  const opened = await apiOpen({ link, email, code: codeIn(mail?.parsed.text) }, from);
  expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
  return opened.json.access_token as string;
}

const errorOf = async (res: Response) => (res.status >= 400 ? ((await res.json()) as { error: string }).error : 'ok');
const sid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;

/** Every path of a share guest to a document: page images (browser and API), details, content, download, list, socket. */
async function everySharePath(shareId: string, linkToken: string, token: string, docId: string, orgId: string) {
  const from = ip();
  const list = await apiList(token, from);
  const socket = await decideGuestSocket({ kind: 'guest', orgId, guestId: 'g', sessionId: sid(token), name: 'x', email: null, shareId, portalId: null, deviceThumbprint: null, request: { ip: from, userAgent: null, host: 'localhost' } }, 'view', docId)
    .then(() => 'ok', (e: { code?: string }) => e.code ?? 'error');
  return {
    apiPage: await errorOf(await apiPage(token, docId, 1, { ip: from })),
    browserPage: await errorOf(await browserPage(linkToken, docId, 1, token, { ip: from })),
    apiDocument: await errorOf(await apiDocument(token, docId, from)),
    apiContent: await errorOf(await apiContent(token, docId, from)),
    browserDownload: await errorOf(await browserFile('download', linkToken, docId, token, from)),
    list: list.status >= 400 ? await errorOf(list) : ((await list.json()) as Array<{ id: string }>).some((d) => d.id === docId) ? 'ok' : 'absent',
    socket,
    // The browser's socket handshake token: about the share, not one document.
    realtimeToken: await errorOf(await shareSocketTokenRoute(new Request(`${BASE}/s/${linkToken}/realtime-token`, {
      method: 'POST', headers: { [CLIENT_IP_HEADER]: from, [HOST_HEADER]: 'localhost', 'user-agent': DESKTOP_UA, origin: BASE, cookie: `liaison_guest=${token}` },
    }), { params: Promise.resolve({ token: linkToken }) })),
  };
}
const allShare = (e: string, list = e) => ({ apiPage: e, browserPage: e, apiDocument: e, apiContent: e, browserDownload: e, list, socket: e, realtimeToken: e === 'approval_pending' ? e : 'ok' });

describe('partner ceilings: the lower of the organisation\'s and the partner\'s', () => {
  it('a share or portal grant reaching a partner above its ceiling is refused at creation, and audited', async () => {
    const w = await world('GREEN');
    const amber = await w.doc('AMBER');
    await expect(createShare(w.m.principal, { documentIds: [amber.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'] }))
      .rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/TLP:AMBER.*ceiling.*TLP:GREEN/) });
    await expect(createShare(w.m.principal, { documentIds: [amber.id], audience: 'VERIFIED_EMAIL', allowedDomains: ['counsel.example'] }))
      .rejects.toMatchObject({ code: 'forbidden' });
    // The same document to someone outside any partner: the organisation's own ceiling applies.
    await expect(createShare(w.m.principal, { documentIds: [amber.id], audience: 'VERIFIED_EMAIL', recipients: ['zed@elsewhere.example'] })).resolves.toBeDefined();
    const portal = await prisma().portal.create({ data: { orgId: w.org.id, name: 'Counsel', slug: `c-${Date.now().toString(36)}-${n++}`, createdById: w.a.user.id } });
    await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Files', position: 0, documents: { create: [{ documentId: amber.id }] } } });
    await expect(grantPortalAccess(w.m.principal, portal.id, { partnerOrgId: w.partner.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(grantPortalAccess(w.m.principal, portal.id, { emails: ['bob@counsel.example'] })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await prisma().portalGrant.count({ where: { portalId: portal.id } })).toBe(0);
    const denied = await prisma().auditEvent.findMany({ where: { orgId: w.org.id, outcome: 'denied', reason: 'tlp_scope' }, orderBy: { seq: 'asc' } });
    expect(denied.map((e) => e.type)).toEqual(['share.create', 'share.create', 'portal.grant.create', 'portal.grant.create']);
    expect(denied[0].details).toMatchObject({ ceiling: 'GREEN', partnerIds: [w.partner.id], blocked: [{ documentId: amber.id, tlp: 'AMBER', problem: 'above_ceiling' }] });
  });

  it('adding a partner\'s address to a share is checked against the partner\'s ceiling', async () => {
    const w = await world('GREEN');
    const amber = await w.doc('AMBER');
    const { share } = await createShare(w.m.principal, { documentIds: [amber.id], audience: 'VERIFIED_EMAIL', recipients: ['zed@elsewhere.example'] });
    await expect(updateShare(w.m.principal, share.id, { recipients: ['zed@elsewhere.example', 'ann@counsel.example'] })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await prisma().shareRecipient.count({ where: { shareId: share.id } })).toBe(1);
  });

  it('lowering a partner\'s ceiling stops serving at once, on every path (tlp_denied)', async () => {
    const w = await world('AMBER');
    const amber = await w.doc('AMBER');
    const s = await createShare(w.m.principal, { documentIds: [amber.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowDownload: true, watermark: false });
    const token = await codeSession(w, s.url, 'ann@counsel.example');
    expect(await everySharePath(s.share.id, s.token, token, amber.id, w.org.id)).toEqual(allShare('ok'));
    await prisma().partnerOrg.update({ where: { id: w.partner.id }, data: { tlpCeiling: 'GREEN' } });
    expect(await everySharePath(s.share.id, s.token, token, amber.id, w.org.id)).toEqual(allShare('tlp_denied', 'absent'));
  });
});

describe('TLP:AMBER+STRICT: one named partner organisation only', () => {
  it('refuses an open link, several organisations, or addresses outside any partner', async () => {
    const w = await world();
    const strict = await w.doc('AMBER_STRICT');
    const refused = [
      { audience: 'ANYONE_WITH_LINK' },
      { audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example', 'eve@agency.example'] },
      { audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example', 'zed@elsewhere.example'] },
      { audience: 'VERIFIED_EMAIL', allowedDomains: ['elsewhere.example'] },
    ];
    for (const r of refused) {
      await expect(createShare(w.m.principal, { documentIds: [strict.id], ...r }), JSON.stringify(r))
        .rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('AMBER+STRICT may only go to people of one named partner') });
    }
    await expect(createShare(w.m.principal, { documentIds: [strict.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowedDomains: ['counsel.example'] })).resolves.toBeDefined();
  });

  it('a partner\'s domain taken away stops serving its guests at once (tlp_denied), on every path', async () => {
    const w = await world();
    const strict = await w.doc('AMBER_STRICT');
    const s = await createShare(w.m.principal, { documentIds: [strict.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowDownload: true, watermark: false });
    const token = await codeSession(w, s.url, 'ann@counsel.example');
    expect(await everySharePath(s.share.id, s.token, token, strict.id, w.org.id)).toEqual(allShare('ok'));
    await prisma().partnerOrg.update({ where: { id: w.partner.id }, data: { domains: ['counsel-llp.example'] } });
    expect(await everySharePath(s.share.id, s.token, token, strict.id, w.org.id)).toEqual(allShare('tlp_denied', 'absent'));
  });

  it('a portal grant to a partner and its groups is limited to it; another organisation\'s address or domain is refused', async () => {
    const w = await world();
    const strict = await w.doc('AMBER_STRICT');
    const portal = await prisma().portal.create({ data: { orgId: w.org.id, name: 'Strict', slug: `s-${Date.now().toString(36)}-${n++}`, createdById: w.a.user.id } });
    await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Files', position: 0, documents: { create: [{ documentId: strict.id }] } } });
    // (Groups without a partner are refused by the grant's own input rules; AMBER+STRICT never sees them.)
    await expect(grantPortalAccess(w.m.principal, portal.id, { emails: ['ann@counsel.example'], domains: ['elsewhere.example'] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(grantPortalAccess(w.m.principal, portal.id, { partnerOrgId: w.partner.id, emails: ['eve@agency.example'] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(grantPortalAccess(w.m.principal, portal.id, { partnerOrgId: w.partner.id, groups: ['analysts'], emails: ['ann@counsel.example'] })).resolves.toMatchObject({ approvalState: 'NONE' });
  });
});

describe('TLP:RED: named recipients, and two-person approval', () => {
  it('refuses an open link or a domain; a named share is created pending and mails the other admins', async () => {
    const w = await world();
    const red = await w.doc('RED', 'Incident brief');
    await expect(createShare(w.a.principal, { documentIds: [red.id] })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('TLP:RED may only go to named recipients') });
    await expect(createShare(w.a.principal, { documentIds: [red.id], audience: 'VERIFIED_EMAIL', allowedDomains: ['counsel.example'] })).rejects.toMatchObject({ code: 'forbidden' });
    const s = await createShare(w.a.principal, { documentIds: [red.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'] });
    expect(s.share.approvalState).toBe('PENDING');
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(req).toMatchObject({ state: 'PENDING', reasons: ['tlp_red'], requestedById: w.a.user.id });
    // The other admin is asked; the requester and the member are not.
    const mails = await prisma().mailMessage.findMany({ where: { orgId: w.org.id, template: 'approval_requested' }, select: { to: true, subject: true } });
    expect(mails.map((m) => m.to)).toEqual([w.b.user.email]);
    expect(mails[0].subject).toContain('Incident brief');
    expect(await prisma().auditEvent.count({ where: { shareId: s.share.id, type: 'approval.request' } })).toBe(1);
  });

  it('bad input: the creator cannot approve their own grant; a member cannot decide; approving twice is refused; all audited', async () => {
    const w = await world();
    const red = await w.doc('RED');
    const s = await createShare(w.a.principal, { documentIds: [red.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'] });
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: s.share.id } });
    await expect(decideApproval(w.a.principal, req.id, { decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(decideApproval(w.m.principal, req.id, { decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    // A refusal must say why (the zod error becomes a 400 validation_failed at the edges).
    await expect(decideApproval(w.b.principal, req.id, { decision: 'refuse' })).rejects.toMatchObject({ name: 'ZodError' });
    expect((await prisma().share.findUniqueOrThrow({ where: { id: s.share.id } })).approvalState).toBe('PENDING');
    const approved = await decideApproval(w.b.principal, req.id, { decision: 'approve', note: 'Checked the recipient' });
    expect(approved).toMatchObject({ state: 'APPROVED', decidedBy: w.b.user.email, canApprove: false });
    await expect(decideApproval(w.b.principal, req.id, { decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(decideApproval(w.b.principal, req.id, { decision: 'refuse', note: 'changed my mind' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await prisma().share.findUniqueOrThrow({ where: { id: s.share.id } })).approvalState).toBe('APPROVED');
    const events = await prisma().auditEvent.findMany({ where: { orgId: w.org.id, type: { startsWith: 'approval.' } }, orderBy: { seq: 'asc' }, select: { type: true, outcome: true, reason: true } });
    expect(events).toEqual([
      { type: 'approval.request', outcome: 'success', reason: null },
      { type: 'approval.approve', outcome: 'denied', reason: 'own_request' },
      { type: 'approval.approve', outcome: 'denied', reason: 'not_an_admin' },
      { type: 'approval.approve', outcome: 'success', reason: 'Checked the recipient' },
      { type: 'approval.approve', outcome: 'denied', reason: 'already_decided' },
      { type: 'approval.refuse', outcome: 'denied', reason: 'already_decided' },
    ]);
  });

  it('a pending share serves nothing: the guest cannot even open it; approved, it serves its named recipient only', async () => {
    const w = await world();
    const red = await w.doc('RED');
    const s = await createShare(w.m.principal, { documentIds: [red.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowDownload: true, watermark: false });
    const pending = await apiOpen({ link: s.url, email: 'ann@counsel.example', code: '000000' }, ip());
    expect(pending.json.error).toBe('approval_pending');
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: s.share.id } });
    await decideApproval(w.a.principal, req.id, { decision: 'approve' });
    const token = await codeSession(w, s.url, 'ann@counsel.example');
    expect(await everySharePath(s.share.id, s.token, token, red.id, w.org.id)).toEqual(allShare('ok'));
  });

  it('adding a recipient to an approved RED share asks again: every path is approval_pending until approved', async () => {
    const w = await world();
    const red = await w.doc('RED');
    const s = await createShare(w.m.principal, { documentIds: [red.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowDownload: true, watermark: false });
    const first = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: s.share.id } });
    await decideApproval(w.b.principal, first.id, { decision: 'approve' });
    const token = await codeSession(w, s.url, 'ann@counsel.example');
    expect(await everySharePath(s.share.id, s.token, token, red.id, w.org.id)).toEqual(allShare('ok'));
    await updateShare(w.m.principal, s.share.id, { recipients: ['ann@counsel.example', 'bob@counsel.example'] });
    expect(await everySharePath(s.share.id, s.token, token, red.id, w.org.id)).toEqual(allShare('approval_pending'));
    const second = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: s.share.id, state: 'PENDING' } });
    expect(second.id).not.toBe(first.id);
    expect((await listApprovals(w.b.principal, { state: 'PENDING' })).map((r) => r.id)).toEqual([second.id]);
    await decideApproval(w.b.principal, second.id, { decision: 'approve' });
    expect(await everySharePath(s.share.id, s.token, token, red.id, w.org.id)).toEqual(allShare('ok'));
  });

  it('an invited-only RED share sends no invitation while pending; approving sends them', async () => {
    const w = await world();
    const red = await w.doc('RED');
    const s = await createShare(w.m.principal, { documentIds: [red.id], audience: 'INVITED', recipients: ['ann@counsel.example'] });
    expect(await prisma().guestInvitation.count({ where: { shareId: s.share.id } })).toBe(0);
    expect(await prisma().mailMessage.count({ where: { orgId: w.org.id, template: 'invitation' } })).toBe(0);
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: s.share.id } });
    await decideApproval(w.a.principal, req.id, { decision: 'approve' });
    expect(await prisma().guestInvitation.count({ where: { shareId: s.share.id, email: 'ann@counsel.example', state: 'PENDING' } })).toBe(1);
    expect(await prisma().mailMessage.count({ where: { orgId: w.org.id, template: 'invitation', to: 'ann@counsel.example' } })).toBe(1);
  });

  it('a refused grant is revoked and never activates', async () => {
    const w = await world();
    const red = await w.doc('RED');
    const s = await createShare(w.m.principal, { documentIds: [red.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'] });
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: s.share.id } });
    await decideApproval(w.b.principal, req.id, { decision: 'refuse', note: 'Not to this recipient' });
    expect(await prisma().share.findUniqueOrThrow({ where: { id: s.share.id } })).toMatchObject({ state: 'REVOKED', approvalState: 'REFUSED' });
    await expect(decideApproval(w.a.principal, req.id, { decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await apiOpen({ link: s.url, email: 'ann@counsel.example', code: '000000' }, ip())).json.error).toBe('revoked');
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, type: 'approval.refuse', outcome: 'success' } });
    expect(ev.reason).toBe('Not to this recipient');
  });

  it('a RED version served through a grant that was never approved is refused (tlp_denied), however it got there', async () => {
    const w = await world();
    const green = await w.doc('GREEN');
    const s = await createShare(w.m.principal, { documentIds: [green.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowDownload: true, watermark: false });
    expect(s.share.approvalState).toBe('NONE');
    const token = await codeSession(w, s.url, 'ann@counsel.example');
    await prisma().documentVersion.updateMany({ where: { documentId: green.id }, data: { tlp: 'RED' } });
    expect(await everySharePath(s.share.id, s.token, token, green.id, w.org.id)).toEqual(allShare('tlp_denied', 'absent'));
  });
});

describe('bad input: raising a version\'s TLP on a shared document', () => {
  it('is refused at upload when a live share or portal grant could not release it, and audited', async () => {
    const w = await world();
    const doc = await w.doc('AMBER');
    const s = await createShare(w.m.principal, { documentIds: [doc.id], audience: 'VERIFIED_EMAIL', recipients: ['zed@elsewhere.example'] });
    for (const tlp of ['AMBER_STRICT', 'RED'] as const) {
      await expect(addVersion(w.m.principal, doc.id, fileFrom(tinyPdf(`v ${tlp}`), 'v.pdf', 'application/pdf'), { tlp }, 1e7))
        .rejects.toMatchObject({ code: 'conflict' });
    }
    expect(await prisma().documentVersion.count({ where: { documentId: doc.id } })).toBe(1);
    const ev = await prisma().auditEvent.findMany({ where: { documentId: doc.id, type: 'document.version', outcome: 'denied' }, orderBy: { seq: 'asc' } });
    expect(ev.map((e) => (e.details as { problems: string[] }).problems)).toEqual([['amber_strict_outside_org'], ['red_not_approved']]);
    expect(ev[0].details).toMatchObject({ shareIds: [s.share.id] });
    // GREEN is lower: allowed.
    await expect(addVersion(w.m.principal, doc.id, fileFrom(tinyPdf('v green'), 'v.pdf', 'application/pdf'), { tlp: 'GREEN' }, 1e7)).resolves.toBeDefined();
  });

  it('a RED version on a document of a portal grant is refused unless the grant is approved for named recipients', async () => {
    const w = await world();
    const doc = await w.doc('GREEN');
    const portal = await prisma().portal.create({ data: { orgId: w.org.id, name: 'P', slug: `p-${Date.now().toString(36)}-${n++}`, createdById: w.a.user.id } });
    const section = await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Files', position: 0, documents: { create: [{ documentId: doc.id }] } } });
    const g = await grantPortalAccess(w.m.principal, portal.id, { emails: ['ann@counsel.example'] });
    await expect(addVersion(w.m.principal, doc.id, fileFrom(tinyPdf('red'), 'v.pdf', 'application/pdf'), { tlp: 'RED' }, 1e7)).rejects.toMatchObject({ code: 'conflict' });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { documentId: doc.id, type: 'document.version', outcome: 'denied' } });
    expect(ev.details).toMatchObject({ portalGrantIds: [g.id], problems: ['red_not_approved'] });
    // Adding a RED document to the section is refused for the same reason.
    const red = await w.doc('RED');
    await expect(addDocumentsToSection(w.m.principal, section.id, [red.id])).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('portal grants: pending and RED on every portal path', () => {
  async function portalWorld() {
    const w = await world();
    const green = await w.doc('GREEN', 'Green file');
    const red = await w.doc('RED', 'Red file');
    const portal = await prisma().portal.create({ data: { orgId: w.org.id, name: 'Counsel portal', slug: `q-${Date.now().toString(36)}-${n++}`, createdById: w.a.user.id } });
    await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Files', position: 0, documents: { create: [{ documentId: green.id, position: 0 }, { documentId: red.id, position: 1 }] } } });
    return { ...w, green, red, portal };
  }
  async function portalSession(w: Awaited<ReturnType<typeof portalWorld>>, email: string) {
    const from = ip();
    expect((await portalCode(w.portal.slug, email, from)).res.status).toBe(202);
    await settlePortalCodes(w.org.id);
    const mail = mailsTo(smtp, email).at(-1);
    if (!mail) return null;
    const opened = await portalOpen({ portal: w.portal.slug, email, code: codeIn(mail.parsed.text) }, from);
    return opened.res.status === 201 ? opened.json.access_token as string : ((opened.json as { error: string }).error);
  }
  async function everyPortalPath(w: Awaited<ReturnType<typeof portalWorld>>, token: string, docId: string) {
    const from = ip();
    const list = await apiList(token, from);
    const { portalLanding } = await import('../../lib/portals/landing');
    const { findPortalBySlug } = await import('../../lib/portals/portal-lookup');
    const landing = await portalLanding((await findPortalBySlug(w.portal.slug))!, { ip: from, userAgent: null, host: 'localhost' }, token);
    const home = JSON.stringify(landing).includes(docId) ? 'ok' : 'absent';
    const socket = await decideGuestSocket({ kind: 'guest', orgId: w.org.id, guestId: 'g', sessionId: sid(token), name: 'x', email: null, shareId: null, portalId: w.portal.id, deviceThumbprint: null, request: { ip: from, userAgent: null, host: 'localhost' } }, 'view', docId)
      .then(() => 'ok', (e: { code?: string }) => e.code ?? 'error');
    return {
      browserPage: await errorOf(await portalPage(w.portal.slug, docId, 1, token, from)),
      browserDownload: await errorOf(await portalDownload(w.portal.slug, docId, token, from)),
      apiDocument: await errorOf(await apiDocument(token, docId, from)),
      apiPage: await errorOf(await apiPage(token, docId, 1, { ip: from })),
      apiContent: await errorOf(await apiContent(token, docId, from)),
      list: list.status >= 400 ? await errorOf(list) : ((await list.json()) as Array<{ id: string }>).some((d) => d.id === docId) ? 'ok' : 'absent',
      home, socket,
    };
  }
  const allPortal = (e: string, list = e) => ({ browserPage: e, browserDownload: e, apiDocument: e, apiPage: e, apiContent: e, list, home: list === 'ok' ? 'ok' : 'absent', socket: e });

  it('a grant over RED material is pending (its guests get no code and no mail), serves after a second admin approves', async () => {
    const w = await portalWorld();
    const g = await grantPortalAccess(w.m.principal, w.portal.id, { emails: ['ann@counsel.example'], allowDownload: true, watermark: false });
    expect(g.approvalState).toBe('PENDING');
    expect(await prisma().mailMessage.count({ where: { orgId: w.org.id, template: 'portal_access' } })).toBe(0);
    // No code is sent for a grant that serves nothing; a code from before would meet approval_pending.
    expect([null, 'approval_pending']).toContain(await portalSession(w, 'ann@counsel.example'));
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { portalGrantId: g.id } });
    await expect(decideApproval(w.m.principal, req.id, { decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    await decideApproval(w.a.principal, req.id, { decision: 'approve' });
    const token = await portalSession(w, 'ann@counsel.example');
    expect(typeof token).toBe('string');
    expect(await everyPortalPath(w, token!, w.red.id)).toEqual(allPortal('ok'));
    expect(await everyPortalPath(w, token!, w.green.id)).toEqual(allPortal('ok'));
  });

  it('a pending grant beside an active one: the pending grant\'s RED document is approval_pending on every path, the rest is served', async () => {
    const w = await portalWorld();
    // An approved grant to Ann over everything, then a second grant becomes pending: each decides for itself.
    const g = await grantPortalAccess(w.m.principal, w.portal.id, { emails: ['ann@counsel.example'], allowDownload: true, watermark: false });
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { portalGrantId: g.id } });
    await decideApproval(w.b.principal, req.id, { decision: 'approve' });
    const token = (await portalSession(w, 'ann@counsel.example'))!;
    expect(await everyPortalPath(w, token, w.red.id)).toEqual(allPortal('ok'));
    // Back to pending (as a new request would put it): nothing of this grant serves.
    await prisma().portalGrant.update({ where: { id: g.id }, data: { approvalState: 'PENDING' } });
    expect(await everyPortalPath(w, token, w.red.id)).toEqual(allPortal('approval_pending', 'approval_pending'));
  });

  it('RED needs named addresses: a domain, partner or group grant over RED material is refused', async () => {
    const w = await portalWorld();
    for (const who of [{ domains: ['counsel.example'] }, { partnerOrgId: w.partner.id }, { emails: ['ann@counsel.example'], groups: ['x'], partnerOrgId: w.partner.id }]) {
      await expect(grantPortalAccess(w.m.principal, w.portal.id, who), JSON.stringify(who)).rejects.toMatchObject({ code: 'forbidden' });
    }
  });
});
