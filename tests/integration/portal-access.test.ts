import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { startSmtp } from '../helpers/smtp';
import { codeIn, mailsTo } from '../helpers/guest-identity';
import { apiContent, apiDocument, apiList, apiPage } from '../helpers/guest';
import { pdfPageTexts } from '../helpers/pdf-text';
import { grant, portalBrowserOpen, portalCode, portalDownload, portalFixture, portalOpen, portalPage, settlePortalCodes } from '../helpers/portal';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });
afterEach(() => { smtp.received.length = 0; });

let ipCounter = 1;
const freshIp = () => `192.0.2.${(ipCounter++ % 250) + 1}`;

async function codeFor(orgId: string, slug: string, email: string, host = 'localhost') {
  const r = await portalCode(slug, email, freshIp(), host);
  expect(r.res.status).toBe(202);
  expect(r.json).toEqual({ status: 'sent' });
  await settlePortalCodes(orgId);
  const got = mailsTo(smtp, email);
  return got.length ? codeIn(got[got.length - 1].parsed.text) : null;
}

async function signIn(f: Awaited<ReturnType<typeof portalFixture>>, email: string, host = 'localhost') {
  const code = await codeFor(f.org.id, f.portal.slug, email, host);
  expect(code, `a code for ${email}`).not.toBeNull();
  const opened = await portalOpen({ portal: f.portal.slug, email, code }, freshIp(), host);
  expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
  return opened.json.access_token as string;
}

describe('portal sign-in', () => {
  it('a named guest gets a code, signs in, and the token is bound to the portal (aud=portal:<id>)', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'] });
    const token = await signIn(f, 'ann@counsel.example');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims.aud).toBe(`portal:${f.portal.id}`);
    const session = await prisma().guestSession.findFirstOrThrow({ where: { id: claims.sid } });
    expect(session).toMatchObject({ portalId: f.portal.id, shareId: null, host: 'localhost', authMethod: 'code' });
    expect(await prisma().portalMember.count({ where: { portalId: f.portal.id } })).toBe(1);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'guest.session', outcome: 'success' } });
    expect(ev.details).toMatchObject({ portalId: f.portal.id, sessionId: session.id });
  });

  it('an address no grant names gets the same answer and no code; a wrong code for it is invalid_code, never a hint', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'] });
    expect(await codeFor(f.org.id, f.portal.slug, 'eve@elsewhere.example')).toBeNull();
    const denied = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'guest.code', outcome: 'denied' } });
    expect(denied.reason).toBe('email_required');
    const wrong = await portalOpen({ portal: f.portal.slug, email: 'eve@elsewhere.example', code: '123456' }, freshIp());
    expect(wrong.res.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_code');
  });

  it('an unknown portal, or a known one asked for through a host it is not served on, is not_found', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'] });
    expect((await portalCode('no-such-portal', 'ann@counsel.example', freshIp())).res.status).toBe(404);
    expect((await portalCode(f.portal.slug, 'ann@counsel.example', freshIp(), 'portal.other-org.example')).res.status).toBe(404);
    expect((await portalOpen({ portal: f.portal.slug, email: 'ann@counsel.example', code: '123456' }, freshIp(), 'portal.other-org.example')).res.status).toBe(404);
  });

  it('the browser form sets a host-only, path-scoped, HttpOnly cookie and goes back to the portal', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'] });
    const code = await codeFor(f.org.id, f.portal.slug, 'ann@counsel.example');
    const r = await portalBrowserOpen(f.portal.slug, { email: 'ann@counsel.example', code: code! }, freshIp());
    expect(r.res.status).toBe(303);
    expect(r.location).toBe(`/p/${f.portal.slug}`);
    expect(r.setCookie).toMatch(new RegExp(`liaison_portal=[^;]+; Path=/p/${f.portal.slug}; Max-Age=\\d+; HttpOnly; Secure; SameSite=Lax`));
    expect(r.setCookie).not.toMatch(/Domain=/i);
  });
});

