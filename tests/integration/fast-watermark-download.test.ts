import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { formatCopyCode } from '../../lib/copies/code';
import { readCodesFromFile } from '../../lib/copies/read-file';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { dropCached, hasCached } from '../../lib/render/page-cache';
import { forgetFastIndex, unindexableReason } from '../../lib/watermark/fast';
import { createOrg, createStaff, fileFrom } from '../helpers/factory';
import { apiContent, apiToken, browserFile, browserOpen } from '../helpers/guest';
import { appendRevision, handPdf } from '../helpers/hand-pdf';
import { run, scratchDir } from '../helpers/scratch-pdf';
import { makeSamplePdf, pdfPageTexts } from '../helpers/pdf-text';

const { tmp, tmpFile } = scratchDir('liaison-fastwm-int-');
const qpdfOut = (pdf: Buffer, ...args: string[]) => {
  const out = path.join(tmp, `${crypto.randomBytes(6).toString('hex')}-q.pdf`);
  const r = run('qpdf', ...args, tmpFile(pdf), out);
  expect(r.status, r.stderr).toBe(0);
  return fs.readFileSync(out);
};

async function shared(pdf: Buffer, share: Partial<CreateShareInput>) {
  const org = await createOrg();
  const { principal } = await createStaff(org.id, 'MEMBER');
  const doc = await createDocument(principal, fileFrom(pdf, 'pack.pdf', 'application/pdf'), { title: 'Board pack', tlp: 'AMBER' }, 5e7);
  const created = await createShare(principal, { documentIds: [doc.id], allowDownload: true, ...share } as CreateShareInput);
  const version = await prisma().documentVersion.findUniqueOrThrow({ where: { id: doc.versionId } });
  return { org, doc, version, ...created };
}

async function download(s: Awaited<ReturnType<typeof shared>>) {
  const res = await apiContent(await apiToken(s.url), s.doc.id);
  const body = Buffer.from(await res.arrayBuffer());
  return { res, body };
}

/** The streaming writer puts the stamp form before the first original page; pdf-lib appends it after. */
const streamedFirst = (pdf: Buffer) => {
  const s = pdf.toString('latin1');
  return s.indexOf('/BBox') >= 0 && s.indexOf('/BBox') < s.indexOf('/Type /Page');
};

async function expectStampedEverywhere(body: Buffer, code: string, pages: number) {
  const texts = await pdfPageTexts(body);
  expect(texts).toHaveLength(pages);
  for (const t of texts) expect(t).toContain(`copy ${formatCopyCode(code)}`);
  expect((await readCodesFromFile(body)).found[0]).toEqual({ code, source: 'pdf_metadata' });
}

