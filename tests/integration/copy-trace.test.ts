import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { addVersion } from '../../lib/documents/service';
import { findCopyCodes, formatCopyCode, newCopyCode, parseCopyCode } from '../../lib/copies/code';
import { traceCopies, type TraceResult } from '../../lib/copies/trace';
import { handleGraphql } from '../../lib/graphql/yoga';
import { POST as traceRoute } from '../../app/api/v1/copies/trace/route';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { apiContent, apiPage, apiToken, browserFile, browserOpen, browserPage, sharedPdf } from '../helpers/guest';
import { pdfPageTexts } from '../helpers/pdf-text';
import { consoleSession } from '../helpers/console-session';
import { codeIn, mailsTo } from '../helpers/guest-identity';
import { startSmtp } from '../helpers/smtp';
import { grant, portalCode, portalDownload, portalFixture, portalOpen, portalPage, settlePortalCodes } from '../helpers/portal';

const bytes = async (res: Response) => {
  expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

/** What pdfjs reads from a PDF's Info dictionary (the copy's Keywords and LiaisonCopy entry). */
async function pdfKeywords(pdf: Buffer): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 });
  const doc = await task.promise;
  try {
    const info = (await doc.getMetadata()).info as { Keywords?: string; Custom?: { LiaisonCopy?: string } };
    return `${info.Keywords ?? ''} | ${info.Custom?.LiaisonCopy ?? ''}`;
  } finally {
    await task.destroy();
  }
}

/** The copy code a page image carries in its metadata (XMP in an iTXt chunk, and a tEXt comment). */
async function imageCodes(png: Buffer): Promise<string[]> {
  const m = await sharp(png).metadata();
  return findCopyCodes([m.xmp?.toString('utf8') ?? '', ...(m.comments ?? []).map((c) => c.text)].join('\n'));
}

const traceFile = (p: Parameters<typeof traceCopies>[0], file: Buffer) => traceCopies(p, { file: { bytes: file, fileName: 'leak' } });

function only(r: TraceResult) {
  expect(r.results).toHaveLength(1);
  const [one] = r.results;
  if (!one.found) throw new Error(`copy ${one.code} not found`);
  return one.chain;
}

describe('copy codes', () => {
  it('are 10 Crockford characters with a check character, read back however they are typed', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const c = newCopyCode();
      expect(c).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{10}$/);
      expect(parseCopyCode(formatCopyCode(c).toLowerCase())).toBe(c);
      seen.add(c);
    }
    expect(seen.size).toBe(2000);
    const c = newCopyCode();
    // O for 0 and I/L for 1, as people misread them.
    expect(parseCopyCode(c.replace(/0/g, 'o').replace(/1/g, 'l'))).toBe(c);
  });

  it('refuse every single-character change and most neighbour swaps (check character)', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let swapsCaught = 0;
    let swaps = 0;
    for (let n = 0; n < 200; n++) {
      const c = newCopyCode();
      for (let i = 0; i < 10; i++) {
        for (const ch of alphabet) {
          if (ch === c[i]) continue;
          expect(parseCopyCode(c.slice(0, i) + ch + c.slice(i + 1))).toBeNull();
        }
        if (i < 9 && c[i] !== c[i + 1]) {
          swaps++;
          if (parseCopyCode(c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2)) === null) swapsCaught++;
        }
      }
    }
    expect(swapsCaught / swaps).toBeGreaterThan(0.9);
    expect(parseCopyCode('ABCDE')).toBeNull();
    expect(parseCopyCode('UUUUU-UUUUU')).toBeNull();
  });
});

