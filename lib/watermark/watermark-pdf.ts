import crypto from 'node:crypto';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRef,
  PDFString,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
} from '@cantoo/pdf-lib';
import { formatCopyCode, METADATA_PREFIX } from '../copies/code';
import { AppError } from '../errors';
import { fontFor, loadFont } from './fonts';
import { pdfFontkit } from './pdf-fontkit';
import { markLine, type WatermarkMark } from './mark-text';
import { visibleBox, visualFrame } from './page-geometry';
import { StampBuilder } from './stamp';
import { splitRuns } from './text-runs';

export interface WatermarkOptions {
  /** When false the copy is encrypted (empty user password) with printing, copying and editing off. */
  allowPrint: boolean;
  /** The copy code of this release (lib/copies): written into the Info dictionary's keywords as well. */
  copyCode?: string;
}

// One message for every way a document can fail to load: the details go to the log via `cause`.
const unreadable = (cause: unknown, message = 'This PDF could not be read, so it cannot be watermarked.') =>
  new AppError('unprocessable', message, { cause });

const fontLookup = { fontFor, has: (font: number, cp: number) => loadFont(font).hasGlyph(cp) };

/** Stamps every page with who got this copy, from where and when, tiled diagonally. */
export async function watermarkPdf(input: Buffer | Uint8Array, mark: WatermarkMark, opts: WatermarkOptions): Promise<Buffer> {
  // Font problems are ours, not the document's: let them surface as internal errors.
  const runs = splitRuns(markLine(mark), fontLookup);

  let doc: PDFDocument;
  try {
    // Encrypted input throws here unless a password is given, which is what we want: we cannot mark it.
    doc = await PDFDocument.load(input, { updateMetadata: false });
  } catch (e) {
    throw unreadable(e);
  }

  let out: Uint8Array;
  try {
    const pages = doc.getPages();
    if (pages.length === 0) throw new Error('no pages');
    doc.registerFontkit(pdfFontkit);
    const stamp = await StampBuilder.create(doc, runs);
    for (const page of pages) {
      assertContentsPresent(doc, page.node.get(PDFName.of('Contents')));
      const frame = visualFrame(visibleBox(page.getMediaBox(), page.getCropBox()), page.getRotation().angle);
      const name = page.node.newXObject('LiaisonWm', stamp.formFor(frame.width, frame.height));
      // pdf-lib wraps the existing content in q…Q first, so its leftover CTM cannot skew the stamp.
      page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...frame.matrix), drawObject(name), popGraphicsState());
    }
    if (opts.copyCode) writeCopyMetadata(doc, opts.copyCode);
    if (!opts.allowPrint) restrictPrinting(doc);
    out = await doc.save({ updateFieldAppearances: false });
  } catch (e) {
    throw unreadable(e);
  }
  return toBuffer(out);
}

/**
 * Print-disabled copy without a watermark, for shares that turn printing off but not the stamp.
 * Same refusal as watermarkPdf for unreadable or already encrypted input.
 */
export async function restrictPdf(input: Buffer | Uint8Array, copyCode?: string): Promise<Buffer> {
  try {
    const doc = await PDFDocument.load(input, { updateMetadata: false });
    if (doc.getPageCount() === 0) throw new Error('no pages');
    if (copyCode) writeCopyMetadata(doc, copyCode);
    restrictPrinting(doc);
    return toBuffer(await doc.save({ updateFieldAppearances: false }));
  } catch (e) {
    throw unreadable(e, 'This PDF could not be read, so a print-disabled copy cannot be made.');
  }
}

/**
 * The copy code in the document's Info dictionary: appended to its Keywords (kept, not replaced) as
 * "liaison-copy:XXXXX-XXXXX", and as a LiaisonCopy entry. Readers show keywords in Document Properties.
 */
function writeCopyMetadata(doc: PDFDocument, code: string): void {
  const keyword = `${METADATA_PREFIX}${formatCopyCode(code)}`;
  const existing = (doc.getKeywords() ?? '').trim();
  doc.setKeywords([...(existing ? [existing] : []), keyword]);
  // setKeywords has made sure the trailer names an Info dictionary.
  const info = doc.context.lookup(doc.context.trailerInfo.Info);
  if (info instanceof PDFDict) info.set(PDFName.of('LiaisonCopy'), PDFString.of(formatCopyCode(code)));
}

const toBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** A truncated file can still parse, with pages whose content objects are gone: refuse those. */
function assertContentsPresent(doc: PDFDocument, contents: unknown): void {
  const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
  for (const r of refs) if (r instanceof PDFRef && doc.context.lookup(r) === undefined) throw new Error(`missing ${r}`);
}

/**
 * AES-256 with an empty user password, so any reader opens the copy; the random owner password,
 * never stored, is what the permissions hang on. Readers honour these flags voluntarily: the
 * watermark is the real deterrent.
 */
function restrictPrinting(doc: PDFDocument): void {
  doc.encrypt({
    userPassword: '',
    ownerPassword: crypto.randomBytes(24).toString('base64url'),
    permissions: {
      printing: false,
      modifying: false,
      copying: false,
      annotating: false,
      fillingForms: false,
      documentAssembly: false,
      // Screen readers may still extract text: accessibility is not the leak we guard against.
      contentAccessibility: true,
    },
  });
}
