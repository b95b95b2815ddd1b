import { PDFDocument, PDFHexString, type PDFFont, type PDFObject } from '@cantoo/pdf-lib';
import type { StampFont } from '../stamp';
import { loadFont } from '../fonts';
import { pdfFontkit } from '../pdf-fontkit';

/**
 * Parsing and subsetting Noto Sans for every download cost more than the rest of a 1,000-page copy
 * (fontkit reads the font's tables afresh for each document: lib/watermark/pdf-fontkit.ts explains why
 * a parsed font is not shared between pdf-lib documents). For the streaming path the font is embedded
 * once per process instead, subset to printable ASCII plus "·" and "…", which is every character of a
 * mark line for Latin-script names, and its objects are kept serialised. Marks needing any other
 * character use a fresh embedding, as before.
 *
 * Its ToUnicode map and font program are written once, from a freshly parsed font. Stamps lay text out
 * with `perChar` only, which never adds a glyph, so the serialised subset always covers what is drawn.
 */
export const CACHED_CHARS = new Set(Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).concat(['·', '…']));

/** Object numbers of the cached objects: far above any real document's, and 8 digits, so they are easy to find in a dictionary. */
export const CACHE_BASE = 10_000_000;

export interface CachedFont {
  font: PDFFont;
  /**
   * The same font laid out one character at a time from a table made once: shaping the mark line
   * (fontkit's GSUB/GPOS lookups, twice per form) was most of a stamp's cost. The stamp never used
   * what shaping adds for Latin text (showText writes glyph ids, and readers place them by /W widths,
   * not by GPOS), and one glyph per character keeps "fi" two letters when the mark is read back.
   */
  perChar: StampFont;
  /** Serialised bodies (no "N 0 obj" line), numbered from CACHE_BASE + 1, in order. */
  objects: Array<{ num: number; body: Buffer }>;
}

let cached: Promise<CachedFont> | undefined;

export function cachedLatinFont(): Promise<CachedFont> {
  cached ??= build().catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function build(): Promise<CachedFont> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(pdfFontkit);
  const scratch = new Set(doc.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  doc.context.largestObjectNumber = CACHE_BASE;
  const font = await doc.embedFont(loadFont(0).bytes, { subset: true });
  font.encodeText([...CACHED_CHARS].join(''));
  await doc.flush();
  const objects = doc.context.enumerateIndirectObjects()
    .filter(([ref]) => !scratch.has(ref.objectNumber))
    .map(([ref, obj]) => ({ num: ref.objectNumber, body: serialise(obj) }))
    .sort((a, b) => a.num - b.num);
  return { font, perChar: perCharFont(font), objects };
}

function perCharFont(font: PDFFont): StampFont {
  const glyphs = new Map([...CACHED_CHARS].map((c) => [c, { hex: font.encodeText(c).asString(), advance: font.widthOfTextAtSize(c, 1) }]));
  const glyph = (c: string) => {
    const g = glyphs.get(c);
    if (!g) throw new Error(`the cached stamp font has no glyph for U+${c.codePointAt(0)!.toString(16)}`);
    return g;
  };
  return {
    ref: font.ref,
    encodeText: (text) => PDFHexString.of(Array.from(text, (c) => glyph(c).hex).join('')),
    widthOfTextAtSize: (text, size) => Array.from(text).reduce((w, c) => w + glyph(c).advance, 0) * size,
  };
}

export function serialise(obj: PDFObject): Buffer {
  const body = Buffer.alloc(obj.sizeInBytes());
  obj.copyBytesInto(body, 0);
  return body;
}

/**
 * Renumbers the cached objects' references in a serialised object: only in its dictionary (before
 * "stream"), never in stream data, where the same digits could be font bytes.
 */
export function renumber(body: Buffer, map: (num: number) => number): Buffer {
  const streamAt = body.indexOf('\nstream\n');
  const head = body.toString('latin1', 0, streamAt < 0 ? body.length : streamAt);
  const fixed = head.replace(/\b(1\d{7}) 0 R\b/g, (m, n) => {
    const num = Number(n);
    return num > CACHE_BASE ? `${map(num)} 0 R` : m;
  });
  return streamAt < 0 ? Buffer.from(fixed, 'latin1') : Buffer.concat([Buffer.from(fixed, 'latin1'), body.subarray(streamAt)]);
}