describe('every release carries its copy code, and the code traces back to the release', () => {
  it('a guest downloads a watermarked PDF and views page images: code in text and metadata, traced to guest, session, IP and version', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: true }, 'Merger terms');
    const { principal: admin } = await createStaff(s.org.id, 'ADMIN');
    const session = await apiToken(s.url, {}, '198.51.100.44');
    const pdf = await bytes(await apiContent(session, s.doc.id, '198.51.100.44'));

    // The code is in the visible watermark line and in the Info dictionary.
    const texts = (await pdfPageTexts(pdf)).join('\n');
    const inText = findCopyCodes(texts);
    expect(inText).toHaveLength(1);
    const code = inText[0];
    expect(texts).toContain(`copy ${formatCopyCode(code)}`);
    expect(await pdfKeywords(pdf)).toBe(`liaison-copy:${formatCopyCode(code)} | ${formatCopyCode(code)}`);

    const rec = await prisma().copyRecord.findUniqueOrThrow({ where: { code } });
    const sessionRow = await prisma().guestSession.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(rec).toMatchObject({
      orgId: s.org.id, kind: 'download', shareId: s.share.id, sessionId: sessionRow.id, ip: '198.51.100.44', documentId: s.doc.id,
      versionNumber: 1, watermarked: true, codeEmbedded: true, page: null, guestId: sessionRow.guestId,
    });
    // The release's audit event names the code.
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'guest.download' } });
    expect((ev.details as { copyCode?: string }).copyCode).toBe(code);

    // A new version afterwards: the leaked copy still traces to version 1.
    await addVersion(s.principal, s.doc.id, fileFrom(tinyPdf('Merger terms v2'), 'briefing.pdf', 'application/pdf'), { tlp: 'AMBER' }, 1e7);

    const traced = only(await traceFile(admin, pdf));
    expect(traced.copy).toMatchObject({ kind: 'download', ip: '198.51.100.44', watermarked: true, codeEmbedded: true, page: null });
    expect(traced.document).toMatchObject({ id: s.doc.id, versionNumber: 1, versionId: rec.versionId, title: 'Briefing' });
    expect(traced.grant).toMatchObject({ kind: 'share', shareId: s.share.id, exists: true, state: 'ACTIVE' });
    expect(traced.session).toMatchObject({ id: sessionRow.id, exists: true, openedFromIp: '198.51.100.44' });
    expect(traced.guest.id).toBe(sessionRow.guestId);
    expect(traced.events.map((e) => e.type)).toEqual(['guest.download']);

    // Page images: one code per session and page, in the PNG's metadata (and drawn in the mark).
    const p1 = await bytes(await apiPage(session, s.doc.id, 1, { ip: '198.51.100.44', width: 800 }));
    const [pageCode] = await imageCodes(p1);
    expect(pageCode).toBeTruthy();
    expect(pageCode).not.toBe(code);
    const again = await bytes(await apiPage(session, s.doc.id, 1, { ip: '198.51.100.45', width: 800 }));
    expect(await imageCodes(again)).toEqual([pageCode]);
    const pageRec = await prisma().copyRecord.findUniqueOrThrow({ where: { code: pageCode } });
    expect(pageRec).toMatchObject({ kind: 'page_image', page: 1, releases: 2, ip: '198.51.100.44', lastIp: '198.51.100.45', sessionId: sessionRow.id });
    // The version served to this session's viewer is now v2: the page record names it.
    expect(pageRec.versionNumber).toBe(2);

    const tracedPage = only(await traceFile(admin, p1));
    expect(tracedPage.copy).toMatchObject({ kind: 'page_image', page: 1, releases: 2, ip: '198.51.100.44', lastIp: '198.51.100.45' });
    expect(tracedPage.session.id).toBe(sessionRow.id);
    expect(tracedPage.document.versionNumber).toBe(2);
    expect(tracedPage.events.map((e) => e.type)).toEqual(['guest.view.page']);

    // A JPEG or WebP made from the page keeps the code only if its metadata was kept; sharp keeps XMP on request.
    const asJpeg = await sharp(p1).keepXmp().jpeg().toBuffer();
    expect(only(await traceFile(admin, asJpeg)).copy.page).toBe(1);
    const asWebp = await sharp(p1).keepXmp().webp().toBuffer();
    expect(only(await traceFile(admin, asWebp)).session.id).toBe(sessionRow.id);
  });

  it('never serves one recipient\'s code to another: per session and page, whatever the caches hold', async () => {
    const s = await sharedPdf({ watermark: true });
    const a = await apiToken(s.url, {}, '198.51.100.50');
    const b = await apiToken(s.url, {}, '198.51.100.51');
    const [ca] = await imageCodes(await bytes(await apiPage(a, s.doc.id, 1, { ip: '198.51.100.50' })));
    const [cb] = await imageCodes(await bytes(await apiPage(b, s.doc.id, 1, { ip: '198.51.100.51' })));
    // The same page at another width (thumbnail) on the same session: the same code.
    const [ca2] = await imageCodes(await bytes(await apiPage(a, s.doc.id, 1, { ip: '198.51.100.50', width: 160 })));
    expect(ca).not.toBe(cb);
    expect(ca2).toBe(ca);
    const ra = await prisma().copyRecord.findUniqueOrThrow({ where: { code: ca } });
    const rb = await prisma().copyRecord.findUniqueOrThrow({ where: { code: cb } });
    expect(ra.sessionId).not.toBe(rb.sessionId);
    expect([ra.ip, rb.ip]).toEqual(['198.51.100.50', '198.51.100.51']);
  });

  it('an unwatermarked PDF carries the code in its metadata only (streamed copy); a print-disabled copy carries it in metadata', async () => {
    const plain = await sharedPdf({ allowDownload: true, watermark: false, allowPrint: true });
    const t = await apiToken(plain.url);
    const original = await bytes(await apiContent(t, plain.doc.id));
    expect(findCopyCodes((await pdfPageTexts(original)).join('\n'))).toEqual([]);
    const rec = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: plain.share.id } });
    expect(rec).toMatchObject({ kind: 'download', watermarked: false, codeEmbedded: true });
    expect(await pdfKeywords(original)).toContain(formatCopyCode(rec.code));
    // (A PDF the streaming writer cannot index is still released unchanged: tests/integration/fast-watermark-download.test.ts.)

    const restricted = await sharedPdf({ allowDownload: true, watermark: false, allowPrint: false });
    const t2 = await apiToken(restricted.url);
    const copy = await bytes(await apiContent(t2, restricted.doc.id));
    const r2 = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: restricted.share.id } });
    expect(r2).toMatchObject({ watermarked: false, codeEmbedded: true });
    // Encrypted (print disabled, empty user password): pdfjs opens it as a reader would.
    expect(await pdfKeywords(copy)).toContain(formatCopyCode(r2.code));
    const { principal: auditor } = await createStaff(restricted.org.id, 'AUDITOR');
    const traced = await traceFile(auditor, copy);
    expect(traced.results).toEqual([expect.objectContaining({ code: r2.code, source: 'pdf_metadata', found: true })]);
  });
});

