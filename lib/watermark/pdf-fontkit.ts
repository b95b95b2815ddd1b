import type { PDFDocument } from '@cantoo/pdf-lib';
import * as fontkit from '@cantoo/fontkit';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

/**
 * @cantoo/fontkit is the fontkit build @cantoo/pdf-lib is made for (subsetting works as it expects).
 * A fresh parse per document: sharing one parsed font between documents would save ~20 ms each, but
 * fontkit caches glyph objects and the state shaping leaves on them, and a later document then got a
 * wrong ToUnicode map ("b\u0002b" for "bob"), so its mark no longer extracted as text.
 */
export const pdfFontkit: Fontkit = {
  create(bytes: Uint8Array) {
    return (fontkit as unknown as { create(b: Uint8Array): ReturnType<Fontkit['create']> }).create(bytes);
  },
};
