import crypto from 'node:crypto';
import sharp from 'sharp';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { formatCopyCode } from '../../lib/copies/code';
import { readCodesFromFile } from '../../lib/copies/read-file';
import { traceCopies } from '../../lib/copies/trace';
import { handleGraphql } from '../../lib/graphql/yoga';
import { issueApiKey } from '../../lib/auth/api-keys';
import { createOrg, createStaff, fileFrom } from '../helpers/factory';
import { CONTENT_LENGTH_HEADER } from '../../lib/http/content-length';
import { apiContent, apiToken, browserFile, browserOpen } from '../helpers/guest';

/**
 * Originals released without a watermark (not PDFs) carry their copy code in their metadata, through
 * every download route (the guest API and the browser link; portal downloads share openGuestDownload and
 * are run in copy-trace.test.ts): read back by the trace, and the copy still opens as the original did.
 */

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DOCUMENT_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Settlement terms: privileged</w:t></w:r></w:p></w:body></w:document>';

/** A minimal valid Word document: content types, package relationships, the main part and core properties. */
function minimalDocx(opts: { core?: boolean } = {}): Buffer {
  const core = opts.core ?? true;
  return Buffer.from(zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
      + `<Override PartName="/word/document.xml" ContentType="${DOCX_MAIN}.main+xml"/>`
      + (core ? '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' : '')
      + '</Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
      + (core ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' : '')
      + '</Relationships>'),
    'word/document.xml': strToU8(DOCUMENT_XML),
    ...(core ? {
      'docProps/core.xml': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        + '<dc:title>Settlement</dc:title><cp:keywords>settlement; draft</cp:keywords></cp:coreProperties>'),
    } : {}),
  }));
}

const picture = () => sharp({ create: { width: 320, height: 240, channels: 3, background: '#2a5d8f' } });

async function sharedFile(bytes: Buffer, fileName: string, mediaType: string, share: Partial<CreateShareInput> = {}) {
  const org = await createOrg();
  const { principal } = await createStaff(org.id, 'MEMBER');
  const doc = await createDocument(principal, fileFrom(bytes, fileName, mediaType), { title: fileName, tlp: 'AMBER' }, 1e8);
  const created = await createShare(principal, { documentIds: [doc.id], allowDownload: true, allowPrint: true, watermark: false, ...share } as CreateShareInput);
  return { org, principal, doc, ...created };
}

async function body(res: Response): Promise<Buffer> {
  expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
  const b = Buffer.from(await res.arrayBuffer());
  // Content-Length (set by server.ts from this header) names the released bytes, not the original's size.
  expect(Number(res.headers.get(CONTENT_LENGTH_HEADER))).toBe(b.length);
  return b;
}

type Route = 'api' | 'browser';

async function download(s: Awaited<ReturnType<typeof sharedFile>>, route: Route, ip: string) {
  if (route === 'api') return body(await apiContent(await apiToken(s.url, {}, ip), s.doc.id, ip));
  const opened = await browserOpen(s.token, {}, ip);
  expect(opened.cookie).toBeTruthy();
  return body(await browserFile('download', s.token, s.doc.id, opened.cookie, ip));
}

/** The one download event of the share, with its details. */
async function downloadEvent(orgId: string) {
  const [ev, ...more] = await prisma().auditEvent.findMany({ where: { orgId, type: 'guest.download' } });
  expect(more).toHaveLength(0);
  return ev.details as Record<string, unknown>;
}

/** Downloads, reads the code back from the bytes, checks record, audit event and trace; returns the copy. */
async function releasedAndTraced(s: Awaited<ReturnType<typeof sharedFile>>, original: Buffer, route: Route, expected: { fileType: string; source: string; codeIn: string }) {
  const ip = route === 'api' ? '198.51.100.61' : '198.51.100.62';
  const copy = await download(s, route, ip);
  expect(copy.equals(original)).toBe(false);
  const read = await readCodesFromFile(copy);
  expect(read.fileType).toBe(expected.fileType);
  expect(read.found).toHaveLength(1);
  const [{ code, source }] = read.found;
  expect(source).toBe(expected.source);

  const rec = await prisma().copyRecord.findUniqueOrThrow({ where: { code } });
  const session = await prisma().guestSession.findFirstOrThrow({ where: { shareId: s.share.id } });
  expect(rec).toMatchObject({ kind: 'download', shareId: s.share.id, sessionId: session.id, ip, documentId: s.doc.id, versionNumber: 1, watermarked: false, codeEmbedded: true });

  const details = await downloadEvent(s.org.id);
  expect(details).toMatchObject({ copyCode: code, sha256: sha256(original), copySha256: sha256(copy), copySize: copy.length, codeEmbedded: true, codeIn: expected.codeIn });

  const { principal: admin } = await createStaff(s.org.id, 'ADMIN');
  const traced = await traceCopies(admin, { file: { bytes: copy, fileName: 'leaked' } });
  expect(traced.file?.type).toBe(expected.fileType);
  expect(traced.results).toHaveLength(1);
  const [one] = traced.results;
  if (!one.found) throw new Error('not found');
  expect(one.chain.copy).toMatchObject({ kind: 'download', codeEmbedded: true, watermarked: false, ip });
  expect(one.chain.document).toMatchObject({ id: s.doc.id, versionNumber: 1, versionId: rec.versionId });
  expect(one.chain.grant).toMatchObject({ kind: 'share', shareId: s.share.id });
  expect(one.chain.session.id).toBe(session.id);
  expect(one.chain.guest.id).toBe(session.guestId);
  return { copy, code };
}