describe('the guest API with a portal token', () => {
  it('lists, describes, pages and downloads under the policy; a share-only path and a bad id refuse', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'], sectionIds: [f.sectionA.id], allowDownload: true, watermark: true });
    const token = await signIn(f, 'ann@counsel.example');
    const ip = freshIp();
    const list = await apiList(token, ip);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([expect.objectContaining({ id: f.docA.id, title: 'Alpha briefing', section: { id: f.sectionA.id, name: 'Pleadings' }, allowDownload: true })]);
    const doc = await apiDocument(token, f.docA.id, ip);
    expect(doc.status).toBe(200);
    expect(await doc.json()).toMatchObject({ id: f.docA.id, allowDownload: true, watermark: true, pages: 1 });
    expect((await apiPage(token, f.docA.id, 1, { ip })).status).toBe(200);
    const content = await apiContent(token, f.docA.id, ip);
    expect(content.status).toBe(200);
    expect((await pdfPageTexts(new Uint8Array(await content.arrayBuffer()))).join(' ')).toContain(`portal ${f.portal.slug}`);
    expect((await apiContent(token, f.docB.id, ip)).status).toBe(404);
    expect((await apiPage(token, f.docA.id, 'x', { ip })).status).toBe(404);
  });
});

describe('portal access across grants', () => {
  it('a guest sees only the sections of their grants; another section\'s document is not_found on every path', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'], sectionIds: [f.sectionA.id] });
    await grant(f.portal.id, f.org.id, { emails: ['bob@counsel.example'], sectionIds: [f.sectionB.id], allowDownload: true });
    const code = await codeFor(f.org.id, f.portal.slug, 'ann@counsel.example');
    const { cookie } = await portalBrowserOpen(f.portal.slug, { email: 'ann@counsel.example', code: code! }, freshIp());
    const ip = freshIp();
    expect((await portalPage(f.portal.slug, f.docA.id, 1, cookie, ip)).status).toBe(200);
    expect((await portalPage(f.portal.slug, f.docB.id, 1, cookie, ip)).status).toBe(404);
    expect((await portalDownload(f.portal.slug, f.docB.id, cookie, ip)).status).toBe(404);
    // Section A's grant does not allow downloads.
    const dl = await portalDownload(f.portal.slug, f.docA.id, cookie, ip);
    expect(dl.status).toBe(403);
    expect((await dl.json()).error).toBe('download_not_allowed');
  });

  it('revoking the grant stops the next request; a document removed from the section is not_found at once', async () => {
    const f = await portalFixture();
    const g = await grant(f.portal.id, f.org.id, { domains: ['counsel.example'] });
    const code = await codeFor(f.org.id, f.portal.slug, 'ann@counsel.example');
    const { cookie } = await portalBrowserOpen(f.portal.slug, { email: 'ann@counsel.example', code: code! }, freshIp());
    const ip = freshIp();
    expect((await portalPage(f.portal.slug, f.docB.id, 1, cookie, ip)).status).toBe(200);
    await prisma().portalSectionDocument.delete({ where: { sectionId_documentId: { sectionId: f.sectionB.id, documentId: f.docB.id } } });
    expect((await portalPage(f.portal.slug, f.docB.id, 1, cookie, ip)).status).toBe(404);
    await prisma().portalGrant.update({ where: { id: g.id }, data: { state: 'REVOKED', revokedAt: new Date() } });
    const after = await portalPage(f.portal.slug, f.docA.id, 1, cookie, ip);
    expect(after.status).toBe(401);
    expect((await after.json()).error).toBe('invalid_token');
    const denials = await prisma().auditEvent.findMany({ where: { orgId: f.org.id, type: 'guest.view', outcome: 'denied' }, orderBy: { seq: 'asc' } });
    expect(denials.map((e) => e.reason)).toEqual(['not_found', 'revoked']);
    const ev = denials[1];
    expect(ev.details).toMatchObject({ portalId: f.portal.id });
  });

  it('a TLP:RED version uploaded to a portal document is refused at serve time (tlp_denied)', async () => {
    const f = await portalFixture({ tlpB: 'RED' });
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'] });
    const code = await codeFor(f.org.id, f.portal.slug, 'ann@counsel.example');
    const { cookie } = await portalBrowserOpen(f.portal.slug, { email: 'ann@counsel.example', code: code! }, freshIp());
    const res = await portalPage(f.portal.slug, f.docB.id, 1, cookie, freshIp());
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe('tlp_denied');
  });

  it('a session opened on one host is refused on another host of the same portal', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'] });
    const code = await codeFor(f.org.id, f.portal.slug, 'ann@counsel.example');
    const { cookie } = await portalBrowserOpen(f.portal.slug, { email: 'ann@counsel.example', code: code! }, freshIp());
    expect((await portalPage(f.portal.slug, f.docA.id, 1, cookie, freshIp(), 'localhost')).status).toBe(200);
    const moved = await portalPage(f.portal.slug, f.docA.id, 1, cookie, freshIp(), '127.0.0.1');
    expect(moved.status).toBe(401);
  });

  it('a portal token or cookie is worthless on another organisation\'s portal', async () => {
    const a = await portalFixture();
    const b = await portalFixture();
    await grant(a.portal.id, a.org.id, { emails: ['ann@counsel.example'] });
    await grant(b.portal.id, b.org.id, { emails: ['ann@counsel.example'] });
    const code = await codeFor(a.org.id, a.portal.slug, 'ann@counsel.example');
    const { cookie } = await portalBrowserOpen(a.portal.slug, { email: 'ann@counsel.example', code: code! }, freshIp());
    expect((await portalPage(a.portal.slug, a.docA.id, 1, cookie, freshIp())).status).toBe(200);
    const cross = await portalPage(b.portal.slug, b.docA.id, 1, cookie, freshIp());
    expect(cross.status).toBe(401);
  });
});