/** Makes the database refuse every audit event of one organisation (as tests/integration/audit-failure.test.ts). */
async function refuseAuditsOf(orgId: string): Promise<() => Promise<void>> {
  const fn = `test_copy_refuse_${newCopyCode().toLowerCase()}`;
  await prisma().$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN
    IF NEW."orgId" = '${orgId}' THEN RAISE EXCEPTION 'refusing audit events of this organisation'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await prisma().$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
  return async () => {
    await prisma().$executeRawUnsafe(`DROP TRIGGER ${fn} ON "AuditEvent"`);
    await prisma().$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
  };
}

describe('a release that cannot be audited leaves no copy record', () => {
  it('download and page image: 503, nothing released, no record; once the audit works, both are recorded', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: true });
    const token = await apiToken(s.url);
    const restore = await refuseAuditsOf(s.org.id);
    let download: Response;
    let page: Response;
    try {
      download = await apiContent(token, s.doc.id);
      page = await apiPage(token, s.doc.id, 1);
    } finally {
      await restore();
    }
    expect([download.status, page.status]).toEqual([503, 503]);
    expect(await prisma().copyRecord.count({ where: { orgId: s.org.id } })).toBe(0);
    await bytes(await apiContent(token, s.doc.id));
    await bytes(await apiPage(token, s.doc.id, 1));
    expect((await prisma().copyRecord.findMany({ where: { orgId: s.org.id }, orderBy: { createdAt: 'asc' } })).map((r) => r.kind)).toEqual(['download', 'page_image']);
  });
});

