import { PDFDocument, PDFRef } from '@cantoo/pdf-lib';
import { fontFor, loadFont } from '../fonts';
import { markLine, type WatermarkMark } from '../mark-text';
import { pdfFontkit } from '../pdf-fontkit';
import { StampBuilder } from '../stamp';
import { splitRuns, type TextRun } from '../text-runs';
import { stampSizeKey } from './mark-plan';
import type { StampPlan } from './types';
import { CACHE_BASE, CACHED_CHARS, cachedLatinFont, forgetCachedFont, renumber, serialise } from './font-cache';

const fontLookup = { fontFor, has: (font: number, cp: number) => loadFont(font).hasGlyph(cp) };

/** Serialised "N 0 obj … endobj" blocks. */
export type StampObjects = Array<{ num: number; bytes: Buffer }>;
interface Built {
  objects: StampObjects;
  /** The Form XObject made for a page of this visual size. */
  formFor(width: number, height: number): number;
}

type Sizes = Array<{ width: number; height: number }>;
const key = stampSizeKey;
const wrap = (num: number, body: Buffer) => Buffer.concat([Buffer.from(`${num} 0 obj\n`), body, Buffer.from('\nendobj\n')]);

/**
 * The same stamp as the pdf-lib path (lib/watermark/stamp.ts: one Form XObject per page size, the same
 * tiling, fonts subset and embedded), built in a scratch pdf-lib document whose new objects are
 * numbered from `firstNumber`, then serialised for the streaming writer to place in the copy. Each
 * form is written under the number the index planned for its size (the page dictionaries, written at
 * upload, name it): nothing else refers to a form, so only its own "N 0 obj" line changes.
 */
export async function buildStampObjects(mark: WatermarkMark, forms: StampPlan['forms'], firstNumber: number): Promise<StampObjects> {
  const runs = splitRuns(markLine(mark), fontLookup);
  const cachedFits = runs.every((r) => r.font === 0 && Array.from(r.text).every((c) => CACHED_CHARS.has(c)));
  const built = (cachedFits ? await withCachedFont(runs, forms, firstNumber) : undefined) ?? await withFreshFonts(runs, forms, firstNumber);
  const planned = new Map(forms.map((f) => [built.formFor(f.width, f.height), f.num]));
  return built.objects.map((o) => {
    const num = planned.get(o.num);
    if (num === undefined) return o;
    const header = `${o.num} 0 obj\n`.length;
    return { num, bytes: Buffer.concat([Buffer.from(`${num} 0 obj\n`), o.bytes.subarray(header)]) };
  });
}

function collect(doc: PDFDocument, scratch: Set<number>, firstNumber: number, renum?: (n: number) => number) {
  const objects: StampObjects = [];
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (scratch.has(ref.objectNumber)) continue;
    if (ref.objectNumber < firstNumber) throw new Error('stamp object numbered inside the original');
    const body = serialise(obj);
    objects.push({ num: ref.objectNumber, bytes: wrap(ref.objectNumber, renum ? renumber(body, renum) : body) });
  }
  return objects;
}

async function withCachedFont(runs: TextRun[], sizes: Sizes, firstNumber: number): Promise<Built | undefined> {
  const font = await cachedLatinFont();
  const doc = await PDFDocument.create({ updateMetadata: false });
  const scratch = new Set(doc.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  // The font's objects take the first numbers; the forms and graphics state follow.
  const renum = (n: number) => firstNumber + (n - CACHE_BASE - 1);
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, firstNumber - 1 + font.objects.length);
  const glyphsBefore = font.glyphCount();
  const stamp = StampBuilder.withFonts(doc, runs, runs.map(() => font.perChar));
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

async function withFreshFonts(runs: TextRun[], sizes: Sizes, firstNumber: number): Promise<Built> {
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
