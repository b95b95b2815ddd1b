import {
  PDFDocument,
  PDFHexString,
  PDFOperator,
  PDFRef,
  beginText,
  endText,
  rotateAndSkewTextDegreesAndTranslate,
  setFillingGrayscaleColor,
  setFontAndSize,
  setGraphicsState,
  showText,
} from '@cantoo/pdf-lib';
import { loadFont } from './fonts';
import type { TextRun } from './text-runs';
import { stampStyle, tileOrigins } from './tile-layout';

const OPACITY = 0.25;
const GREY = 0.3;

/** The form a page of this size is stamped with: sizes differing by under a point would look the same, and share one. */
export const stampSizeKey = (width: number, height: number) => `${Math.round(width)}x${Math.round(height)}`;

/** What the stamp needs of a font: a PDFFont, or the streaming path's pre-laid-out one (fast/font-cache.ts). */
export interface StampFont {
  ref: PDFRef;
  encodeText(text: string): PDFHexString;
  widthOfTextAtSize(text: string, size: number): number;
}

/**
 * Builds the tiled watermark once per distinct page size as a Form XObject inside the target
 * document, so a 1,000-page file carries one copy of the drawing and each page only a `Do`.
 * Every repetition is one BT…ET block, so text extractors return each copy as one line.
 */
export class StampBuilder {
  private readonly forms = new Map<string, PDFRef>();
  private fonts: StampFont[] = [];
  private gsRef?: PDFRef;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly runs: TextRun[],
  ) {}

  static async create(doc: PDFDocument, runs: TextRun[]): Promise<StampBuilder> {
    const used = [...new Set(runs.map((r) => r.font))];
    // Subsetting keeps a CJK name to a few KB instead of the whole 4.6 MB font.
    const embedded = await Promise.all(used.map((i) => doc.embedFont(loadFont(i).bytes, { subset: true })));
    return StampBuilder.withFonts(doc, runs, runs.map((r) => embedded[used.indexOf(r.font)]));
  }

  /** With fonts embedded elsewhere (one per run): the streaming path's per-process font (lib/watermark/fast/font-cache.ts). */
  static withFonts(doc: PDFDocument, runs: TextRun[], fonts: StampFont[]): StampBuilder {
    const b = new StampBuilder(doc, runs);
    b.fonts = fonts;
    b.gsRef = doc.context.register(doc.context.obj({ Type: 'ExtGState', ca: OPACITY, CA: OPACITY }));
    return b;
  }

  formFor(width: number, height: number): PDFRef {
    const key = stampSizeKey(width, height);
    let ref = this.forms.get(key);
    if (!ref) {
      ref = this.doc.context.register(this.buildForm(Math.round(width), Math.round(height)));
      this.forms.set(key, ref);
    }
    return ref;
  }

  private buildForm(width: number, height: number) {
    const style = stampStyle(width, height);
    const fontNames = this.fonts.map((_, i) => `F${i}`);
    const encoded = this.runs.map((r, i) => this.fonts[i].encodeText(r.text));
    const lineWidth = this.runs.reduce((sum, r, i) => sum + this.fonts[i].widthOfTextAtSize(r.text, style.fontSize), 0);

    const ops: PDFOperator[] = [setGraphicsState('GS0'), setFillingGrayscaleColor(GREY)];
    const line = (size: number, angle: number, x: number, y: number) => {
      ops.push(beginText(), rotateAndSkewTextDegreesAndTranslate(angle, 0, 0, x, y));
      // Runs in other fonts follow on in the same text object: the text position advances by itself.
      encoded.forEach((text, i) => ops.push(setFontAndSize(fontNames[i], size), showText(text)));
      ops.push(endText());
    };
    for (const p of tileOrigins(width, height, lineWidth, style)) line(style.fontSize, style.angle, p.x, p.y);

    // One small horizontal copy along the bottom edge: pdftotext and similar tools break diagonal
    // text into fragments, and this keeps the mark searchable by them.
    const margin = style.fontSize;
    const footerSize = Math.max(4, Math.min(style.fontSize * 0.6, ((width - 2 * margin) / lineWidth) * style.fontSize));
    line(footerSize, 0, margin, footerSize * 1.2);

    const fontDict: Record<string, PDFRef> = {};
    this.fonts.forEach((f, i) => (fontDict[fontNames[i]] = f.ref));
    return this.doc.context.formXObject(ops, {
      BBox: [0, 0, width, height],
      Resources: { Font: fontDict, ExtGState: { GS0: this.gsRef! } },
    });
  }
}
