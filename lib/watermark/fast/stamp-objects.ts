import { PDFDocument, PDFRef } from '@cantoo/pdf-lib';
import { fontFor, loadFont } from '../fonts';
import { markLine, type WatermarkMark } from '../mark-text';
import { pdfFontkit } from '../pdf-fontkit';
import { StampBuilder } from '../stamp';
import { splitRuns, type TextRun } from '../text-runs';
import { CACHE_BASE, CACHED_CHARS, cachedLatinFont, forgetCachedFont, renumber, serialise } from './font-cache';

const fontLookup = { fontFor, has: (font: number, cp: number) => loadFont(font).hasGlyph(cp) };

export interface StampObjects {
  /** Serialised "N 0 obj … endobj" blocks, numbered from `firstNumber`. */
  objects: Array<{ num: number; bytes: Buffer }>;
  /** The Form XObject for a page of this visual size. */
  formFor(width: number, height: number): number;
}

type Sizes = Array<{ width: number; height: number }>;
const key = (w: number, h: number) => `${Math.round(w)}x${Math.round(h)}`;
const wrap = (num: number, body: Buffer) => Buffer.concat([Buffer.from(`${num} 0 obj\n`), body, Buffer.from('\nendobj\n')]);

/**
 * The same stamp as the pdf-lib path (lib/watermark/stamp.ts: one Form XObject per page size, the same
 * tiling, fonts subset and embedded), built in a scratch pdf-lib document whose new objects are
 * numbered after the original's, then serialised for the streaming writer to place in the copy.
 */
export async function buildStampObjects(mark: WatermarkMark, sizes: Sizes, firstNumber: number): Promise<StampObjects> {
  const runs = splitRuns(markLine(mark), fontLookup);
  if (runs.every((r) => r.font === 0 && Array.from(r.text).every((c) => CACHED_CHARS.has(c)))) {
    const made = await withCachedFont(runs, sizes, firstNumber);
    if (made) return made;
  }
  return withFreshFonts(runs, sizes, firstNumber);
}

function collect(doc: PDFDocument, scratch: Set<number>, firstNumber: number, renum?: (n: number) => number) {
  const objects: StampObjects['objects'] = [];
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (scratch.has(ref.objectNumber)) continue;
    if (ref.objectNumber < firstNumber) throw new Error('stamp object numbered inside the original');
    const body = serialise(obj);
    objects.push({ num: ref.objectNumber, bytes: wrap(ref.objectNumber, renum ? renumber(body, renum) : body) });
  }
  return objects;
}

async function withCachedFont(runs: TextRun[], sizes: Sizes, firstNumber: number): Promise<StampObjects | undefined> {
  const font = await cachedLatinFont();
  const doc = await PDFDocument.create({ updateMetadata: false });
  const scratch = new Set(doc.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  // The font's objects take the first numbers; the forms and graphics state follow.
  const renum = (n: number) => firstNumber + (n - CACHE_BASE - 1);
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, firstNumber - 1 + font.objects.length);
  const glyphsBefore = font.glyphCount();
  const stamp = StampBuilder.withFonts(doc, runs, runs.map(() => font.font));
  const forms = new Map<string, PDFRef>();
  for (const s of sizes) if (!forms.has(key(s.width, s.height))) forms.set(key(s.width, s.height), stamp.formFor(s.width, s.height));
  if (font.glyphCount() !== glyphsBefore) {
    // The layout needed a glyph the cached subset does not have: never draw what the font cannot show.
    forgetCachedFont();
    return undefined;
  }
  const objects = [
    ...font.objects.map((o) => ({ num: renum(o.num), bytes: wrap(renum(o.num), renumber(o.body, renum)) })),
    ...collect(doc, scratch, firstNumber, renum),
  ].sort((a, b) => a.num - b.num);
  return { objects, formFor: (w, h) => formNumber(forms, w, h) };
}

async function withFreshFonts(runs: TextRun[], sizes: Sizes, firstNumber: number): Promise<StampObjects> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(pdfFontkit);
  const scratch = new Set(doc.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, firstNumber - 1);
  const stamp = await StampBuilder.create(doc, runs);
  const forms = new Map<string, PDFRef>();
  for (const s of sizes) if (!forms.has(key(s.width, s.height))) forms.set(key(s.width, s.height), stamp.formFor(s.width, s.height));
  await doc.flush();
  const objects = collect(doc, scratch, firstNumber).sort((a, b) => a.num - b.num);
  return { objects, formFor: (w, h) => formNumber(forms, w, h) };
}

function formNumber(forms: Map<string, PDFRef>, w: number, h: number): number {
  const ref = forms.get(key(w, h));
  if (!ref) throw new Error(`no stamp form for ${key(w, h)}`);
  return ref.objectNumber;
}
