import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { formatCopyCode, newCopyCode } from '@/lib/copies/code';
import { readCodesFromFile } from '@/lib/copies/read-file';
import { buildFastIndex, writeFastCopy, type FastIndex } from '@/lib/watermark/fast';
import { cachedLatinFont } from '@/lib/watermark/fast/font-cache';
import { appendRevision, handPdf } from '../helpers/hand-pdf';
import { run, scratchDir } from '../helpers/scratch-pdf';
import { makeSamplePdf, pdfPageItems, pdfPageTexts } from '../helpers/pdf-text';

const CODE = newCopyCode();
const SHOWN = formatCopyCode(CODE);
const mark = { identity: 'alice@partner.example', ip: '203.0.113.7', at: new Date('2026-11-25T10:15:42Z'), shareId: 'shr_test1' };
const LINE = `alice@partner.example · 203.0.113.7 · 2026-11-25 10:15 UTC · share shr_test1 · copy ${SHOWN}`;

const { tmp, tmpFile } = scratchDir('liaison-fastwm-');

function indexOf(pdf: Buffer): FastIndex {
  const idx = buildFastIndex(pdf, 'sha');
  if ('unindexable' in idx) throw new Error(`unindexable: ${idx.unindexable}`);
  return idx;
}

/** The copy as a download gets it: the original fed in small chunks, as the blob store streams it. */
async function copyOf(pdf: Buffer, withMark = true) {
  const chunks = () => Readable.from(Array.from({ length: Math.ceil(pdf.length / 4096) }, (_, i) => pdf.subarray(i * 4096, (i + 1) * 4096)));
  const c = await writeFastCopy(indexOf(pdf), chunks, CODE, withMark ? mark : undefined);
  const out = await buffer(c.body);
  expect(out.length).toBe(c.size);
  return out;
}