describe('release paths', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
  afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });

  /**
   * Every route that releases a document's bytes to a guest, exercised: each answer carries a code that
   * traces to its own copy record. tests/unit/copy-release-paths.test.ts keeps this list complete.
   */
  it('share browser and API, portal browser and API: downloads and page images all carry a traceable code', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: true });
    const opened = await browserOpen(s.token, {});
    expect(opened.cookie).toBeTruthy();
    const token = await apiToken(s.url);

    const f = await portalFixture();
    const g = await grant(f.portal.id, f.org.id, { emails: ['bo@partner.example'], allowDownload: true, watermark: true });
    const r = await portalCode(f.portal.slug, 'bo@partner.example', '192.0.2.30');
    expect(r.res.status).toBe(202);
    await settlePortalCodes(f.org.id);
    const code = codeIn(mailsTo(smtp, 'bo@partner.example').at(-1)!.parsed.text);
    const portalApi = await portalOpen({ portal: f.portal.slug, email: 'bo@partner.example', code }, '192.0.2.30');
    expect(portalApi.res.status).toBe(201);
    const portalToken = portalApi.json.access_token as string;
    // The browser's portal cookie holds the same kind of token.
    const portalCookie = portalToken;

    const paths: Array<[string, () => Promise<Response>, 'pdf' | 'png', string]> = [
      ['GET /s/<link>/d/<doc>/download', () => browserFile('download', s.token, s.doc.id, opened.cookie), 'pdf', s.org.id],
      ['GET /s/<link>/d/<doc>/pages/<n>', () => browserPage(s.token, s.doc.id, 1, opened.cookie), 'png', s.org.id],
      ['GET /api/portal/v1/documents/<doc>/content (share token)', () => apiContent(token, s.doc.id), 'pdf', s.org.id],
      ['GET /api/portal/v1/documents/<doc>/pages/<n> (share token)', () => apiPage(token, s.doc.id, 1), 'png', s.org.id],
      ['GET /p/<slug>/d/<doc>/download', () => portalDownload(f.portal.slug, f.docA.id, portalCookie, '192.0.2.30'), 'pdf', f.org.id],
      ['GET /p/<slug>/d/<doc>/pages/<n>', () => portalPage(f.portal.slug, f.docA.id, 1, portalCookie, '192.0.2.30'), 'png', f.org.id],
      ['GET /api/portal/v1/documents/<doc>/content (portal token)', () => apiContent(portalToken, f.docB.id, '192.0.2.30'), 'pdf', f.org.id],
      ['GET /api/portal/v1/documents/<doc>/pages/<n> (portal token)', () => apiPage(portalToken, f.docB.id, 1, { ip: '192.0.2.30' }), 'png', f.org.id],
    ];
    const codes = new Set<string>();
    for (const [name, call, kind, orgId] of paths) {
      const body = await bytes(await call());
      const found = kind === 'pdf'
        ? findCopyCodes((await pdfPageTexts(body)).join('\n'))
        : await imageCodes(body);
      expect(found, name).toHaveLength(1);
      const rec = await prisma().copyRecord.findUnique({ where: { code: found[0] } });
      expect(rec, name).toMatchObject({ orgId, kind: kind === 'pdf' ? 'download' : 'page_image', codeEmbedded: true, watermarked: true });
      if (orgId === f.org.id) expect(rec, name).toMatchObject({ portalId: f.portal.id, grantIds: [g.id], shareId: null, guestEmail: 'bo@partner.example' });
      codes.add(found[0]);
    }
    // The browser page and the API page of the same share are different sessions: different codes.
    expect(codes.size).toBe(paths.length);
    const { principal: admin } = await createStaff(f.org.id, 'ADMIN');
    const pdf = await bytes(await portalDownload(f.portal.slug, f.docA.id, portalCookie, '192.0.2.30'));
    const chain = only(await traceFile(admin, pdf));
    expect(chain.grant).toEqual({ kind: 'portal', portalId: f.portal.id, portalName: 'Acme Counsel Portal', portalSlug: f.portal.slug, grants: [{ id: g.id, exists: true, state: 'ACTIVE' }] });
    expect(chain.guest.email).toBe('bo@partner.example');
  });
});

