import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createTerms } from '../../lib/terms/service';
import { revokeShare, updateShare } from '../../lib/shares/service';
import { apiContent, apiList, apiOpen, apiPage, apiToken, browserFile, browserOpen, browserPage, sharedPdf, BASE } from '../helpers/guest';

const expectRefusal = async (res: Response, status: number, error: string) => {
  const body = await res.clone().json().catch(() => ({}));
  expect({ status: res.status, error: (body as { error?: string }).error }).toEqual({ status, error });
  if (status === 401) expect(res.headers.get('www-authenticate') ?? '').toMatch(error === 'invalid_token' ? /error="invalid_token"/ : /./);
};

describe('opening a session (POST /api/portal/v1/sessions and the browser form)', () => {
  it('not_found for an unknown link, in both forms, without saying more', async () => {
    const { res, json } = await apiOpen({ link: `${BASE}/s/${'x'.repeat(43)}` });
    await expectRefusal(res, 404, 'not_found');
    expect(JSON.stringify(json)).not.toMatch(/share [a-z0-9]{20}/);
    const b = await browserOpen('y'.repeat(43), {});
    expect(b.location).toMatch(/error=not_found/);
    expect(b.cookie).toBeNull();
  });

  it('revoked and expired are 410 and audited with their reason', async () => {
    const a = await sharedPdf();
    await revokeShare(a.principal, a.share.id);
    await expectRefusal((await apiOpen({ link: a.url })).res, 410, 'revoked');
    const b = await sharedPdf();
    await prisma().share.update({ where: { id: b.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefusal((await apiOpen({ link: b.token })).res, 410, 'expired');
    expect((await browserOpen(b.token, {})).location).toMatch(/error=expired/);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: a.share.id, type: 'guest.session', outcome: 'denied' } });
    expect(ev).toMatchObject({ reason: 'revoked', ip: '198.51.100.10' });
  });

  it('ip, country and device conditions each refuse with their own code', async () => {
    const ip = await sharedPdf({ allowedIpRanges: ['10.0.0.0/8'] });
    await expectRefusal((await apiOpen({ link: ip.url })).res, 403, 'ip_denied');
    expect((await apiOpen({ link: ip.url }, '10.20.30.40')).res.status).toBe(201);
    const geo = await sharedPdf({ allowedCountries: ['GB'] });
    // No GeoIP database here: the country is unknown, and the policy fails closed.
    await expectRefusal((await apiOpen({ link: geo.url })).res, 403, 'geo_denied');
    const dev = await sharedPdf({ allowedDevices: ['mobile'] });
    await expectRefusal((await apiOpen({ link: dev.url })).res, 403, 'device_denied');
    expect((await browserOpen(dev.token, {})).location).toMatch(/error=device_denied/);
  });

  it('password: required, wrong, right; throttled per client with Retry-After before hashing', async () => {
    const s = await sharedPdf({ password: 'tangerine-42' });
    await expectRefusal((await apiOpen({ link: s.url })).res, 401, 'password_required');
    await expectRefusal((await apiOpen({ link: s.url, password: 'nope' })).res, 401, 'invalid_password');
    expect((await apiOpen({ link: s.url, password: 'tangerine-42' })).res.status).toBe(201);
    for (let i = 0; i < 5; i++) await apiOpen({ link: s.url, password: `wrong-${i}` }, '203.0.113.99');
    const limited = (await apiOpen({ link: s.url, password: 'tangerine-42' }, '203.0.113.99')).res;
    await expectRefusal(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client is not locked out by this one.
    expect((await apiOpen({ link: s.url, password: 'tangerine-42' }, '203.0.113.100')).res.status).toBe(201);
    const b = await browserOpen(s.token, { password: 'nope' }, '203.0.113.101');
    expect(b.location).toMatch(/error=invalid_password/);
  });

  it('terms: 403 with the text; acceptance of that version is recorded with time, IP and user agent', async () => {
    const probe = await sharedPdf();
    const terms = await createTerms(probe.principal, { title: 'Use restrictions', body: 'Do not forward. <script>x</script>' });
    const s = await sharedPdf();
    await prisma().share.update({ where: { id: s.share.id }, data: { termsVersionId: terms.id } });
    const r1 = await apiOpen({ link: s.url });
    await expectRefusal(r1.res, 403, 'terms_required');
    expect(r1.json.terms).toMatchObject({ id: terms.id, version: 1, body: 'Do not forward. <script>x</script>' });
    await expectRefusal((await apiOpen({ link: s.url, acceptTerms: 'some-other-version' })).res, 403, 'terms_required');
    expect((await apiOpen({ link: s.url, acceptTerms: terms.id })).res.status).toBe(201);
    const acc = await prisma().termsAcceptance.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(acc).toMatchObject({ termsVersionId: terms.id, ip: '198.51.100.10', userAgent: expect.stringContaining('Chrome') });
    const b = await browserOpen(s.token, { termsVersionId: terms.id, accept: 'on' });
    expect(b.location).toBe(`/s/${s.token}`);
    expect(b.setCookie).toMatch(/HttpOnly/);
    expect(b.setCookie).toMatch(/Secure/);
    expect(b.setCookie).toMatch(/SameSite=Lax/);
    expect(b.setCookie).toMatch(new RegExp(`Path=/s/${s.token}`));
  });

  it('refuses an oversized or non-JSON body before parsing it', async () => {
    const { POST } = await import('../../app/api/portal/v1/sessions/route');
    const big = await POST(new Request(`${BASE}/api/portal/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '999999' }, body: '{}' }));
    expect(big.status).toBe(413);
    const form = await POST(new Request(`${BASE}/api/portal/v1/sessions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'link=x' }));
    expect(form.status).toBe(415);
  });
});

