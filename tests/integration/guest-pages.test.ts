import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { addVersion, createDocument } from '../../lib/documents/service';
import { createShare, revokeShare, updateShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { makeSamplePdf } from '../helpers/pdf-text';
import { apiContent, apiDocument, apiList, apiPage, apiToken, browserFile, browserOpen, browserPage, sharedPdf } from '../helpers/guest';

const expectRefusal = async (res: Response, status: number, error: string) => {
  const body = await res.clone().json().catch(() => ({}));
  expect({ status: res.status, error: (body as { error?: string }).error }).toEqual({ status, error });
};

async function sharedFile(data: Buffer, fileName: string, mediaType: string, shareInput: Partial<CreateShareInput> = {}) {
  const org = await createOrg();
  const { principal } = await createStaff(org.id, 'MEMBER');
  const doc = await createDocument(principal, fileFrom(data, fileName, mediaType), { title: fileName, tlp: 'AMBER' }, 1e8);
  const created = await createShare(principal, { documentIds: [doc.id], ...shareInput } as CreateShareInput);
  return { org, principal, doc, ...created };
}

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
/** Pixels darker than near-white: text and, on a marked page, the watermark. */
async function inkedPixels(img: Buffer): Promise<number> {
  const { data } = await sharp(img).greyscale().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (const v of data) if (v < 235) n++;
  return n;
}

describe('viewing without releasing: page images only', () => {
  it('a view-only share without watermark serves page images, never the PDF, on the browser and API paths', async () => {
    const pdf = Buffer.from(await makeSamplePdf(3));
    const s = await sharedFile(pdf, 'brief.pdf', 'application/pdf', { allowDownload: false, watermark: false });
    const session = await apiToken(s.url);
    for (const res of [await browserPage(s.token, s.doc.id, 1, session), await apiPage(session, s.doc.id, 1)]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
      const body = await bytes(res);
      expect(body.subarray(0, 4).toString('latin1')).not.toBe('%PDF');
      expect(body.includes(pdf.subarray(0, 64))).toBe(false);
      const meta = await sharp(body).metadata();
      expect(meta.width).toBe(1200); // the default width bucket
    }
    await expectRefusal(await apiContent(session, s.doc.id), 403, 'download_not_allowed');
    await expectRefusal(await browserFile('download', s.token, s.doc.id, session), 403, 'download_not_allowed');
  });

  it('with a watermark, the mark is drawn into the pixels (PNG), per recipient', async () => {
    const pdf = Buffer.from(await makeSamplePdf(2));
    const plain = await sharedFile(pdf, 'a.pdf', 'application/pdf', { watermark: false });
    const marked = await sharedFile(pdf, 'b.pdf', 'application/pdf', { watermark: true });
    const p = await bytes(await apiPage(await apiToken(plain.url), plain.doc.id, 1, { width: 800 }));
    const res = await apiPage(await apiToken(marked.url), marked.doc.id, 1, { width: 800 });
    expect(res.headers.get('content-type')).toBe('image/png');
    const m = await bytes(res);
    expect((await sharp(m).metadata()).format).toBe('png');
    // The sample page is mostly blank: a tiled mark inks many more pixels than its text alone.
    expect(await inkedPixels(m)).toBeGreaterThan((await inkedPixels(p)) * 2);
    // Another recipient (another address) gets other pixels.
    const other = await bytes(await apiPage(await apiToken(marked.url, {}, '192.0.2.77'), marked.doc.id, 1, { width: 800, ip: '192.0.2.77' }));
    const raw = async (b: Buffer) => (await sharp(b).raw().toBuffer());
    expect((await raw(other)).equals(await raw(m))).toBe(false);
  });

  it('honours the requested width bucket, and rejects a nonsense width', async () => {
    const s = await sharedPdf({ watermark: false });
    const session = await apiToken(s.url);
    expect((await sharp(await bytes(await apiPage(session, s.doc.id, 1, { width: 1500 }))).metadata()).width).toBe(1600);
    expect((await sharp(await bytes(await apiPage(session, s.doc.id, 1, { width: 100 }))).metadata()).width).toBe(160);
    expect((await sharp(await bytes(await apiPage(session, s.doc.id, 1, { width: 3000 }))).metadata()).width).toBe(2400);
    expect((await apiPage(session, s.doc.id, 1, { width: 9000 })).status).toBe(400);
  });

  it('the API describes the document and its pages', async () => {
    const s = await sharedFile(Buffer.from(await makeSamplePdf(4)), 'four.pdf', 'application/pdf');
    const res = await apiDocument(await apiToken(s.url), s.doc.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: s.doc.id, title: 'four.pdf', pages: 4, pageSizes: Array(4).fill({ width: 595, height: 842 }) });
    expect(await prisma().documentVersion.findFirstOrThrow({ where: { documentId: s.doc.id } })).toMatchObject({ pages: 4 });
  });

  it('pages past the end, page 0 and non-numbers are 404; malformed ones are audited', async () => {
    const s = await sharedPdf({ watermark: false });
    const session = await apiToken(s.url);
    await expectRefusal(await apiPage(session, s.doc.id, 2), 404, 'not_found');
    for (const bad of ['0', '-1', '1e3', 'abc', '01', '1.5', '9'.repeat(3000)]) {
      await expectRefusal(await apiPage(session, s.doc.id, bad), 404, 'not_found');
      await expectRefusal(await browserPage(s.token, s.doc.id, bad, session), 404, 'not_found');
    }
    const ev = await prisma().auditEvent.findMany({ where: { shareId: s.share.id, reason: 'invalid_id' } });
    expect(ev.length).toBe(14);
    expect(JSON.stringify(ev.map((e) => e.details))).not.toContain('9'.repeat(100));
  });

  it('each page is audited once per session; repeats and thumbnails only count', async () => {
    const s = await sharedFile(Buffer.from(await makeSamplePdf(3)), 'three.pdf', 'application/pdf', { watermark: false });
    const session = await apiToken(s.url);
    for (const page of [1, 1, 2, 1]) expect((await apiPage(session, s.doc.id, page)).status).toBe(200);
    for (const page of [1, 2, 3]) expect((await apiPage(session, s.doc.id, page, { width: 160 })).status).toBe(200);
    const events = await prisma().auditEvent.findMany({ where: { shareId: s.share.id, type: { startsWith: 'guest.view.' } }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.type, (e.details as { page?: number }).page ?? null])).toEqual([
      ['guest.view.page', 1], ['guest.view.page', 2], ['guest.view.thumbnails', null],
    ]);
    expect(events[0]).toMatchObject({ documentId: s.doc.id, ip: '198.51.100.10', outcome: 'success' });
    const views = await prisma().guestPageView.findMany({ where: { session: { shareId: s.share.id } }, orderBy: { page: 'asc' } });
    expect(views.map((v) => [v.page, v.views])).toEqual([[0, 3], [1, 3], [2, 1]]);
    // A second session is a second reader: its pages are audited again.
    const again = await apiToken(s.url);
    await apiPage(again, s.doc.id, 1);
    expect(await prisma().auditEvent.count({ where: { shareId: s.share.id, type: 'guest.view.page' } })).toBe(3);
  });

  it('images are shown as one page (watermarked when required); SVG, HTML and Office files are refused, never streamed', async () => {
    const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#2040a0' } }).png().toBuffer();
    const img = await sharedFile(png, 'photo.png', 'image/png', { watermark: true });
    const session = await apiToken(img.url);
    const res = await apiPage(session, img.doc.id, 1);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect((await sharp(await bytes(res)).metadata()).width).toBe(900); // never enlarged
    await expectRefusal(await apiPage(session, img.doc.id, 2), 404, 'not_found');

    const refused = [
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml'],
      [Buffer.from('<html><script>alert(1)</script></html>'), 'x.html', 'text/html'],
      [Buffer.from('PK\u0003\u0004 not really a docx'), 'x.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const;
    for (const [data, name, type] of refused) {
      const s = await sharedFile(data, name, type, { watermark: false });
      const res = await apiPage(await apiToken(s.url), s.doc.id, 1);
      expect(res.status, name).toBe(422);
      const body = await res.text();
      expect(body, name).not.toContain('<script>');
      expect(JSON.parse(body).error_description, name).toMatch(/cannot be shown/);
    }
  });

  it('a malformed or password-protected PDF gets a clear 422, not a 500', async () => {
    const broken = await sharedFile(Buffer.from('%PDF-1.7\nthis is not a pdf at all\n%%EOF'), 'broken.pdf', 'application/pdf', { watermark: false });
    const r1 = await apiPage(await apiToken(broken.url), broken.doc.id, 1);
    expect(r1.status).toBe(422);
    expect((await r1.json()).error_description).toMatch(/could not be read/);
    const { PDFDocument: Cantoo } = await import('@cantoo/pdf-lib');
    const doc = await Cantoo.load(tinyPdf('secret'));
    doc.encrypt({ userPassword: 'open-sesame', ownerPassword: 'owner' });
    const locked = await sharedFile(Buffer.from(await doc.save()), 'locked.pdf', 'application/pdf', { watermark: false });
    const r2 = await apiPage(await apiToken(locked.url), locked.doc.id, 1);
    expect(r2.status).toBe(422);
    expect((await r2.json()).error_description).toMatch(/password/);
  });
});

describe('every refusal on the page-image paths', () => {
  type P = 'api-page' | 'page';
  const hit = (path: P, s: { token: string; doc: { id: string } }, session: string | null, ip?: string, docId = s.doc.id) =>
    path === 'page' ? browserPage(s.token, docId, 1, session, { ip }) : apiPage(session, docId, 1, { ip });

  it.each(['api-page', 'page'] as const)('%s: revoked, expired, password changed, conditions, terms, other document', async (path) => {
    const s = await sharedPdf({ watermark: false, password: 'first-password' });
    const session = await apiToken(s.url, { password: 'first-password' });
    expect((await hit(path, s, session)).status).toBe(200);
    await expectRefusal(await hit(path, s, null), 401, 'invalid_token');
    const other = await sharedPdf();
    await expectRefusal(await hit(path, s, session, undefined, other.doc.id), 404, 'not_found');
    await updateShare(s.principal, s.share.id, { allowedIpRanges: ['192.0.2.0/24'] });
    await expectRefusal(await hit(path, s, session), 403, 'ip_denied');
    await updateShare(s.principal, s.share.id, { allowedIpRanges: [], allowedCountries: ['NL'] });
    await expectRefusal(await hit(path, s, session), 403, 'geo_denied');
    await updateShare(s.principal, s.share.id, { allowedCountries: [], allowedDevices: ['tablet'] });
    await expectRefusal(await hit(path, s, session), 403, 'device_denied');
    await updateShare(s.principal, s.share.id, { allowedDevices: [] });
    await updateShare(s.principal, s.share.id, { password: 'second-password' });
    await expectRefusal(await hit(path, s, session), 401, 'invalid_token');
    const fresh = await apiToken(s.url, { password: 'second-password' });
    await prisma().share.update({ where: { id: s.share.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    await expectRefusal(await hit(path, s, fresh), 401, 'invalid_token');
    const r = await sharedPdf();
    const rs = await apiToken(r.url);
    await revokeShare(r.principal, r.share.id);
    await expectRefusal(await hit(path, r, rs), 401, 'invalid_token');
    const denied = await prisma().auditEvent.findMany({ where: { shareId: s.share.id, type: 'guest.view', outcome: 'denied' }, select: { reason: true } });
    expect(denied.map((d) => d.reason)).toEqual(expect.arrayContaining(['not_found', 'ip_denied', 'geo_denied', 'device_denied', 'invalid_token', 'expired']));
  });
});

describe('TLP at serve time', () => {
  it('a TLP:RED version of a shared document is refused at upload, audited, and the document stays as it was', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    await expect(addVersion(s.principal, s.doc.id, fileFrom(tinyPdf('RED content'), 'red.pdf', 'application/pdf'), { tlp: 'RED' }, 1e7))
      .rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/1 active share.*TLP:RED.*TLP:AMBER/) });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { documentId: s.doc.id, type: 'document.version', outcome: 'denied' } });
    expect(ev).toMatchObject({ reason: 'tlp_above_share_ceiling', details: expect.objectContaining({ tlp: 'RED', shareIds: [s.share.id] }) });
    expect(await prisma().documentVersion.count({ where: { documentId: s.doc.id } })).toBe(1);
    // Once the share is revoked, the RED version may be added.
    await revokeShare(s.principal, s.share.id);
    await expect(addVersion(s.principal, s.doc.id, fileFrom(tinyPdf('RED content'), 'red.pdf', 'application/pdf'), { tlp: 'RED' }, 1e7)).resolves.toBeDefined();
  });

  it('a version above the ceiling that reached a shared document is never served, on any path', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const session = await apiToken(s.url);
    // As if a RED version slipped in (a share created at the same instant as the upload).
    const v = await prisma().documentVersion.findFirstOrThrow({ where: { documentId: s.doc.id } });
    await prisma().documentVersion.create({ data: { documentId: s.doc.id, number: 2, blobKey: 'f'.repeat(32), wrappedKey: v.wrappedKey, sha256: 'x', size: 1n, mediaType: 'application/pdf', fileName: 'red.pdf', tlp: 'RED' } });
    await expectRefusal(await apiPage(session, s.doc.id, 1), 403, 'tlp_denied');
    await expectRefusal(await browserPage(s.token, s.doc.id, 1, session), 403, 'tlp_denied');
    await expectRefusal(await apiContent(session, s.doc.id), 403, 'tlp_denied');
    await expectRefusal(await browserFile('download', s.token, s.doc.id, session), 403, 'tlp_denied');
    await expectRefusal(await apiDocument(session, s.doc.id), 403, 'tlp_denied');
    expect(await (await apiList(session)).json()).toEqual([]);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, reason: 'tlp_denied' } });
    expect(ev.details).toMatchObject({ tlp: 'RED' });
  });

  it('lowering the organisation ceiling stops serving what is now above it', async () => {
    const s = await sharedPdf({ watermark: false });
    const session = await apiToken(s.url);
    expect((await apiPage(session, s.doc.id, 1)).status).toBe(200);
    await prisma().organization.update({ where: { id: s.org.id }, data: { tlpCeiling: 'GREEN' } });
    await expectRefusal(await apiPage(session, s.doc.id, 1), 403, 'tlp_denied');
  });
});