describe('tracing', () => {
  it('an unknown code says so; another organisation\'s code looks exactly like an unknown one; forged codes are refused', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: true });
    const t = await apiToken(s.url);
    const pdf = await bytes(await apiContent(t, s.doc.id));
    const [code] = findCopyCodes((await pdfPageTexts(pdf)).join('\n'));

    const other = await createOrg('Other Org');
    const { principal: otherAdmin } = await createStaff(other.id, 'ADMIN');
    const unknown = newCopyCode();
    const viaOther = await traceCopies(otherAdmin, { code: formatCopyCode(code) });
    const viaUnknown = await traceCopies(otherAdmin, { code: formatCopyCode(unknown) });
    expect(viaOther).toEqual({ input: 'code', invalidCode: false, file: null, results: [{ code, source: 'typed', found: false }] });
    expect(JSON.stringify(viaOther).replace(code, 'X')).toBe(JSON.stringify(viaUnknown).replace(unknown, 'X'));
    // The leaked file itself, traced by the other organisation: the code is read, and not found.
    const fileOther = await traceFile(otherAdmin, pdf);
    expect(fileOther.results).toEqual([{ code, source: 'pdf_metadata', found: false }]);

    // A forged code: one character changed fails the check character before any lookup.
    const forged = code.slice(0, 3) + (code[3] === 'A' ? 'B' : 'A') + code.slice(4);
    const { principal: admin } = await createStaff(s.org.id, 'ADMIN');
    expect(await traceCopies(admin, { code: forged })).toEqual({ input: 'code', invalidCode: true, file: null, results: [] });
    // The owner finds it, typed any way.
    expect(only(await traceCopies(admin, { code: ` ${formatCopyCode(code).toLowerCase()} ` })).grant).toMatchObject({ shareId: s.share.id });

    // Every trace is audited in the tracing organisation, with what was found; the owner learns nothing of the other's traces.
    const otherEvents = await prisma().auditEvent.findMany({ where: { orgId: other.id, type: 'copy.trace' }, orderBy: { seq: 'asc' } });
    expect(otherEvents.map((e) => (e.details as { codes: Array<{ found: boolean }> }).codes)).toEqual([
      [{ code: formatCopyCode(code), source: 'typed', found: false }],
      [{ code: formatCopyCode(unknown), source: 'typed', found: false }],
      [{ code: formatCopyCode(code), source: 'pdf_metadata', found: false }],
    ]);
    const own = await prisma().auditEvent.findMany({ where: { orgId: s.org.id, type: 'copy.trace' }, orderBy: { seq: 'asc' } });
    expect(own.map((e) => [e.outcome, e.reason, e.actor, e.documentId])).toEqual([
      ['failure', 'invalid_code', admin.kind === 'staff' ? admin.email : '', null],
      ['success', null, admin.kind === 'staff' ? admin.email : '', s.doc.id],
    ]);
  });

  it('is for admins and auditors only, and refuses files it cannot read', async () => {
    const s = await sharedPdf({ allowDownload: true });
    const { principal: member } = await createStaff(s.org.id, 'MEMBER');
    await expect(traceCopies(member, { code: newCopyCode() })).rejects.toMatchObject({ code: 'forbidden' });
    const { principal: auditor } = await createStaff(s.org.id, 'AUDITOR');
    await expect(traceFile(auditor, Buffer.from('just some text'))).rejects.toMatchObject({ code: 'unsupported_media_type' });
    await expect(traceFile(auditor, Buffer.from('%PDF-1.7\n garbage'))).rejects.toMatchObject({ code: 'unprocessable' });
    await expect(traceCopies(auditor, { code: '' })).rejects.toThrow('Enter a copy code.');
    // A PDF without any code: read, nothing found.
    const blank = await PDFDocument.create();
    blank.addPage();
    const clean = Buffer.from(await blank.save());
    expect(await traceFile(auditor, clean)).toMatchObject({ input: 'file', file: { type: 'pdf' }, results: [] });
    const events = await prisma().auditEvent.findMany({ where: { orgId: s.org.id, type: 'copy.trace' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.outcome, e.reason])).toEqual([
      ['failure', 'unsupported_media_type'], ['failure', 'unprocessable'], ['success', null],
    ]);
  });

  it('the REST route and the GraphQL query call the same function', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: true });
    const t = await apiToken(s.url);
    const pdf = await bytes(await apiContent(t, s.doc.id));
    const [code] = findCopyCodes((await pdfPageTexts(pdf)).join('\n'));
    const key = (await issueApiKey({ orgId: s.org.id, name: 'trace', scopes: ['audit:read'], actor: null })).key;
    const ctx = { params: Promise.resolve({}) };
    const url = 'http://liaison.test/api/v1/copies/trace';

    const byCode = await traceRoute(new Request(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ code }) }), ctx);
    expect(byCode.status).toBe(200);
    expect((await byCode.json()).results[0]).toMatchObject({ found: true, chain: { grant: { shareId: s.share.id } } });

    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'leak.pdf');
    const byFile = await traceRoute(new Request(url, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form }), ctx);
    expect(byFile.status).toBe(200);
    expect((await byFile.json()).results[0]).toMatchObject({ code, found: true });

    const text = new FormData();
    text.set('file', new Blob(['hello']), 'a.txt');
    const refused = await traceRoute(new Request(url, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: text }), ctx);
    expect([refused.status, (await refused.json()).error]).toEqual([415, 'unsupported_media_type']);

    const noScope = (await issueApiKey({ orgId: s.org.id, name: 'docs', scopes: ['documents:read'], actor: null })).key;
    const denied = await traceRoute(new Request(url, { method: 'POST', headers: { authorization: `Bearer ${noScope}`, 'content-type': 'application/json' }, body: JSON.stringify({ code }) }), ctx);
    expect([denied.status, (await denied.json()).error]).toEqual([403, 'insufficient_scope']);
    expect((await traceRoute(new Request(url, { method: 'POST', body: '{}' }), ctx)).status).toBe(401);

    // The console's cookie is accepted from our own pages only.
    const { user } = await createStaff(s.org.id, 'AUDITOR');
    const cookie = (await consoleSession(user)).cookie;
    const cross = await traceRoute(new Request(url, { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ code }) }), ctx);
    expect(cross.status).toBe(403);

    const gql = await handleGraphql(new Request('http://liaison.test/api/graphql', {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'mutation($c: String!) { traceCopy(code: $c) { invalidCode results { code source found chain { kind versionNumber guestIdentity sessionId grant { kind shareId } events { type } } } } }', variables: { c: code } }),
    }));
    const body = await gql.json() as { data: { traceCopy: { invalidCode: boolean; results: Array<Record<string, unknown>> } } };
    expect(body.data.traceCopy).toMatchObject({ invalidCode: false, results: [{ code: formatCopyCode(code), source: 'typed', found: true, chain: { kind: 'download', versionNumber: 1, grant: { kind: 'share', shareId: s.share.id }, events: [{ type: 'guest.download' }] } }] });
    const other = await createOrg();
    const otherKey = (await issueApiKey({ orgId: other.id, name: 't', scopes: ['audit:read'], actor: null })).key;
    const gqlOther = await handleGraphql(new Request('http://liaison.test/api/graphql', {
      method: 'POST', headers: { authorization: `Bearer ${otherKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'mutation($c: String!) { traceCopy(code: $c) { results { found chain { sessionId } } } }', variables: { c: code } }),
    }));
    expect((await gqlOther.json()).data.traceCopy.results).toEqual([{ found: false, chain: null }]);
  });
});