describe('originals that are not PDFs carry their copy code in their metadata', () => {
  for (const route of ['api', 'browser'] as const) {
    it(`JPEG (${route}): XMP and comment segments, same picture`, async () => {
      const original = await picture().withMetadata({ exif: { IFD0: { Copyright: 'Firm' } } }).jpeg({ quality: 80 }).toBuffer();
      const s = await sharedFile(original, 'scene.jpg', 'image/jpeg');
      const { copy } = await releasedAndTraced(s, original, route, { fileType: 'jpeg', source: 'image_metadata', codeIn: 'jpeg_metadata' });
      const [a, b] = await Promise.all([sharp(copy).raw().toBuffer({ resolveWithObject: true }), sharp(original).raw().toBuffer({ resolveWithObject: true })]);
      expect([a.info.width, a.info.height]).toEqual([320, 240]);
      // Not re-encoded: the same pixels, and the original's EXIF kept in its place.
      expect(a.data.equals(b.data)).toBe(true);
      expect((await sharp(copy).metadata()).exif?.equals((await sharp(original).metadata()).exif!)).toBe(true);
    });

    it(`PNG (${route}): iTXt and tEXt chunks, same picture`, async () => {
      const original = await picture().png().toBuffer();
      const s = await sharedFile(original, 'chart.png', 'image/png');
      const { copy } = await releasedAndTraced(s, original, route, { fileType: 'png', source: 'image_metadata', codeIn: 'png_metadata' });
      const [a, b] = await Promise.all([sharp(copy).raw().toBuffer({ resolveWithObject: true }), sharp(original).raw().toBuffer({ resolveWithObject: true })]);
      expect([a.info.width, a.info.height]).toEqual([320, 240]);
      expect(a.data.equals(b.data)).toBe(true);
    });

    it(`DOCX (${route}): LiaisonCopy custom property and core keywords, document part unchanged`, async () => {
      const original = minimalDocx();
      const s = await sharedFile(original, 'terms.docx', DOCX_MAIN);
      const { copy, code } = await releasedAndTraced(s, original, route, { fileType: 'docx', source: 'office_metadata', codeIn: 'office_properties' });
      const parts = unzipSync(copy);
      expect(Buffer.from(parts['word/document.xml']).toString('utf8')).toBe(DOCUMENT_XML);
      const custom = Buffer.from(parts['docProps/custom.xml']).toString('utf8');
      expect(custom).toContain(`name="LiaisonCopy"><vt:lpwstr>${formatCopyCode(code)}</vt:lpwstr>`);
      expect(Buffer.from(parts['docProps/core.xml']).toString('utf8')).toContain(`<cp:keywords>settlement; draft liaison-copy:${formatCopyCode(code)}</cp:keywords>`);
      expect(Buffer.from(parts['[Content_Types].xml']).toString('utf8')).toContain('<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>');
      expect(Buffer.from(parts['_rels/.rels']).toString('utf8')).toContain('Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"');
    });
  }

  it('WebP, lossy and lossless: an XMP chunk flagged in VP8X, same picture', async () => {
    for (const lossless of [false, true]) {
      const original = await picture().webp({ lossless }).toBuffer();
      const s = await sharedFile(original, 'scan.webp', 'image/webp');
      const { copy } = await releasedAndTraced(s, original, 'api', { fileType: 'webp', source: 'image_metadata', codeIn: 'webp_metadata' });
      const [a, b] = await Promise.all([sharp(copy).raw().toBuffer({ resolveWithObject: true }), sharp(original).raw().toBuffer({ resolveWithObject: true })]);
      expect([a.info.width, a.info.height]).toEqual([320, 240]);
      expect(a.data.equals(b.data)).toBe(true);
    }
  });

  it('a JPEG and a DOCX over 1 MB (streamed and read whole): coded, Content-Length and hash right', async () => {
    // Noise does not compress: a JPEG of about 2 MB, released as a stream with only its head held.
    const noisy = await sharp({ create: { width: 1400, height: 1400, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .jpeg({ quality: 95 }).toBuffer();
    expect(noisy.length).toBeGreaterThan(1024 * 1024);
    const s = await sharedFile(noisy, 'big.jpg', 'image/jpeg');
    const { copy } = await releasedAndTraced(s, noisy, 'api', { fileType: 'jpeg', source: 'image_metadata', codeIn: 'jpeg_metadata' });
    expect((await sharp(copy).metadata()).width).toBe(1400);

    const big = Buffer.from(zipSync({ ...unzipSync(minimalDocx()), 'word/media/image1.png': [new Uint8Array(crypto.randomBytes(1_500_000)), { level: 0 }] }));
    const d = await sharedFile(big, 'big.docx', 'application/octet-stream');
    const { copy: docCopy } = await releasedAndTraced(d, big, 'browser', { fileType: 'docx', source: 'office_metadata', codeIn: 'office_properties' });
    expect(Buffer.from(unzipSync(docCopy)['word/media/image1.png']).equals(Buffer.from(unzipSync(big)['word/media/image1.png']))).toBe(true);
  });

  it('traceCopy (GraphQL) finds the code read from a released DOCX, with its guest, share and version', async () => {
    const s = await sharedFile(minimalDocx({ core: false }), 'memo.docx', DOCX_MAIN);
    const copy = await download(s, 'api', '198.51.100.63');
    const [{ code }] = (await readCodesFromFile(copy)).found;
    const key = (await issueApiKey({ orgId: s.org.id, name: 'trace', scopes: ['audit:read'], actor: null })).key;
    const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'mutation($c: String!) { traceCopy(code: $c) { results { found chain { kind versionNumber guestId sessionId codeEmbedded grant { kind shareId } } } } }', variables: { c: code } }),
    }));
    const session = await prisma().guestSession.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect((await res.json()).data.traceCopy.results).toEqual([{ found: true, chain: { kind: 'download', versionNumber: 1, guestId: session.guestId, sessionId: session.id, codeEmbedded: true, grant: { kind: 'share', shareId: s.share.id } } }]);
  });
});