type Path = 'api-list' | 'api-content' | 'api-page' | 'download' | 'page';
const PATHS: Path[] = ['api-list', 'api-content', 'api-page', 'download', 'page'];

/** One request on one path with the credentials a session gives that path. */
async function hit(path: Path, s: { token: string; doc: { id: string } }, session: string, ip?: string, docId = s.doc.id) {
  if (path === 'api-list') return apiList(session, ip);
  if (path === 'api-content') return apiContent(session, docId, ip);
  if (path === 'api-page') return apiPage(session, docId, 1, { ip });
  if (path === 'page') return browserPage(s.token, docId, 1, session, { ip });
  return browserFile(path, s.token, docId, session, ip);
}

describe('every refusal on every access path', () => {
  it.each(PATHS)('%s: allowed with a live session, refused without one', async (path) => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const session = await apiToken(s.url);
    expect((await hit(path, s, session)).status).toBe(200);
    const res = path.startsWith('api') ? await hit(path, s, '') : path === 'page' ? await browserPage(s.token, s.doc.id, 1, null) : await browserFile('download', s.token, s.doc.id, null);
    await expectRefusal(res, 401, 'invalid_token');
  });

  it.each(PATHS)('%s: revocation kills an open session at once (401 invalid_token)', async (path) => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const session = await apiToken(s.url);
    await revokeShare(s.principal, s.share.id);
    await expectRefusal(await hit(path, s, session), 401, 'invalid_token');
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, outcome: 'denied' } });
    expect(ev.reason).toBe('revoked');
  });

  it.each(PATHS)('%s: expiry ends an open session (401 invalid_token)', async (path) => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const session = await apiToken(s.url);
    await prisma().share.update({ where: { id: s.share.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    await expectRefusal(await hit(path, s, session), 401, 'invalid_token');
  });

  it.each(PATHS)('%s: a password change ends sessions opened with the old password', async (path) => {
    const s = await sharedPdf({ allowDownload: true, watermark: false, password: 'first-password' });
    const session = await apiToken(s.url, { password: 'first-password' });
    await updateShare(s.principal, s.share.id, { password: 'second-password' });
    await expectRefusal(await hit(path, s, session), 401, 'invalid_token');
  });

  it.each(PATHS)('%s: conditions tightened after opening apply on the next request', async (path) => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const session = await apiToken(s.url);
    await updateShare(s.principal, s.share.id, { allowedIpRanges: ['192.0.2.0/24'] });
    await expectRefusal(await hit(path, s, session), 403, 'ip_denied');
    expect((await hit(path, s, session, '192.0.2.44')).status).toBe(200);
    await updateShare(s.principal, s.share.id, { allowedIpRanges: [], allowedCountries: ['NL'] });
    await expectRefusal(await hit(path, s, session), 403, 'geo_denied');
    await updateShare(s.principal, s.share.id, { allowedCountries: [], allowedDevices: ['tablet'] });
    await expectRefusal(await hit(path, s, session), 403, 'device_denied');
    const terms = await createTerms(s.principal, { title: 'New terms', body: 'Added later.' });
    await updateShare(s.principal, s.share.id, { allowedDevices: [], termsVersionId: terms.id });
    await expectRefusal(await hit(path, s, session), 403, 'terms_required');
  });

  it.each(['api-content', 'api-page', 'download', 'page'] as const)('%s: a document of another share or organisation is not_found', async (path) => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const other = await sharedPdf({ allowDownload: true, watermark: false });
    const session = await apiToken(s.url);
    await expectRefusal(await hit(path, s, session, undefined, other.doc.id), 404, 'not_found');
    await expectRefusal(await hit(path, s, session, undefined, 'no-such-document'), 404, 'not_found');
  });

  it('download paths refuse a view-only share (whatever the headers) while the viewer still works', async () => {
    const s = await sharedPdf({ allowDownload: false, watermark: false });
    const session = await apiToken(s.url);
    await expectRefusal(await apiContent(session, s.doc.id), 403, 'download_not_allowed');
    await expectRefusal(await apiContent(session, s.doc.id, undefined, { range: 'bytes=0-99' }), 403, 'download_not_allowed');
    await expectRefusal(await browserFile('download', s.token, s.doc.id, session), 403, 'download_not_allowed');
    expect((await browserPage(s.token, s.doc.id, 1, session)).status).toBe(200);
    expect((await apiPage(session, s.doc.id, 1)).status).toBe(200);
  });

  it('a session for share A is refused on share B', async () => {
    const a = await sharedPdf({ allowDownload: true, watermark: false });
    const b = await sharedPdf({ allowDownload: true, watermark: false });
    const tokenA = await apiToken(a.url);
    await expectRefusal(await browserFile('download', b.token, b.doc.id, tokenA), 401, 'invalid_token');
    await expectRefusal(await apiContent(tokenA, b.doc.id), 404, 'not_found');
  });

  it('a token in the query string is never accepted', async () => {
    const s = await sharedPdf();
    const session = await apiToken(s.url);
    await expectRefusal(await apiList(null, undefined, `${BASE}/api/portal/v1/documents?access_token=${session}`), 401, 'invalid_token');
    await expectRefusal(await apiList(session, undefined, `${BASE}/api/portal/v1/documents?access_token=${session}`), 401, 'invalid_token');
  });
});

