import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from '@cantoo/fontkit';

/**
 * Fallback order: the first font with a glyph for a letter draws it. Noto Sans goes first because it
 * covers Latin, Greek and Cyrillic and so draws the fixed parts of the line (digits, "·", "UTC");
 * the 4.6 MB CJK font goes last so it is only read when a name needs it.
 */
export const FONT_FILES = [
  'NotoSans-Regular.ttf',
  'NotoSansArabic-Regular.ttf',
  'NotoSansHebrew-Regular.ttf',
  'NotoSansDevanagari-Regular.ttf',
  'NotoSansBengali-Regular.ttf',
  'NotoSansGurmukhi-Regular.ttf',
  'NotoSansGujarati-Regular.ttf',
  'NotoSansTamil-Regular.ttf',
  'NotoSansTelugu-Regular.ttf',
  'NotoSansKannada-Regular.ttf',
  'NotoSansMalayalam-Regular.ttf',
  'NotoSansSinhala-Regular.ttf',
  'NotoSansThai-Regular.ttf',
  'NotoSansLao-Regular.ttf',
  'NotoSansKhmer-Regular.ttf',
  'NotoSansArmenian-Regular.ttf',
  'NotoSansGeorgian-Regular.ttf',
  'NotoSansEthiopic-Regular.ttf',
  'WenQuanYiMicroHei.ttf',
] as const;

/** Resolved from the working directory, like prisma/migrations: the server always starts at the root. */
export const fontsDir = () => path.resolve(process.cwd(), 'assets/fonts');

interface LoadedFont {
  bytes: Uint8Array;
  hasGlyph: (codePoint: number) => boolean;
}

// Read and parsed at most once per process; documents embed (and subset) from these bytes.
const loaded = new Map<number, LoadedFont>();

export function loadFont(index: number): LoadedFont {
  let font = loaded.get(index);
  if (!font) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(fontsDir(), FONT_FILES[index])));
    // Only its cmap is read here (no layout), so one parse per process is safe.
    const face = fontkit.create(bytes);
    // Our assets are single-face .ttf files, never collections.
    if (!('hasGlyphForCodePoint' in face)) throw new Error(`${FONT_FILES[index]} is a font collection, not a single font`);
    loaded.set(index, (font = { bytes, hasGlyph: (cp) => face.hasGlyphForCodePoint(cp) }));
  }
  return font;
}

/** Index of the first font that can draw the code point, or undefined when none can. */
export function fontFor(codePoint: number): number | undefined {
  for (let i = 0; i < FONT_FILES.length; i++) if (loadFont(i).hasGlyph(codePoint)) return i;
  return undefined;
}
