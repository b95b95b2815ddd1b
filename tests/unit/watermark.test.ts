import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, concatTransformationMatrix, degrees } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { isWatermarkable, restrictPdf, watermarkPdf } from '@/lib/watermark';
import { cleanMarkField, formatUtcMinute, markLine } from '@/lib/watermark/mark-text';
import { normaliseRotation, visibleBox, visualFrame } from '@/lib/watermark/page-geometry';
import { splitRuns } from '@/lib/watermark/text-runs';
import { fontFor, loadFont } from '@/lib/watermark/fonts';
import { tinyPdf } from '../helpers/factory';
import { makeSamplePdf, pdfPageItems, pdfPageTexts } from '../helpers/pdf-text';

const mark = { identity: 'alice@partner.example', ip: '203.0.113.7', at: new Date('2026-11-25T10:15:42Z'), shareId: 'shr_test1' };
const LINE = 'alice@partner.example · 203.0.113.7 · 2026-11-25 10:15 UTC · share shr_test1';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-wm-'));
const tmpFile = (bytes: Uint8Array) => {
  const f = path.join(tmp, `${crypto.randomBytes(6).toString('hex')}.pdf`);
  fs.writeFileSync(f, bytes);
  return f;
};
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const qpdf = (...args: string[]) => spawnSync('qpdf', args, { encoding: 'utf8' });
const count = (hay: string, needle: string) => hay.split(needle).length - 1;

/**
 * Five pages that exercise placement: plain A4, /Rotate 90, a MediaBox away from the origin, a page
 * whose MediaBox and CropBox both start off the origin (cropped to landscape) with /Rotate 270, and
 * /Rotate -180.
 */
async function awkwardPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await makeSamplePdf(5, { rotated: [1], offsetOrigin: [2] }));
  const p3 = doc.getPage(3);
  // The sample's text sits at x 60-500, y 650-770: both boxes keep it in view.
  p3.setMediaBox(-100, 100, 900, 800);
  p3.setCropBox(20, 400, 600, 450);
  p3.setRotation(degrees(270));
  doc.getPage(4).setRotation(degrees(-180));
  return doc.save();
}

async function expectUnprocessable(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('unprocessable');
  expect((err as AppError).message).toBe('This PDF could not be read, so it cannot be watermarked.');
}

