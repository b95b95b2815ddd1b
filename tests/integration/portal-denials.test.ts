import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createTerms } from '../../lib/terms/service';
import { startSmtp } from '../helpers/smtp';
import { codeIn, mailsTo } from '../helpers/guest-identity';
import { apiContent, apiDocument, apiList, apiPage } from '../helpers/guest';
import { grant, portalCode, portalDownload, portalFixture, portalOpen, portalPage, settlePortalCodes } from '../helpers/portal';

/*
 * Every denial reason on every path a portal guest can take to a document: the browser's page image and
 * download, and the guest API's list, details, page image and content. Each row changes one fact after
 * the guest signed in, then asks every path. (geo_denied needs a GeoIP database; the policy's own tests
 * cover it, and it is decided by the same check as ip_denied.)
 */
type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });
afterEach(() => { smtp.received.length = 0; });

let n = 0;
const ip = () => `198.18.0.${(n++ % 200) + 10}`;
const EMAIL = 'matrix@counsel.example';

type F = Awaited<ReturnType<typeof portalFixture>>;

async function signedIn(grantData: Parameters<typeof grant>[2] = {}, signInIp = ip()) {
  const f = await portalFixture();
  const g = await grant(f.portal.id, f.org.id, { emails: [EMAIL], ...grantData });
  expect((await portalCode(f.portal.slug, EMAIL, signInIp)).res.status).toBe(202);
  await settlePortalCodes(f.org.id);
  const mail = mailsTo(smtp, EMAIL).at(-1);
  const opened = await portalOpen({ portal: f.portal.slug, email: EMAIL, code: codeIn(mail?.parsed.text) }, signInIp);
  expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
  return { f, g, token: opened.json.access_token as string };
}

const errorOf = async (res: Response) => (res.status >= 400 ? ((await res.json()) as { error: string }).error : 'ok');

async function everyPath(f: F, token: string, from: string, docId = f.docA.id) {
  return {
    browserPage: await errorOf(await portalPage(f.portal.slug, docId, 1, token, from)),
    browserDownload: await errorOf(await portalDownload(f.portal.slug, docId, token, from)),
    apiDocument: await errorOf(await apiDocument(token, docId, from)),
    apiPage: await errorOf(await apiPage(token, docId, 1, { ip: from })),
    apiContent: await errorOf(await apiContent(token, docId, from)),
  };
}
const all = (e: string) => ({ browserPage: e, browserDownload: e, apiDocument: e, apiPage: e, apiContent: e });

