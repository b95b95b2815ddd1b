import sharp from 'sharp';
import { AppError } from '../errors';
import { findCopyCodes } from './code';
import { jpegSegments, JPEG_XMP_NS } from './embed-image';
import { isZip, NotOoxml, readOoxmlCodeText, type OfficeKind } from './embed-ooxml';

/** Where a code was read: typed in, or found in a file's text or metadata. */
export type CodeSource = 'typed' | 'pdf_text' | 'pdf_metadata' | 'image_metadata' | 'office_metadata';

export interface CodesRead { fileType: 'pdf' | 'png' | 'jpeg' | 'webp' | OfficeKind; found: Array<{ code: string; source: CodeSource }> }

// Watermarks tile every page; a leak of a long document is traced from its first pages.
const MAX_PDF_PAGES = 50;

export function sniffType(bytes: Buffer): Exclude<CodesRead['fileType'], OfficeKind> | 'zip' | null {
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length > 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (isZip(bytes)) return 'zip';
  return null;
}

/** The formats read, as the trace page and API errors name them. */
export const TRACEABLE_FORMATS = 'PDF, PNG, JPEG, WebP, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx)';

const unreadable = (cause?: unknown) =>
  new AppError('unprocessable', `This file could not be read. Upload the leaked ${TRACEABLE_FORMATS} file as it was found.`, { cause });

/**
 * The copy codes a leaked file carries: in a PDF, its metadata (Info keywords, the LiaisonCopy entry, XMP)
 * and the text of its pages (the watermark line); in an image, its XMP, EXIF, text chunks and JPEG comments;
 * in an Office file, its LiaisonCopy custom property and core keywords. What the
 * file is comes from its bytes, never from its name or declared type.
 */
export async function readCodesFromFile(bytes: Buffer): Promise<CodesRead> {
  const sniffed = sniffType(bytes);
  if (!sniffed) throw new AppError('unsupported_media_type', `Upload a ${TRACEABLE_FORMATS} file.`);
  if (sniffed === 'zip') return readOffice(bytes);
  const fileType = sniffed;
  const found: CodesRead['found'] = [];
  const add = (codes: string[], source: CodeSource) => {
    for (const code of codes) if (!found.some((f) => f.code === code)) found.push({ code, source });
  };
  if (fileType === 'pdf') {
    const pdf = await readPdf(bytes);
    add(findCopyCodes(pdf.metadata), 'pdf_metadata');
    add(findCopyCodes(pdf.text), 'pdf_text');
  } else {
    let meta;
    try {
      meta = await sharp(bytes, { limitInputPixels: 100_000_000 }).metadata();
    } catch (e) {
      throw unreadable(e);
    }
    const texts = [meta.xmp?.toString('utf8'), meta.exif?.toString('latin1'), ...(meta.comments ?? []).map((c) => c.text)];
    if (fileType === 'jpeg') texts.push(...jpegMetadataTexts(bytes));
    add(findCopyCodes(texts.filter(Boolean).join('\n')), 'image_metadata');
  }
  return { fileType, found };
}

/**
 * Every XMP packet and comment (COM) of a JPEG, read from its segments: sharp shows only one XMP packet
 * and no comments, and a file may hold its own XMP beside the copy's.
 */
function jpegMetadataTexts(bytes: Buffer): string[] {
  const parsed = jpegSegments(bytes);
  if (!parsed) return [];
  return parsed.segments.flatMap((s) => {
    if (s.marker === 0xfe) return [s.data.toString('latin1')];
    if (s.marker === 0xe1 && s.data.toString('latin1', 0, JPEG_XMP_NS.length) === JPEG_XMP_NS) return [s.data.toString('utf8', JPEG_XMP_NS.length)];
    return [];
  });
}

/** An Office file: its LiaisonCopy custom property and core keywords. A zip that is not one is refused. */
function readOffice(bytes: Buffer): CodesRead {
  try {
    const { kind, text } = readOoxmlCodeText(bytes);
    return { fileType: kind, found: findCopyCodes(text).map((code) => ({ code, source: 'office_metadata' as const })) };
  } catch (e) {
    if (e instanceof NotOoxml && e.reason === 'not_ooxml') throw new AppError('unsupported_media_type', `Upload a ${TRACEABLE_FORMATS} file.`);
    if (e instanceof NotOoxml) throw unreadable(e);
    throw e;
  }
}

/** pdfjs 4 calls Promise.withResolvers, which Node has only from 22. */
function ensureWithResolvers() {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers === 'function') return;
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
 * Metadata and page text as pdfjs reads them. pdfjs returns each drawn string whole, even rotated (the
 * diagonal watermark lines), and opens the print-restricted copies Liaison releases (empty user password).
 * No scripts, no fonts loaded, nothing fetched.
 */
async function readPdf(bytes: Buffer): Promise<{ metadata: string; text: string }> {
  ensureWithResolvers();
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument } = await pdfjs;
  const task = getDocument({
    data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false,
    enableXfa: false, stopAtErrors: false, verbosity: 0,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw unreadable(e);
  }
  try {
    const meta = await doc.getMetadata().catch(() => null);
    const info = (meta?.info ?? {}) as Record<string, unknown>;
    const custom = (info.Custom ?? {}) as Record<string, unknown>;
    const metadata = [info.Keywords, info.Subject, custom.LiaisonCopy && `liaison-copy:${String(custom.LiaisonCopy)}`, meta?.metadata ? String(meta.metadata.getRaw() ?? '') : '']
      .filter((v) => typeof v === 'string').join('\n');
    const texts: string[] = [];
    for (let i = 1; i <= Math.min(doc.numPages, MAX_PDF_PAGES); i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      texts.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : ' ') : '')).join(''));
      page.cleanup();
    }
    return { metadata, text: texts.join('\n') };
  } catch (e) {
    throw unreadable(e);
  } finally {
    await task.destroy();
  }
}