describe('the gate shows nothing before the password', () => {
  it('password + terms + message: the password step carries no message, title, terms or expiry', async () => {
    const { guestLanding } = await import('../../lib/guest/landing');
    const { createTerms } = await import('../../lib/terms/service');
    const s = await sharedPdf({ password: 'tangerine-42', message: 'Board pack for Thursday' });
    const terms = await createTerms(s.principal, { title: 'NDA', body: 'Secret terms text' });
    await updateShare(s.principal, s.share.id, { termsVersionId: terms.id });
    const landing = await guestLanding(s.token, { ip: '198.51.100.10', userAgent: 'x', host: 'localhost' }, null);
    expect(landing).toEqual({ kind: 'gate', shareId: s.share.id, gate: { step: 'password', termsFollow: true } });
    expect(JSON.stringify(landing)).not.toMatch(/Board pack|Secret terms|Briefing|NDA/);
    // Wrong password: still nothing. Right password: a session, and only then the terms.
    expect((await browserOpen(s.token, { password: 'nope' })).location).toMatch(/error=invalid_password/);
    const ok = await browserOpen(s.token, { password: 'tangerine-42' });
    expect(ok.location).toBe(`/s/${s.token}`);
    expect(ok.cookie).toBeTruthy();
    const afterPassword = await guestLanding(s.token, { ip: '198.51.100.10', userAgent: 'x', host: 'localhost' }, ok.cookie);
    expect(afterPassword).toMatchObject({ kind: 'gate', gate: { step: 'terms', sessionOpen: true, terms: { id: terms.id, body: 'Secret terms text' } } });
    // That session opens nothing until the terms are accepted, on any path.
    await expectRefusal(await browserPage(s.token, s.doc.id, 1, ok.cookie), 403, 'terms_required');
    const { browserAcceptTerms } = await import('../helpers/guest');
    expect((await browserAcceptTerms(s.token, ok.cookie, { termsVersionId: 'other', accept: 'on' })).location).toMatch(/error=terms_required/);
    expect((await browserAcceptTerms(s.token, null, { termsVersionId: terms.id, accept: 'on' })).location).toMatch(/error=invalid_token/);
    expect((await browserAcceptTerms(s.token, ok.cookie, { termsVersionId: terms.id, accept: 'on' })).location).toBe(`/s/${s.token}`);
    const open = await guestLanding(s.token, { ip: '198.51.100.10', userAgent: 'x', host: 'localhost' }, ok.cookie);
    expect(open).toMatchObject({ kind: 'open', message: 'Board pack for Thursday' });
    expect((await browserPage(s.token, s.doc.id, 1, ok.cookie)).status).toBe(200);
    const acc = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, type: 'terms.accept' } });
    expect(acc.details).toMatchObject({ termsVersionId: terms.id });
  });

  it('the API never returns the terms text before the password', async () => {
    const { createTerms } = await import('../../lib/terms/service');
    const { apiOpen } = await import('../helpers/guest');
    const s = await sharedPdf({ password: 'tangerine-42' });
    const terms = await createTerms(s.principal, { title: 'NDA', body: 'Secret terms text' });
    await updateShare(s.principal, s.share.id, { termsVersionId: terms.id });
    const r = await apiOpen({ link: s.url });
    expect(r.res.status).toBe(401);
    expect(JSON.stringify(r.json)).not.toContain('Secret terms');
    const r2 = await apiOpen({ link: s.url, password: 'tangerine-42' });
    expect(r2.res.status).toBe(403);
    expect(JSON.stringify(r2.json)).toContain('Secret terms');
  });
});