describe('watermarkPdf', () => {
  let src: Uint8Array;
  let marked: Buffer;
  let locked: Buffer;

  beforeAll(async () => {
    src = await awkwardPdf();
    marked = await watermarkPdf(src, mark, { allowPrint: true });
    locked = await watermarkPdf(src, mark, { allowPrint: false });
  });

  it('stamps every page with identity, IP, UTC time and share id, and keeps the original text', async () => {
    const texts = await pdfPageTexts(marked);
    expect(texts).toHaveLength(5);
    texts.forEach((text, i) => {
      expect(text).toContain(`Original page ${i + 1} heading`);
      expect(text).toContain('Body line 6 of page');
      // Tiled: several whole copies per page, not one line a crop could remove.
      expect(count(text, LINE)).toBeGreaterThanOrEqual(3);
    });
  });

  it('draws the stamp diagonally as the reader sees the page, whatever its rotation or box origin', async () => {
    const pages = await pdfPageItems(marked);
    for (const items of pages) {
      const { pageWidth: w, pageHeight: h } = items[0];
      // pdfjs drops glyphs outside the visible box, so copies cut by the edge show as fragments.
      const diagonal = items.filter((i) => i.angle > 25 && i.angle < 50 && /share|alice|203\.0/.test(i.str));
      expect(diagonal.filter((i) => i.str.includes(LINE)).length).toBeGreaterThanOrEqual(2);
      // A fragment may start with a glyph half off the edge, hence the allowance of a glyph or so.
      for (const i of diagonal) {
        expect(i.x).toBeGreaterThan(-20);
        expect(i.x).toBeLessThan(w);
        expect(i.y).toBeGreaterThan(-20);
        expect(i.y).toBeLessThan(h);
      }
      // Spread over the whole page, not bunched in one corner.
      const xs = diagonal.map((i) => i.x);
      const ys = diagonal.map((i) => i.y);
      expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(w * 0.4);
      expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(h * 0.6);
      // And one horizontal copy along the bottom edge, inside the visible page.
      const footer = items.find((i) => Math.abs(i.angle) < 1 && i.str.includes(LINE));
      expect(footer).toBeDefined();
      expect(footer!.y).toBeGreaterThan(0);
      expect(footer!.y).toBeLessThan(h * 0.1);
      expect(footer!.x).toBeGreaterThan(0);
    }
  });

  it('is not shrunk by a transformation the original content leaves behind', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([600, 800]);
    // A content stream that scales everything after it and never restores the state.
    page.pushOperators(concatTransformationMatrix(0.25, 0, 0, 0.25, 0, 0));
    page.drawText('Scaled original', { x: 100, y: 100, size: 40 });
    const [items] = await pdfPageItems(await watermarkPdf(await doc.save(), mark, { allowPrint: true }));
    const diagonal = items.filter((i) => i.angle > 25 && i.angle < 50);
    expect(Math.max(...diagonal.map((i) => i.y))).toBeGreaterThan(600);
    const footer = items.find((i) => Math.abs(i.angle) < 1 && i.str.includes(LINE))!;
    expect(footer.x).toBeGreaterThan(10);
  });

  it('keeps the mark searchable with pdftotext on an upright page', () => {
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', tmpFile(marked), '-'], { encoding: 'utf8' });
    expect(text).toContain(LINE);
    expect(text).toContain('Original page 1 heading');
  });

  it('embeds one stamp per page size, not one per page', async () => {
    const many = await watermarkPdf(await makeSamplePdf(30), mark, { allowPrint: true });
    const qdf = path.join(tmp, 'many-qdf.pdf');
    expect(qpdf('--qdf', '--object-streams=disable', tmpFile(many), qdf).status).toBe(0);
    expect(count(fs.readFileSync(qdf, 'latin1'), '/Subtype /Form')).toBe(1);
    expect((await pdfPageTexts(many)).every((t) => t.includes(LINE))).toBe(true);
  });

  it('leaves an allowPrint copy unencrypted', () => {
    const out = qpdf('--show-encryption', tmpFile(marked)).stdout;
    expect(out).toContain('File is not encrypted');
  });

  it('locks printing, copying and changes when allowPrint is false, yet opens with no password', async () => {
    const file = tmpFile(locked);
    const enc = qpdf('--show-encryption', file).stdout;
    expect(enc).toContain('User password = \n');
    expect(enc).toContain('Supplied password is user password');
    expect(enc).toContain('print low resolution: not allowed');
    expect(enc).toContain('print high resolution: not allowed');
    expect(enc).toContain('extract for any purpose: not allowed');
    expect(enc).toContain('modify anything: not allowed');
    expect(enc).toContain('AESv3');
    // Exit 3: encrypted, but no password is needed to open it.
    expect(qpdf('--requires-password', file).status).toBe(3);
    expect(qpdf('--check', file).status).toBe(0);
    const texts = await pdfPageTexts(locked);
    texts.forEach((t, i) => {
      expect(t).toContain(LINE);
      expect(t).toContain(`Original page ${i + 1} heading`);
    });
  });

  it('renders names in other scripts, with every font embedded', async () => {
    const names = ['Ελένη Παπαδοπούλου', 'Иван Петров', '王小明', '佐藤花子', '김민수', 'محمد علي', 'שרה כהן', 'สมชาย'];
    const out = await watermarkPdf(await makeSamplePdf(1), { ...mark, identity: names.join(' ') }, { allowPrint: true });
    const [text] = await pdfPageTexts(out);
    for (const n of names) expect(text).toContain(n);
    expect(text).not.toContain('?');
    const fonts = execFileSync('pdffonts', [tmpFile(out)], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    // Helvetica from the sample is the only unembedded font; ours are embedded, with a ToUnicode map.
    const ours = fonts.filter((l) => !l.startsWith('Helvetica'));
    expect(ours.map((l) => l.split('-')[0]).sort()).toEqual(['NotoSans', 'NotoSansArabic', 'NotoSansHebrew', 'NotoSansThai', 'WenQuanYiMicroHei']);
    for (const l of ours) expect(l).toMatch(/CID TrueType\s+Identity-H\s+yes\s+\w+\s+yes/);
    // Subset: a few CJK glyphs, not the 4.6 MB font.
    expect(out.length).toBeLessThan(150_000);
  });

  it('marks concurrent copies each with their own recipient (fonts are shared between documents)', async () => {
    const who = ['bob@one.example', '李雷', 'Ольга', 'دانا'];
    const sample = await makeSamplePdf(3);
    const outs = await Promise.all(who.map((identity) => watermarkPdf(sample, { ...mark, identity }, { allowPrint: identity.length % 2 === 0 })));
    for (const [i, out] of outs.entries()) {
      const texts = await pdfPageTexts(out);
      for (const t of texts) {
        expect(t).toContain(`${who[i]} · 203.0.113.7`);
        for (const other of who.filter((_, j) => j !== i)) expect(t).not.toContain(other);
      }
    }
  });

  it('draws a Devanagari name without dropping it', async () => {
    const out = await watermarkPdf(tinyPdf(), { ...mark, identity: 'राम' }, { allowPrint: true });
    const [text] = await pdfPageTexts(out);
    expect(text).toContain('203.0.113.7');
    expect(text).not.toContain('?');
    expect(execFileSync('pdffonts', [tmpFile(out)], { encoding: 'utf8' })).toMatch(/NotoSansDevanagari/);
  });

  it('refuses random bytes, an empty file and a truncated PDF with a clear error', async () => {
    await expectUnprocessable(watermarkPdf(crypto.randomBytes(4096), mark, { allowPrint: true }));
    await expectUnprocessable(watermarkPdf(Buffer.alloc(0), mark, { allowPrint: true }));
    await expectUnprocessable(watermarkPdf(Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(4096)]), mark, { allowPrint: true }));
    const full = Buffer.from(src);
    await expectUnprocessable(watermarkPdf(full.subarray(0, full.length >> 1), mark, { allowPrint: true }));
    // Page tree intact, page content gone.
    const tiny = tinyPdf();
    await expectUnprocessable(watermarkPdf(tiny.subarray(0, tiny.indexOf('4 0 obj')), mark, { allowPrint: false }));
  });

  it('refuses an encrypted PDF rather than handing it out unmarked', async () => {
    await expectUnprocessable(watermarkPdf(locked, mark, { allowPrint: true }));
  });

  it('keeps bidi overrides and control characters in a name from disguising the mark', async () => {
    const out = await watermarkPdf(tinyPdf(), { ...mark, identity: 'evil\u202Emoc.elpmaxe@eve\nx' }, { allowPrint: true });
    const [text] = await pdfPageTexts(out);
    expect(text).toContain('evilmoc.elpmaxe@eve x · 203.0.113.7');
    expect(text).not.toContain('\u202E');
  });
});