describe("owner's preview", () => {
  it('shows what an address would see, creates no guest, session or guest event, and is audited as portal.preview', async () => {
    const { previewPortal } = await import('../../lib/portals/preview');
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'], sectionIds: [f.sectionA.id] });
    await grant(f.portal.id, f.org.id, { domains: ['firm.example'], allowDownload: true, allowedIpRanges: ['10.0.0.0/8'] });
    const ann = await previewPortal(f.principal, f.portal.id, { kind: 'email', email: 'ann@counsel.example' });
    expect(ann.sections.map((s) => [s.name, s.documents.map((d) => d.title)])).toEqual([['Pleadings', ['Alpha briefing']]]);
    expect(ann.grants).toEqual([expect.objectContaining({ decision: 'allowed' })]);
    // A firm address is named, but the grant is limited to a network the preview cannot place them in.
    const firm = await previewPortal(f.principal, f.portal.id, { kind: 'email', email: 'x@firm.example' });
    expect(firm.sections).toEqual([]);
    expect(firm.grants).toEqual([expect.objectContaining({ decision: 'ip_denied' })]);
    const nobody = await previewPortal(f.principal, f.portal.id, { kind: 'email', email: 'eve@elsewhere.example' });
    expect(nobody.grants).toEqual([]);
    expect(await prisma().guest.count({ where: { orgId: f.org.id } })).toBe(0);
    expect(await prisma().guestSession.count({ where: { portalId: f.portal.id } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { orgId: f.org.id, type: { startsWith: 'guest.' } } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { orgId: f.org.id, type: 'portal.preview' } })).toBe(3);
  });

  it("another organisation's staff cannot preview this portal", async () => {
    const { previewPortal } = await import('../../lib/portals/preview');
    const f = await portalFixture();
    const other = await portalFixture();
    await expect(previewPortal(other.principal, f.portal.id, { kind: 'email', email: 'ann@counsel.example' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('granting portal access', () => {
  it('mails each named address the portal’s address — its verified domain when it has one — with no secret in it', async () => {
    const { grantPortalAccess } = await import('../../lib/portals/grants');
    const f = await portalFixture();
    await grantPortalAccess(f.principal, f.portal.id, { emails: ['ann@counsel.example'], sectionIds: [f.sectionA.id] });
    const first = await prisma().mailMessage.findFirstOrThrow({ where: { orgId: f.org.id, template: 'portal_access', to: 'ann@counsel.example' } });
    expect(first.text).toContain(`/p/${f.portal.slug}`);
    expect(first.subject).toContain('Acme Counsel Portal');
    await prisma().portalDomain.create({ data: { portalId: f.portal.id, orgId: f.org.id, hostname: `docs-${f.portal.slug}.example.org`, challenge: 'x', verifiedAt: new Date() } });
    await grantPortalAccess(f.principal, f.portal.id, { emails: ['bob@counsel.example'], sectionIds: [f.sectionB.id] });
    const second = await prisma().mailMessage.findFirstOrThrow({ where: { orgId: f.org.id, template: 'portal_access', to: 'bob@counsel.example' } });
    expect(second.text).toContain(`https://docs-${f.portal.slug}.example.org/`);
    expect(second.hasSecret).toBe(false);
  });
});