describe('throttles hold under a burst', () => {
  it('100 parallel attempts on one share password: at most the limit checked, no 5xx, every attempt audited', async () => {
    const { apiOpen } = await import('../helpers/guest');
    const s = await sharedPdf({ password: 'correct-password' });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => apiOpen({ link: s.url, password: i === 50 ? 'correct-password' : `guess-${i}` }, '203.0.113.200')));
    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((x) => x >= 500)).toEqual([]);
    expect(statuses.every((x) => x === 401 || x === 429 || x === 201)).toBe(true);
    const events = await prisma().auditEvent.findMany({ where: { shareId: s.share.id, type: 'guest.session' } });
    expect(events.length).toBe(100);
    const checked = events.filter((e) => e.reason === 'invalid_password').length + events.filter((e) => e.outcome === 'success').length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(events.filter((e) => e.reason === 'rate_limited').length).toBeGreaterThanOrEqual(95);
    const verified = await (await import('../../lib/audit/verify')).verifyAuditChain(s.org.id);
    expect(verified.ok).toBe(true);
  });
});

describe('malformed ids at the guest edge', () => {
  const BAD = ['\u0000', 'a'.repeat(3000), '../../etc/passwd', 'doc\u202eevil', '\ud800', 'x y', '<script>'];
  it.each(BAD.map((b) => [JSON.stringify(b).slice(0, 30), b]))('%s: 404 on every route, audited truncated and escaped', async (_label, bad) => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const session = await apiToken(s.url);
    await expectRefusal(await apiContent(session, bad), 404, 'not_found');
    await expectRefusal(await apiPage(session, bad, 1), 404, 'not_found');
    await expectRefusal(await apiDocument(session, bad), 404, 'not_found');
    await expectRefusal(await browserFile('download', s.token, bad, session), 404, 'not_found');
    await expectRefusal(await browserPage(s.token, bad, 1, session), 404, 'not_found');
    const events = await prisma().auditEvent.findMany({ where: { shareId: s.share.id, reason: 'invalid_id' } });
    expect(events.length).toBe(5);
    for (const e of events) {
      expect(e.documentId).toBeNull();
      const v = (e.details as { documentId: string }).documentId;
      expect(v.length).toBeLessThanOrEqual(100);
      expect(v).not.toMatch(/[\u0000-\u001f\u007f-\uffff]/);
    }
  });
});

describe('the layout of an odd PDF', () => {
  it('reports each page size, rotated pages included', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 400]);
    doc.addPage([800, 300]);
    const s = await sharedFile(Buffer.from(await doc.save()), 'odd.pdf', 'application/pdf', { watermark: false });
    const session = await apiToken(s.url);
    const body = await (await apiDocument(session, s.doc.id)).json();
    expect(body.pageSizes).toEqual([{ width: 200, height: 400 }, { width: 800, height: 300 }]);
    const wide = await sharp(await bytes(await apiPage(session, s.doc.id, 2, { width: 800 }))).metadata();
    expect([wide.width, wide.height]).toEqual([800, 300]);
  });
});