/** qpdf finds nothing wrong, poppler renders every page and pdftotext reads the mark on each. */
function checkWithTools(out: Buffer, pages: number, stamped = true) {
  const f = tmpFile(out);
  const check = run('qpdf', '--check', f);
  expect(check.status, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toContain('No syntax or stream encoding errors');
  const ppm = run('pdftoppm', '-r', '20', '-png', f, path.join(tmp, 'page'));
  expect(ppm.status, ppm.stderr).toBe(0);
  expect(ppm.stderr).toBe('');
  for (let p = 1; p <= pages; p++) {
    const text = run('pdftotext', '-f', String(p), '-l', String(p), f, '-').stdout;
    if (stamped) expect(text, `page ${p}`).toContain(`copy ${SHOWN}`);
    else expect(text).not.toContain(SHOWN);
  }
}

async function expectCodeInMetadata(out: Buffer, inText: boolean) {
  const read = await readCodesFromFile(out);
  expect(read.found).toContainEqual({ code: CODE, source: 'pdf_metadata' });
  expect(read.found.some((f) => f.source === 'pdf_text')).toBe(false); // same code: listed once, from metadata
  expect(out.toString('latin1')).toContain(`<pdf:Keywords>liaison-copy:${SHOWN}</pdf:Keywords>`);
  const texts = await pdfPageTexts(out);
  for (const t of texts) expect(t.includes(SHOWN)).toBe(inText);
}

describe('fast watermark: index and streamed copy', () => {
  it('stamps every page of a classic PDF, keeps its text, and writes one revision with a fresh table', async () => {
    const pdf = Buffer.from(await makeSamplePdf(4, { objectStreams: false }));
    const out = await copyOf(pdf);
    checkWithTools(out, 4);
    const texts = await pdfPageTexts(out);
    texts.forEach((t, i) => {
      expect(t).toContain(`Original page ${i + 1} heading`);
      expect(t).toContain(LINE);
    });
    await expectCodeInMetadata(out, true);
    const s = out.toString('latin1');
    expect(s.match(/startxref/g)).toHaveLength(1);
    expect(s.match(/\bxref\b/g)).toHaveLength(1);
    expect(s).not.toContain('/Prev');
  });

  it('stamps rotated pages and pages whose MediaBox and Resources are inherited from the page tree', async () => {
    const pdf = handPdf({ pages: 4, inherit: true, rotate: { 1: 90, 2: -180, 3: 270 }, info: 'Board pack' });
    const idx = indexOf(pdf);
    expect(idx.pages.map((p) => [p.frame.width, p.frame.height])).toEqual([[612, 792], [792, 612], [612, 792], [792, 612]]);
    const out = await copyOf(pdf);
    checkWithTools(out, 4);
    const items = await pdfPageItems(out);
    items.forEach((page, i) => {
      // The horizontal footer copy reads left to right on the page as displayed, whatever /Rotate says.
      const footer = page.find((it) => it.str.includes(`copy ${SHOWN}`) && Math.abs(it.angle) < 1);
      expect(footer, `page ${i + 1}`).toBeDefined();
      expect(footer!.x).toBeGreaterThanOrEqual(0);
      expect(footer!.y).toBeGreaterThanOrEqual(0);
      expect(footer!.y).toBeLessThan(40);
      expect(page.map((it) => it.str).join(' ')).toContain(`Hand page ${i + 1}`);
    });
    // Existing Info entries are kept; the code is appended to Keywords.
    const info = run('qpdf', '--show-object=trailer', tmpFile(out)).stdout;
    expect(info).toContain('/Info');
    expect(out.toString('latin1')).toMatch(/\/Title \(Board pack\)/);
    expect(out.toString('latin1')).toContain(`/Keywords (board pack liaison-copy:${SHOWN})`);
  });

  it('reads a cross-reference stream (Flate, PNG predictor) whose objects are not in object streams', async () => {
    const pdf = handPdf({ pages: 3, xrefStream: true });
    expect(run('qpdf', '--check', tmpFile(pdf)).status).toBe(0);
    const out = await copyOf(pdf);
    checkWithTools(out, 3);
    // The input's /XRef stream is not carried over: the copy has one classic table.
    expect(out.toString('latin1')).not.toContain('/XRef');
  });

  it('an incremental update: the latest revision is copied, the superseded one is gone, and there is no /Prev', async () => {
    const revised = 'BT /F1 24 Tf 72 600 Td (Revised page one) Tj ET';
    const pdf = appendRevision(handPdf({ pages: 2 }), { 5: `<< /Length ${revised.length} >>\nstream\n${revised}\nendstream` }, 8);
    expect(run('qpdf', '--check', tmpFile(pdf)).status).toBe(0);
    const out = await copyOf(pdf);
    checkWithTools(out, 2);
    const texts = await pdfPageTexts(out);
    expect(texts[0]).toContain('Revised page one');
    expect(texts[0]).not.toContain('Hand page 1');
    const s = out.toString('latin1');
    expect(s).not.toContain('Hand page 1');
    expect(s).not.toContain('/Prev');
    expect(s.match(/%%EOF/g)).toHaveLength(1);
  });

  it('truncating the copy at the original length leaves no valid unstamped PDF (no earlier revision to fall back to)', async () => {
    for (const pdf of [handPdf({ pages: 3 }), Buffer.from(await makeSamplePdf(40, { objectStreams: false }))]) {
      const out = await copyOf(pdf);
      const cut = out.subarray(0, pdf.length);
      expect(run('qpdf', '--check', tmpFile(cut)).status).not.toBe(0);
      // A reader that repairs the file finds pages whose content already ends in the stamp, which comes first.
      const texts = await pdfPageTexts(cut).catch(() => [] as string[]);
      for (const t of texts) if (t.trim()) expect(t).toContain(`copy ${SHOWN}`);
      const text = cut.toString('latin1');
      // Whatever part of the original survives comes after the stamp (font and form) it is drawn with.
      const firstPage = text.indexOf('/Type /Page');
      if (firstPage >= 0) {
        expect(text.indexOf('/BBox')).toBeGreaterThan(0);
        expect(text.indexOf('/BBox')).toBeLessThan(firstPage);
      }
    }
  });

  it('metadata only: pages untouched, the copy code in Info and XMP, streamed the same way', async () => {
    const pdf = handPdf({ pages: 2, info: 'Minutes' });
    const out = await copyOf(pdf, false);
    checkWithTools(out, 2, false);
    await expectCodeInMetadata(out, false);
    expect(await pdfPageTexts(out)).toEqual(await pdfPageTexts(pdf));
  });

  it('names in other scripts, and letters a font may join (fi, ffl), still read back exactly on every page', async () => {
    const pdf = handPdf({ pages: 2 });
    for (const identity of ['Иван Петров · 王小明 <guest@partner.example>', 'fiona.waffle@office.example']) {
      const c = await writeFastCopy(indexOf(pdf), () => Readable.from([pdf]), CODE, { ...mark, identity });
      const out = await buffer(c.body);
      checkWithTools(out, 2);
      for (const t of await pdfPageTexts(out)) expect(t).toContain(`${identity} · 203.0.113.7`);
    }
  });

  it('the cached font lays Latin text out per character: the same glyphs and width as shaping it', async () => {
    const f = await cachedLatinFont();
    const line = 'alice.smith@partner.example · 203.0.113.7 · 2026-11-25 10:15 UTC · share shr_test1 · copy ABCDE-FGHJ0 (x) [y] {z} ~…';
    expect(f.perChar.encodeText(line).asString()).toBe(f.font.encodeText(line).asString());
    expect(f.perChar.widthOfTextAtSize(line, 11)).toBeCloseTo(f.font.widthOfTextAtSize(line, 11), 6);
    expect(() => f.perChar.encodeText('é')).toThrow(/no glyph/);
  });

  it('page objects are written at upload: every page names the planned stamp form and closing stream', () => {
    const idx = indexOf(handPdf({ pages: 3, rotate: { 1: 90 } }));
    expect(idx.stamp.open).toBe(idx.maxObj + 1);
    expect(idx.stamp.forms.map((f) => [f.width, f.height])).toEqual([[612, 792], [792, 612]]);
    expect(idx.stamp.closers).toHaveLength(2); // an upright and a rotated frame
    for (const p of idx.pages) {
      expect(p.marked).toMatch(new RegExp(`^${p.num} ${p.gen} obj\n`));
      expect(p.marked).toContain(`/Contents [${idx.stamp.open} 0 R `);
      expect(idx.stamp.closers.some((c) => p.marked.includes(` ${c.num} 0 R]`))).toBe(true);
      expect(idx.stamp.forms.some((f) => p.marked.includes(`/LiaisonWm ${f.num} 0 R`))).toBe(true);
    }
  });

  it('declares its size before the first byte and reads the original once, front to back', async () => {
    const pdf = Buffer.from(await makeSamplePdf(30, { objectStreams: false }));
    let opened = 0;
    const c = await writeFastCopy(indexOf(pdf), () => {
      opened++;
      return Readable.from([pdf.subarray(0, 1000), pdf.subarray(1000)]);
    }, CODE, mark);
    expect(opened).toBe(0); // nothing read until the body is
    const out = await buffer(c.body);
    expect(opened).toBe(1);
    expect(out.length).toBe(c.size);
  });

  it('a changed original is an error mid-stream, never a wrong file', async () => {
    const pdf = handPdf({ pages: 2 });
    const c = await writeFastCopy(indexOf(pdf), () => Readable.from([pdf.subarray(0, Math.floor(pdf.length / 2))]), CODE, mark);
    await expect(buffer(c.body)).rejects.toThrow(/ended before/);
  });
});

describe('fast watermark: what it will not index (the pdf-lib path takes these)', () => {
  const reason = (pdf: Buffer) => {
    const r = buildFastIndex(pdf, 'sha');
    return 'unindexable' in r ? r.unindexable : null;
  };

  it('object streams holding page dictionaries (qpdf --object-streams=generate)', () => {
    const f = tmpFile(handPdf({ pages: 3 }));
    const out = path.join(tmp, 'objstm.pdf');
    expect(run('qpdf', '--object-streams=generate', f, out).status).toBe(0);
    expect(reason(fs.readFileSync(out))).toMatch(/object streams/);
  });

  it('encrypted with an owner password (qpdf --encrypt)', () => {
    const f = tmpFile(handPdf({ pages: 1 }));
    const out = path.join(tmp, 'enc.pdf');
    expect(run('qpdf', '--encrypt', '', 'owner-secret', '256', '--print=none', '--', f, out).status).toBe(0);
    expect(reason(fs.readFileSync(out))).toMatch(/encrypted|object streams/);
  });

  it('a broken cross-reference table', () => {
    const pdf = handPdf({ pages: 2 });
    const s = pdf.toString('latin1');
    const at = s.indexOf('\nxref\n') + 1;
    // Every offset moved by 7 bytes: the table no longer points at the objects.
    const broken = s.slice(0, at) + s.slice(at).replace(/(\d{10}) 00000 n/g, (_, o) => `${String(Number(o) + 7).padStart(10, '0')} 00000 n`);
    expect(reason(Buffer.from(broken, 'latin1'))).toMatch(/no object|points at|obj/);
    expect(reason(Buffer.from(s.replace(/startxref\s+\d+/, 'startxref\n999999'), 'latin1'))).toMatch(/outside|cross-reference/);
    expect(reason(Buffer.from(s.replace(/startxref[\s\S]*$/, ''), 'latin1'))).toMatch(/startxref/);
  });

  it('a stream whose /Length is wrong, a page tree that loops, and something that is not a PDF', () => {
    const s = handPdf({ pages: 1 }).toString('latin1');
    expect(reason(Buffer.from(s.replace(/\/Length (\d+)/, (_, n) => `/Length ${Number(n) - 3}`), 'latin1'))).toMatch(/Length/);
    // Same byte count, so the table still points right: the page's /Parent-free kid now names the tree itself.
    expect(reason(Buffer.from(s.replace('/Kids [4 0 R]', '/Kids [2 0 R]'), 'latin1'))).toMatch(/loops/);
    expect(reason(Buffer.from('hello, not a PDF'))).toMatch(/header/);
  });
});
