import { PDFDocument, PDFRef } from '@cantoo/pdf-lib';
import { fontFor, loadFont } from '../fonts';
import { markLine, type WatermarkMark } from '../mark-text';
import { pdfFontkit } from '../pdf-fontkit';
import { StampBuilder } from '../stamp';
import { splitRuns } from '../text-runs';

const fontLookup = { fontFor, has: (font: number, cp: number) => loadFont(font).hasGlyph(cp) };

export interface StampObjects {
  /** Serialised "N 0 obj … endobj" blocks, numbered from `firstNumber`. */
  objects: Array<{ num: number; bytes: Buffer }>;
  /** The Form XObject for a page of this visual size. */
  formFor(width: number, height: number): number;
}

/**
 * The same stamp as the pdf-lib path (lib/watermark/stamp.ts: one Form XObject per page size, the same
 * tiling, fonts subset and embedded), built in a scratch pdf-lib document whose new objects are
 * numbered after the original's, then serialised for the streaming writer to place in the copy.
 */
export async function buildStampObjects(mark: WatermarkMark, sizes: Array<{ width: number; height: number }>, firstNumber: number): Promise<StampObjects> {
  const runs = splitRuns(markLine(mark), fontLookup);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(pdfFontkit);
  const scratch = new Set(doc.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, firstNumber - 1);
  const stamp = await StampBuilder.create(doc, runs);
  const forms = new Map<string, PDFRef>();
  const key = (w: number, h: number) => `${Math.round(w)}x${Math.round(h)}`;
  for (const s of sizes) forms.set(key(s.width, s.height), stamp.formFor(s.width, s.height));
  await doc.flush();
  const objects: StampObjects['objects'] = [];
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (scratch.has(ref.objectNumber)) continue;
    if (ref.objectNumber < firstNumber) throw new Error('stamp object numbered inside the original');
    const body = Buffer.alloc(obj.sizeInBytes());
    obj.copyBytesInto(body, 0);
    objects.push({ num: ref.objectNumber, bytes: Buffer.concat([Buffer.from(`${ref.objectNumber} 0 obj\n`), body, Buffer.from('\nendobj\n')]) });
  }
  objects.sort((a, b) => a.num - b.num);
  return {
    objects,
    formFor: (w, h) => {
      const ref = forms.get(key(w, h));
      if (!ref) throw new Error(`no stamp form for ${key(w, h)}`);
      return ref.objectNumber;
    },
  };
}
