import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';

// pdfjs-dist 4 calls Promise.withResolvers, which Node gained only in 22.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (v: T | PromiseLike<T>) => void;
      let reject!: (e?: unknown) => void;
      const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
      return { promise, resolve, reject };
    },
  });
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * The text of each page, as pdfjs extracts it. pdfjs returns each drawn string whole even when it is
 * rotated (pdftotext breaks diagonal text into fragments), which suits checks on watermarks.
 * Items are joined as drawn; a line break separates items pdfjs sees as ending a line.
 * Encrypted files with an empty user password open as a reader would open them.
 */
export async function pdfPageTexts(buf: Uint8Array): Promise<string[]> {
  const pages = await pdfPageItems(buf);
  return pages.map((items) => items.map((i) => i.str + (i.hasEOL ? '\n' : '')).join(''));
}

export interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  /** Start of the string on the page as displayed (CropBox and /Rotate applied), in points, y up. */
  x: number;
  y: number;
  /** Direction of the baseline as displayed, in degrees counter-clockwise from horizontal. */
  angle: number;
  /** Displayed page size, for checking that text lands on the page. */
  pageWidth: number;
  pageHeight: number;
}

/** Text items with where and at what angle a reader would see them. */
export async function pdfPageItems(buf: Uint8Array): Promise<PdfTextItem[][]> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument, Util } = await pdfjs;
  const task = getDocument({
    data: new Uint8Array(buf),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const pages: PdfTextItem[][] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        // The viewport transform flips y (screen space); undo that so angles read as on paper.
        const m = Util.transform(viewport.transform, item.transform);
        items.push({
          str: item.str,
          hasEOL: item.hasEOL,
          x: m[4],
          y: viewport.height - m[5],
          angle: (Math.atan2(-m[1], m[0]) * 180) / Math.PI,
          pageWidth: viewport.width,
          pageHeight: viewport.height,
        });
      }
      pages.push(items);
      page.cleanup();
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

export interface SamplePdfOptions {
  /** Page indexes to rotate by 90 degrees. */
  rotated?: number[];
  /** Page indexes whose MediaBox starts away from the origin. */
  offsetOrigin?: number[];
  /** false: a classic cross-reference table and no object streams (what the fast watermark path indexes). */
  objectStreams?: boolean;
}

/** A realistic text document: a heading and a few lines of body text on each page. */
export async function makeSamplePdf(pages: number, opts: SamplePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    if (opts.offsetOrigin?.includes(i)) page.setMediaBox(100, 200, 595, 842);
    // One font resource per page, as real documents have (drawText with `font` adds a key per call).
    page.setFont(font);
    const { x, y, height } = page.getMediaBox();
    page.drawText(`Original page ${i + 1} heading`, { x: x + 60, y: y + height - 80, size: 18 });
    for (let l = 0; l < 6; l++) {
      page.drawText(`Body line ${l + 1} of page ${i + 1}: the quick brown fox jumps over the lazy dog.`, {
        x: x + 60,
        y: y + height - 120 - l * 18,
        size: 11,
      });
    }
    if (opts.rotated?.includes(i)) page.setRotation(degrees(90));
  }
  return doc.save({ useObjectStreams: opts.objectStreams ?? true });
}
