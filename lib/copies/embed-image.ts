import { copyXmp, metadataKeyword, pngCodeChunks } from './metadata';

/**
 * Where a copy code goes in an image, without re-encoding it: the copy is `prefix`, then the original's
 * bytes from `consume` on, then `suffix`. The metadata sits at the start (JPEG, PNG) or its header at
 * the start and its chunk at the end (WebP), so a large image is streamed: only its head is held.
 */
export interface ImagePlan { consume: number; prefix: Buffer; suffix: Buffer }

/** The head does not yet hold the structure the plan needs: read more. */
export const MORE = 'more' as const;
/** The head was read and the image cannot carry the code: the reason, for the audit. */
export interface NotEmbeddable { notEmbedded: string }

export type PlanResult = ImagePlan | typeof MORE | NotEmbeddable;

export type ImageKind = 'png' | 'jpeg' | 'webp';

export function sniffImage(head: Buffer): ImageKind | null {
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export function planImage(kind: ImageKind, head: Buffer, totalSize: number, code: string): PlanResult {
  if (kind === 'png') return planPng(head, code);
  if (kind === 'jpeg') return planJpeg(head, code);
  return planWebp(head, totalSize, code);
}

// PNG: after IHDR (the first chunk, 8 + 25 bytes in).
function planPng(head: Buffer, code: string): PlanResult {
  if (head.length < 16) return MORE;
  if (head.toString('latin1', 12, 16) !== 'IHDR') return { notEmbedded: 'malformed_png' };
  const ihdrEnd = 8 + 8 + head.readUInt32BE(8) + 4;
  if (ihdrEnd > 1024) return { notEmbedded: 'malformed_png' };
  if (head.length < ihdrEnd) return MORE;
  return { consume: ihdrEnd, prefix: Buffer.concat([head.subarray(0, ihdrEnd), pngCodeChunks(code)]), suffix: Buffer.alloc(0) };
}

export const JPEG_XMP_NS = 'http://ns.adobe.com/xap/1.0/\0';
const JPEG_SOS = 0xda;
const JPEG_EOI = 0xd9;

export interface JpegSegment { marker: number; start: number; data: Buffer }

/**
 * The marker segments of a JPEG before its image data (SOS), in order, each with its payload. Stops
 * cleanly at the end of `bytes` (a head): `complete` says whether SOS was reached. Null when the bytes
 * are not a well-formed JPEG header.
 */
export function jpegSegments(bytes: Buffer): { segments: JpegSegment[]; complete: boolean } | null {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const segments: JpegSegment[] = [];
  let at = 2;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    while (at < bytes.length && bytes[at] === 0xff && bytes[at + 1] === 0xff) at++;
    if (at + 4 > bytes.length) return { segments, complete: false };
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === JPEG_SOS || marker === JPEG_EOI) return { segments, complete: true };
    // Stand-alone markers (TEM, RSTn) carry no length; none belongs before SOS, but they are harmless.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) return null;
    if (at + 2 + length > bytes.length) return { segments, complete: false };
    segments.push({ marker, start: at, data: bytes.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
  }
}

function jpegSegment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

// A JFIF APP0 must come first, and an Exif APP1 first or right after it (Exif 2.3, 4.5.4); the XMP APP1
// goes after them, where readers look for it. Four such segments at most are skipped (64 KB each).
const LEADING_SEGMENTS = 4;

function planJpeg(head: Buffer, code: string): PlanResult {
  const parsed = jpegSegments(head);
  if (!parsed) return { notEmbedded: 'malformed_jpeg' };
  let insertAt = 2;
  let i = 0;
  for (; i < parsed.segments.length && i < LEADING_SEGMENTS; i++) {
    const s = parsed.segments[i];
    const leading = s.marker === 0xe0 || (s.marker === 0xe1 && s.data.toString('latin1', 0, 6) === 'Exif\0\0');
    if (!leading) break;
    insertAt = s.start + 2 + 2 + s.data.length;
  }
  // Every segment read was a leading one and the header goes on: the next one may be leading too.
  if (i === parsed.segments.length && i < LEADING_SEGMENTS && !parsed.complete) return MORE;
  const xmp = jpegSegment(0xe1, Buffer.concat([Buffer.from(JPEG_XMP_NS, 'latin1'), Buffer.from(copyXmp(code), 'utf8')]));
  const comment = jpegSegment(0xfe, Buffer.from(metadataKeyword(code), 'latin1'));
  return { consume: insertAt, prefix: Buffer.concat([head.subarray(0, insertAt), xmp, comment]), suffix: Buffer.alloc(0) };
}

const VP8X_XMP = 0x04;
const VP8X_ALPHA = 0x10;

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function vp8x(flags: number, width: number, height: number): Buffer {
  const d = Buffer.alloc(10);
  d[0] = flags;
  d.writeUIntLE(width - 1, 4, 3);
  d.writeUIntLE(height - 1, 7, 3);
  return riffChunk('VP8X', d);
}

/**
 * WebP (RIFF): the XMP chunk goes last, where the container spec orders it, and the VP8X header says
 * so (flag bit). A simple-format file (VP8 or VP8L alone) gets a VP8X header, its canvas size read
 * from the bitstream header. A file that already has XMP is released unchanged: two XMP chunks would
 * make strict readers refuse it.
 */
function planWebp(head: Buffer, totalSize: number, code: string): PlanResult {
  if (head.length < 30) return totalSize < 30 ? { notEmbedded: 'malformed_webp' } : MORE;
  // The RIFF size must cover the file exactly: the new size is computed from it.
  if (head.readUInt32LE(4) + 8 !== totalSize || totalSize % 2) return { notEmbedded: 'malformed_webp' };
  const first = head.toString('latin1', 12, 16);
  const xmp = riffChunk('XMP ', Buffer.from(copyXmp(code), 'utf8'));
  let header: Buffer;
  let consume = 12;
  if (first === 'VP8X') {
    if (head.readUInt32LE(16) !== 10) return { notEmbedded: 'malformed_webp' };
    if (head[20] & VP8X_XMP) return { notEmbedded: 'webp_has_xmp' };
    header = Buffer.from(head.subarray(12, 30));
    header[8] |= VP8X_XMP;
    consume = 30;
  } else {
    const size = webpCanvas(first, head.subarray(20, 30));
    if (!size) return { notEmbedded: 'malformed_webp' };
    header = vp8x(VP8X_XMP | (size.alpha ? VP8X_ALPHA : 0), size.width, size.height);
  }
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(totalSize - consume + 12 + header.length + xmp.length - 8, 4);
  riff.write('WEBP', 8, 'latin1');
  return { consume, prefix: Buffer.concat([riff, header]), suffix: xmp };
}

/** The canvas of a simple-format WebP, from its VP8 key frame header or VP8L header (RFC 9649). */
function webpCanvas(chunk: string, d: Buffer): { width: number; height: number; alpha: boolean } | null {
  if (chunk === 'VP8 ') {
    if (d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) return null;
    return { width: d.readUInt16LE(6) & 0x3fff, height: d.readUInt16LE(8) & 0x3fff, alpha: false };
  }
  if (chunk === 'VP8L') {
    if (d[0] !== 0x2f) return null;
    const bits = d.readUInt32LE(1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
  }
  return null;
}