describe('files that cannot carry a code are released as stored, and say so', () => {
  it('a malformed .docx: 200 with the stored bytes, recorded and audited as not carrying the code', async () => {
    const good = minimalDocx();
    // Damage the first entry's compressed data: the directory still reads, the CRC no longer matches.
    const broken = Buffer.from(good);
    broken[30 + '[Content_Types].xml'.length + 10] ^= 0xff;
    for (const [bytes, reason] of [[broken, 'malformed_zip'], [Buffer.from('PK\u0003\u0004 not really a zip'), 'malformed_zip']] as const) {
      const s = await sharedFile(bytes, 'broken.docx', DOCX_MAIN);
      for (const route of ['api', 'browser'] as const) {
        const copy = await download(s, route, '198.51.100.64');
        expect(copy.equals(bytes)).toBe(true);
      }
      const recs = await prisma().copyRecord.findMany({ where: { shareId: s.share.id } });
      expect(recs.map((r) => r.codeEmbedded)).toEqual([false, false]);
      const events = await prisma().auditEvent.findMany({ where: { orgId: s.org.id, type: 'guest.download' } });
      for (const e of events) {
        expect(e.details).toMatchObject({ sha256: sha256(bytes), codeEmbedded: false, codeNotEmbedded: reason });
        expect(e.details).not.toHaveProperty('copySha256');
      }
    }
  });

  it('a text file is released byte-identical with codeEmbedded=false', async () => {
    const text = Buffer.from('Witness list\nA. Person\nB. Person\n');
    const s = await sharedFile(text, 'witnesses.txt', 'text/plain');
    const copy = await download(s, 'api', '198.51.100.65');
    expect(copy.equals(text)).toBe(true);
    const rec = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(rec).toMatchObject({ codeEmbedded: false, watermarked: false });
    expect(await downloadEvent(s.org.id)).toMatchObject({ codeEmbedded: false, codeNotEmbedded: 'unsupported_type', sha256: sha256(text) });
  });

  it('a WebP that has its own XMP is released as stored (two XMP chunks would make readers refuse it)', async () => {
    const original = await picture().withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>').webp().toBuffer();
    const s = await sharedFile(original, 'own-xmp.webp', 'image/webp');
    expect((await download(s, 'api', '198.51.100.66')).equals(original)).toBe(true);
    expect(await downloadEvent(s.org.id)).toMatchObject({ codeEmbedded: false, codeNotEmbedded: 'webp_has_xmp' });
  });
});