describe('portal denials, reason by path', () => {
  it('allowed: every path answers (downloads allowed on this grant)', async () => {
    const { f, token } = await signedIn({ allowDownload: true, watermark: false });
    expect(await everyPath(f, token, ip())).toEqual(all('ok'));
    expect((await apiList(token, ip())).status).toBe(200);
  });

  it('download_not_allowed: only the download paths refuse', async () => {
    const { f, token } = await signedIn();
    expect(await everyPath(f, token, ip())).toEqual({ ...all('ok'), browserDownload: 'download_not_allowed', apiContent: 'download_not_allowed' });
  });

  it('not_found: a document of a section the grant does not give', async () => {
    const { f, token } = await signedIn({ sectionIds: [] as string[] });
    await prisma().portalGrant.updateMany({ where: { portalId: f.portal.id }, data: { allSections: false } });
    await prisma().portalGrantSection.create({ data: { grantId: (await prisma().portalGrant.findFirstOrThrow({ where: { portalId: f.portal.id } })).id, sectionId: f.sectionA.id } });
    expect(await everyPath(f, token, ip(), f.docB.id)).toEqual(all('not_found'));
  });

  it('revoked and expired grants: the token is no longer good (invalid_token), audited with the real reason', async () => {
    const a = await signedIn();
    await prisma().portalGrant.update({ where: { id: a.g.id }, data: { state: 'REVOKED', revokedAt: new Date() } });
    expect(await everyPath(a.f, a.token, ip())).toEqual(all('invalid_token'));
    expect(await errorOf(await apiList(a.token, ip()))).toBe('invalid_token');
    expect(await prisma().auditEvent.count({ where: { orgId: a.f.org.id, outcome: 'denied', reason: 'revoked' } })).toBeGreaterThanOrEqual(6);
    const b = await signedIn();
    await prisma().portalGrant.update({ where: { id: b.g.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await everyPath(b.f, b.token, ip())).toEqual(all('invalid_token'));
    expect(await prisma().auditEvent.count({ where: { orgId: b.f.org.id, outcome: 'denied', reason: 'expired' } })).toBeGreaterThanOrEqual(5);
  });

  it('invalid_token: the session was ended; or the portal was archived', async () => {
    const a = await signedIn();
    await prisma().guestSession.updateMany({ where: { portalId: a.f.portal.id }, data: { revokedAt: new Date() } });
    expect(await everyPath(a.f, a.token, ip())).toEqual(all('invalid_token'));
    const b = await signedIn();
    await prisma().portal.update({ where: { id: b.f.portal.id }, data: { archivedAt: new Date(), revocationEpoch: { increment: 1 } } });
    const after = await everyPath(b.f, b.token, ip());
    // Browser paths: the portal no longer exists there; API: its token is no longer good.
    expect(after).toEqual({ browserPage: 'not_found', browserDownload: 'not_found', apiDocument: 'invalid_token', apiPage: 'invalid_token', apiContent: 'invalid_token' });
  });

  it('guest_disabled', async () => {
    const { f, token } = await signedIn();
    await prisma().guest.updateMany({ where: { orgId: f.org.id, email: EMAIL }, data: { disabledAt: new Date() } });
    expect(await everyPath(f, token, ip())).toEqual(all('guest_disabled'));
  });

  it('ip_denied: a grant limited to a network, asked from outside it', async () => {
    const { f, token } = await signedIn({ allowedIpRanges: ['198.18.0.0/16'] });
    expect(await everyPath(f, token, '203.0.113.9')).toEqual(all('ip_denied'));
  });

  it('device_denied: the grant now requires a device the session never proved', async () => {
    const { f, g, token } = await signedIn();
    await prisma().portalGrant.update({ where: { id: g.id }, data: { requireDevice: true } });
    expect(await everyPath(f, token, ip())).toEqual(all('device_denied'));
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, reason: 'device_denied' } });
    expect(ev.details).toMatchObject({ device: 'missing', portalId: f.portal.id });
  });

  it('email_required: the grant no longer names the guest (a document is then simply not found)', async () => {
    const { f, g, token } = await signedIn();
    await prisma().portalGrant.update({ where: { id: g.id }, data: { emails: ['someone-else@counsel.example'] } });
    expect(await errorOf(await apiList(token, ip()))).toBe('email_required');
    expect(await everyPath(f, token, ip())).toEqual(all('not_found'));
  });

  it('terms_required: terms added to the grant after sign-in', async () => {
    const { f, g, token } = await signedIn();
    const terms = await createTerms(f.principal, { title: 'Confidentiality undertaking', body: 'I will not disclose.' });
    await prisma().portalGrant.update({ where: { id: g.id }, data: { termsVersionId: terms.id } });
    expect(await everyPath(f, token, ip())).toEqual(all('terms_required'));
  });

  it('tlp_denied: the current version is marked above the ceiling; the list leaves it out', async () => {
    const { f, token } = await signedIn({ allowDownload: true, watermark: false });
    await prisma().documentVersion.updateMany({ where: { documentId: f.docA.id }, data: { tlp: 'RED' } });
    expect(await everyPath(f, token, ip())).toEqual(all('tlp_denied'));
    const list = (await (await apiList(token, ip())).json()) as Array<{ id: string }>;
    expect(list.map((d) => d.id)).toEqual([f.docB.id]);
  });
});

describe('portal terms', () => {
  it('the landing asks for the grant\'s terms; accepting them (and only them) opens the documents', async () => {
    const { portalLanding } = await import('../../lib/portals/landing');
    const { acceptPortalTerms } = await import('../../lib/portals/session-actions');
    const { f, g, token } = await signedIn();
    const terms = await createTerms(f.principal, { title: 'Confidentiality undertaking', body: 'I will not disclose.' });
    await prisma().portalGrant.update({ where: { id: g.id }, data: { termsVersionId: terms.id } });
    const request = { ip: ip(), userAgent: 'vitest', host: 'localhost' };
    const portal = (await (await import('../../lib/portals/portal-lookup')).findPortalById(f.portal.id))!;
    const gate = await portalLanding(portal, request, token);
    expect(gate).toMatchObject({ kind: 'terms', terms: [{ id: terms.id, title: 'Confidentiality undertaking' }] });
    await expect(acceptPortalTerms(portal, request, token, ['some-other-version'])).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await acceptPortalTerms(portal, request, token, [terms.id])).toBe(1);
    expect(await portalLanding(portal, request, token)).toMatchObject({ kind: 'home', total: 2 });
    expect(await everyPath(f, token, ip())).toEqual({ ...all('ok'), browserDownload: 'download_not_allowed', apiContent: 'download_not_allowed' });
  });
});