describe('what a permitted guest gets', () => {
  it('lists documents with the CONTRACT fields', async () => {
    const s = await sharedPdf({ allowDownload: true, allowPrint: false, watermark: true });
    const res = await apiList(await apiToken(s.url));
    expect(await res.json()).toEqual([expect.objectContaining({ id: s.doc.id, title: 'Briefing', permission: 'VIEW', allowDownload: true, allowPrint: false, watermark: true })]);
  });

  it('an unwatermarked download keeps every object of the upload (only its copy code added to the metadata) and is audited', async () => {
    const s = await sharedPdf({ allowDownload: true, allowPrint: true, watermark: false });
    const res = await apiContent(await apiToken(s.url), s.doc.id);
    expect(res.status).toBe(200);
    const { tinyPdf } = await import('../helpers/factory');
    const got = Buffer.from(await res.arrayBuffer()).toString('latin1');
    const upload = tinyPdf('Confidential briefing').toString('latin1');
    // The page, its content stream and its font are copied byte for byte (lib/watermark/fast, metadata only).
    for (const obj of upload.match(/\d+ 0 obj[\s\S]*?endobj/g)!.slice(1)) expect(got).toContain(obj);
    expect(got).toMatch(/\/Keywords \(liaison-copy:[0-9A-Z]{5}-[0-9A-Z]{5}\)/);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, type: 'guest.download' } });
    expect(ev).toMatchObject({ documentId: s.doc.id, ip: '198.51.100.10', outcome: 'success', userAgent: expect.stringContaining('Chrome') });
    await (await import('../../lib/shares/access-counter')).flushShareAccess();
    const share = await prisma().share.findUniqueOrThrow({ where: { id: s.share.id } });
    expect(share.accessCount).toBe(2);
    expect(share.lastAccessAt).not.toBeNull();
  });
});

describe('guests cannot manage shares', () => {
  it('a guest token or guest cookie is not a staff credential: updateShare, extend and reshare are refused', async () => {
    const { handleGraphql } = await import('../../lib/graphql/yoga');
    const s = await sharedPdf({ permission: 'COMMENT', allowDownload: true });
    const guest = await apiToken(s.url);
    const mutations = [
      `mutation { updateShare(id: "${s.share.id}", input: { allowPrint: true }) { id } }`,
      `mutation { updateShare(id: "${s.share.id}", input: { expiresAt: "${new Date(Date.now() + 864e5 * 30).toISOString()}" }) { id } }`,
      `mutation { createShare(input: { documentIds: ["${s.doc.id}"] }) { share { url } } }`,
    ];
    for (const query of mutations) {
      for (const headers of [{ authorization: `Bearer ${guest}` }, { cookie: `liaison_guest=${guest}`, origin: BASE }] as Record<string, string>[]) {
        const res = await handleGraphql(new Request(`${BASE}/api/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }));
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
      }
    }
    const row = await prisma().share.findUniqueOrThrow({ where: { id: s.share.id } });
    expect(row.allowPrint).toBe(false);
    expect(row.expiresAt.getTime()).toBe(s.share.expiresAt.getTime());
    expect(await prisma().share.count({ where: { orgId: s.org.id } })).toBe(1);
  });

  it('the policy refuses manage_share to every guest, whatever the permission', async () => {
    const { decideAccess } = await import('../../lib/policy');
    const { toShareFacts, shareWithDocs } = await import('../../lib/guest/facts');
    const s = await sharedPdf({ permission: 'EDIT' });
    const share = await prisma().share.findUniqueOrThrow({ where: { id: s.share.id }, include: shareWithDocs });
    const d = decideAccess({
      grant: toShareFacts(share), action: 'manage_share', request: { ip: '1.2.3.4', country: null, device: 'desktop', now: new Date() },
      guest: { kind: 'ANONYMOUS', email: null, disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: false, authMethod: 'link', invited: false },
      session: { grant: `share:${share.id}`, shareEpoch: 0, passwordEpoch: 0, guestEpoch: 0, guestRevocationEpoch: 0, passwordVerified: true, acceptedTermsVersionIds: [], expiresAt: new Date(Date.now() + 60_000), revokedAt: null },
    });
    expect(d).toEqual({ allow: false, reason: 'forbidden' });
  });
});
