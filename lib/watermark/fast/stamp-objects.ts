import { PDFDocument } from '@cantoo/pdf-lib';
import { fontFor, loadFont } from '../fonts';
import { markLine, type WatermarkMark } from '../mark-text';
import { pdfFontkit } from '../pdf-fontkit';
import { StampBuilder } from '../stamp';
import { splitRuns, type TextRun } from '../text-runs';
import type { StampPlan } from './types';
import { CACHE_BASE, CACHED_CHARS, cachedLatinFont, renumber, serialise } from './font-cache';

const fontLookup = { fontFor, has: (font: number, cp: number) => loadFont(font).hasGlyph(cp) };

/** Serialised "N 0 obj … endobj" blocks. */
export type StampObjects = Array<{ num: number; bytes: Buffer }>;
type Forms = StampPlan['forms'];

const wrap = (num: number, body: Buffer) => Buffer.concat([Buffer.from(`${num} 0 obj\n`), body, Buffer.from('\nendobj\n')]);

/**
 * The same stamp as the pdf-lib path (lib/watermark/stamp.ts: one Form XObject per page size, the same
 * tiling, fonts subset and embedded), built in a scratch pdf-lib document whose new objects are
 * numbered from `firstNumber`, then serialised for the streaming writer to place in the copy. Each
 * form is written under the number the index planned for its size (the page dictionaries, written at
 * upload, name it): nothing else refers to a form, so only its own "N 0 obj" line changes.
 */
export async function buildStampObjects(mark: WatermarkMark, forms: Forms, firstNumber: number): Promise<StampObjects> {
  const runs = splitRuns(markLine(mark), fontLookup);
  const cachedFits = runs.every((r) => r.font === 0 && Array.from(r.text).every((c) => CACHED_CHARS.has(c)));
  const objects = cachedFits ? await withCachedFont(runs, forms, firstNumber) : await withFreshFonts(runs, forms, firstNumber);
  return objects.sort((a, b) => a.num - b.num);
}

/** Makes the stamp's form for each planned size; the scratch document's number of each → the planned one. */
function makeForms(stamp: StampBuilder, forms: Forms): Map<number, number> {
  return new Map(forms.map((f) => [stamp.formFor(f.width, f.height).objectNumber, f.num]));
}

function collect(doc: PDFDocument, scratch: Set<number>, firstNumber: number, planned: Map<number, number>, renum?: (n: number) => number) {
  const objects: StampObjects = [];
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (scratch.has(ref.objectNumber)) continue;
    if (ref.objectNumber < firstNumber) throw new Error('stamp object numbered inside the original');
    const body = serialise(obj);
    const num = planned.get(ref.objectNumber) ?? ref.objectNumber;
    objects.push({ num, bytes: wrap(num, renum ? renumber(body, renum) : body) });
  }
  return objects;
}

async function withCachedFont(runs: TextRun[], forms: Forms, firstNumber: number): Promise<StampObjects> {
  const font = await cachedLatinFont();
  const doc = await PDFDocument.create({ updateMetadata: false });
  const scratch = new Set(doc.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  // The font's objects take the first numbers; the forms and graphics state follow.
  const renum = (n: number) => firstNumber + (n - CACHE_BASE - 1);
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, firstNumber - 1 + font.objects.length);
  const planned = makeForms(StampBuilder.withFonts(doc, runs, runs.map(() => font.perChar)), forms);
  return [
    ...font.objects.map((o) => ({ num: renum(o.num), bytes: wrap(renum(o.num), renumber(o.body, renum)) })),
    ...collect(doc, scratch, firstNumber, planned, renum),
  ];
}

async function withFreshFonts(runs: TextRun[], forms: Forms, firstNumber: number): Promise<StampObjects> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(pdfFontkit);
  const scratch = new Set(doc.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, firstNumber - 1);
  const planned = makeForms(await StampBuilder.create(doc, runs), forms);
  await doc.flush();
  return collect(doc, scratch, firstNumber, planned);
}