describe('watermarked downloads through the streaming writer', () => {
  it('is indexed at upload; the API and the browser download stream a stamped copy with a declared length', async () => {
    const pdf = Buffer.from(await makeSamplePdf(12, { objectStreams: false, rotated: [3] }));
    const s = await shared(pdf, { watermark: true, allowPrint: true });
    expect(await hasCached(s.version.id, 'fast-index-v2.json')).toBe(true);
    const { res, body } = await download(s);
    expect(res.status).toBe(200);
    // Declared before the first byte (server.ts turns this into Content-Length).
    expect(res.headers.get('x-liaison-content-length')).toBe(String(body.length));
    expect(streamedFirst(body)).toBe(true);
    const rec = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(rec).toMatchObject({ watermarked: true, codeEmbedded: true });
    await expectStampedEverywhere(body, rec.code, 12);
    expect(run('qpdf', '--check', tmpFile(body)).status).toBe(0);

    const opened = await browserOpen(s.token, {});
    const viaBrowser = Buffer.from(await (await browserFile('download', s.token, s.doc.id, opened.cookie)).arrayBuffer());
    expect(streamedFirst(viaBrowser)).toBe(true);
    const rec2 = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: s.share.id, code: { not: rec.code } } });
    await expectStampedEverywhere(viaBrowser, rec2.code, 12);
  });

  it('a version uploaded before the index existed is indexed on its first download', async () => {
    const s = await shared(handPdf({ pages: 2 }), { watermark: true, allowPrint: true });
    dropCached(s.version.id);
    forgetFastIndex(s.version.id);
    const { body } = await download(s);
    expect(await hasCached(s.version.id, 'fast-index-v2.json')).toBe(true);
    expect(streamedFirst(body)).toBe(true);
  });

  it('no watermark, printing allowed: the copy carries its code in Info and XMP (metadata only), pages unchanged', async () => {
    const pdf = handPdf({ pages: 3, info: 'Minutes' });
    const s = await shared(pdf, { watermark: false, allowPrint: true });
    const { res, body } = await download(s);
    expect(res.status).toBe(200);
    const rec = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(rec).toMatchObject({ watermarked: false, codeEmbedded: true });
    expect((await readCodesFromFile(body)).found).toEqual([{ code: rec.code, source: 'pdf_metadata' }]);
    expect(await pdfPageTexts(body)).toEqual(await pdfPageTexts(pdf));
  });

  it('no watermark, printing allowed, a PDF it cannot index: released unchanged, recorded without the code in the file', async () => {
    const pdf = Buffer.from(await makeSamplePdf(2)); // pdf-lib's object streams
    const s = await shared(pdf, { watermark: false, allowPrint: true });
    expect(await unindexableReason(s.version)).toMatch(/object streams/);
    const { body } = await download(s);
    expect(body.equals(pdf)).toBe(true);
    expect(await prisma().copyRecord.findFirstOrThrow({ where: { shareId: s.share.id } })).toMatchObject({ watermarked: false, codeEmbedded: false });
  });

  it('print disabled keeps its permissions (pdf-lib path, AES-256) and its stamp', async () => {
    const s = await shared(handPdf({ pages: 2 }), { watermark: true, allowPrint: false });
    const { res, body } = await download(s);
    expect(res.status).toBe(200);
    const enc = run('qpdf', '--show-encryption', tmpFile(body)).stdout;
    expect(enc).toMatch(/print low resolution: not allowed/);
    expect(enc).toMatch(/print high resolution: not allowed/);
    expect(enc).toMatch(/AESv3/);
    const rec = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: s.share.id } });
    await expectStampedEverywhere(body, rec.code, 2);
  });
});

describe('unusual PDFs: watermarked correctly or refused clearly, never served unmarked', () => {
  const base = () => handPdf({ pages: 3 });
  const revised = 'BT /F1 24 Tf 72 600 Td (Revised page one) Tj ET';
  const cases: Array<[string, () => Buffer, 'fast' | 'fallback' | 'refused']> = [
    ['a cross-reference stream', () => handPdf({ pages: 3, xrefStream: true }), 'fast'],
    ['object streams holding the page dictionaries', () => qpdfOut(base(), '--object-streams=generate'), 'fallback'],
    ['an incremental update', () => appendRevision(base(), { 5: `<< /Length ${revised.length} >>\nstream\n${revised}\nendstream` }, 10), 'fast'],
    ['a broken cross-reference table', () => {
      const s = base().toString('latin1');
      const at = s.indexOf('\nxref\n');
      return Buffer.from(s.slice(0, at) + s.slice(at).replace(/(\d{10}) 00000 n/g, (_, o) => `${String(Number(o) + 7).padStart(10, '0')} 00000 n`), 'latin1');
    }, 'fallback'],
    ['encrypted with an owner password', () => qpdfOut(base(), '--encrypt', '', 'owner-secret', '256', '--print=none', '--'), 'refused'],
  ];

  for (const [name, make, expected] of cases) {
    it(name, async () => {
      const s = await shared(make(), { watermark: true, allowPrint: true });
      expect((await unindexableReason(s.version)) === undefined).toBe(expected === 'fast');
      const { res, body } = await download(s);
      if (expected === 'refused') {
        expect(res.status).toBe(422);
        expect(JSON.parse(body.toString('utf8'))).toMatchObject({ error: expect.any(String), error_description: expect.stringMatching(/could not be read/) });
        expect(await prisma().copyRecord.count({ where: { shareId: s.share.id } })).toBe(0);
        return;
      }
      expect(res.status).toBe(200);
      expect(streamedFirst(body)).toBe(expected === 'fast');
      const rec = await prisma().copyRecord.findFirstOrThrow({ where: { shareId: s.share.id } });
      await expectStampedEverywhere(body, rec.code, 3);
      if (name === 'an incremental update') expect((await pdfPageTexts(body))[0]).toContain('Revised page one');
    });
  }
});