describe('restrictPdf', () => {
  it('disables printing without stamping', async () => {
    const out = await restrictPdf(tinyPdf('Plain copy'));
    const enc = qpdf('--show-encryption', tmpFile(out)).stdout;
    expect(enc).toContain('print high resolution: not allowed');
    const [text] = await pdfPageTexts(out);
    expect(text).toContain('Plain copy');
    expect(text).not.toContain('share ');
  });

  it('refuses unreadable input', async () => {
    const err = await restrictPdf(Buffer.from('not a pdf')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unprocessable');
  });
});

describe('isWatermarkable', () => {
  it('accepts PDF only', () => {
    expect(isWatermarkable('application/pdf')).toBe(true);
    expect(isWatermarkable('Application/PDF; charset=binary')).toBe(true);
    for (const t of ['image/png', 'image/jpeg', 'text/plain', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ''])
      expect(isWatermarkable(t)).toBe(false);
  });
});

describe('mark text', () => {
  it('formats UTC to the minute whatever the zone', () => {
    expect(formatUtcMinute(new Date('2026-11-25T23:59:59+05:00'))).toBe('2026-11-25 18:59 UTC');
    expect(() => formatUtcMinute(new Date('nope'))).toThrow();
  });

  it('cleans and caps fields', () => {
    expect(cleanMarkField('  a\u0000b\u200Fc\t\td ', 'x')).toBe('abc d');
    expect(cleanMarkField('\u202E', 'fallback')).toBe('fallback');
    const long = cleanMarkField('é'.repeat(500), 'x');
    expect(Array.from(long)).toHaveLength(120);
    expect(long.endsWith('…')).toBe(true);
    expect(markLine(mark)).toBe(LINE);
  });
});

describe('splitRuns', () => {
  const fonts = { fontFor, has: (f: number, cp: number) => loadFont(f).hasGlyph(cp) };
  const fontName = (i: number) => ['NotoSans', 'NotoSansArabic'][i] ?? `font ${i}`;

  it('keeps a Latin line in one run, so it is drawn whole', () => {
    expect(splitRuns(LINE, fonts)).toEqual([{ text: LINE, font: 0 }]);
  });

  it('keeps an Arabic name with its inner space in one run and the separators in the base font', () => {
    const runs = splitRuns('محمد علي · 1.2.3.4', fonts);
    expect(runs.map((r) => [r.text, fontName(r.font)])).toEqual([
      ['محمد علي', 'NotoSansArabic'],
      [' · 1.2.3.4', 'NotoSans'],
    ]);
  });

  it('replaces characters no bundled font has', () => {
    expect(splitRuns('a😀b', fonts).map((r) => r.text).join('')).toBe('a?b');
  });
});

describe('page geometry', () => {
  const apply = (m: number[], u: number, v: number) => [m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5]];

  it('maps the displayed page onto the visible box for every rotation', () => {
    const box = { x: -30, y: 40, width: 200, height: 100 };
    const corners = new Set(['-30,40', '170,40', '-30,140', '170,140']);
    for (const r of [0, 90, 180, 270, -90, 450]) {
      const f = visualFrame(box, r);
      const rotated = normaliseRotation(r) % 180 !== 0;
      expect([f.width, f.height]).toEqual(rotated ? [100, 200] : [200, 100]);
      const mapped = new Set(
        [
          [0, 0],
          [f.width, 0],
          [0, f.height],
          [f.width, f.height],
        ].map(([u, v]) => apply(f.matrix, u, v).map((n) => Math.round(n) + 0).join(',')),
      );
      expect(mapped).toEqual(corners);
      // Visual "up" must be the direction the reader sees as up: /Rotate turns the page clockwise.
      const [ux, uy] = [f.matrix[2], f.matrix[3]];
      const expectedUp = { 0: [0, 1], 90: [-1, 0], 180: [0, -1], 270: [1, 0] }[normaliseRotation(r)];
      expect([ux + 0, uy + 0]).toEqual(expectedUp);
    }
  });

  it('uses the part of the CropBox inside the MediaBox', () => {
    expect(visibleBox({ x: 0, y: 0, width: 600, height: 800 }, { x: -50, y: 100, width: 300, height: 900 })).toEqual({ x: 0, y: 100, width: 250, height: 700 });
    expect(visibleBox({ x: 0, y: 0, width: 600, height: 800 }, { x: 900, y: 900, width: 10, height: 10 })).toEqual({ x: 0, y: 0, width: 600, height: 800 });
  });
});
