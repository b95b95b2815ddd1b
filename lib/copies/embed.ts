import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { MORE, planImage, sniffImage, type ImageKind, type ImagePlan } from './embed-image';
import { isZip, MAX_OOXML_BYTES, NotOoxml, ooxmlWithCopyCode } from './embed-ooxml';

/**
 * The one entry point for putting a copy code into an original released without a watermark (not a
 * PDF: lib/watermark stamps those). What the file is comes from its bytes, never from its declared
 * media type, so a JPEG uploaded as application/octet-stream still carries its code.
 *
 * - PNG, JPEG, WebP: metadata chunks or segments, inserted without re-encoding (lib/copies/embed-image.ts);
 *   streamed when large, only the head is held.
 * - Office Open XML: document properties (lib/copies/embed-ooxml.ts), up to MAX_OOXML_BYTES, in memory.
 * - Anything else, or a file that cannot carry the code: the original, unchanged, with the reason.
 */
export type CodePlace = 'png_metadata' | 'jpeg_metadata' | 'webp_metadata' | 'office_properties';

export interface CopyBytes {
  body: Buffer | Readable;
  size: number;
  /** Where the bytes carry the code, or null when they are the original's. */
  embedded: CodePlace | null;
  /** Why an original was released unchanged ('unsupported_type' for formats that carry no metadata). */
  notEmbedded: string | null;
  /** The SHA-256 of the released copy, when it differs from the original. */
  sha256: string | null;
}

/** The original: whole (small files), or a way to open it as a stream (its size known). */
export type Original = { bytes: Buffer } | { open: () => Readable | Promise<Readable>; size: number };

// The most of an image's head held while looking for where the code goes (JPEG: up to four 64 KB segments).
const MAX_IMAGE_HEAD = 4 * 65538 + 64;

const PLACE: Record<ImageKind, CodePlace> = { png: 'png_metadata', jpeg: 'jpeg_metadata', webp: 'webp_metadata' };

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

const unchanged = (body: Buffer | Readable, size: number, notEmbedded: string): CopyBytes => ({ body, size, embedded: null, notEmbedded, sha256: null });

export async function embedCopyCode(original: Original, code: string): Promise<CopyBytes> {
  if ('bytes' in original) return embedWhole(original.bytes, code);
  const { head, rest, done } = await readHead(await original.open(), (h) => h.length >= 64);
  const kind = sniffImage(head);
  if (kind) return embedStreamedImage(kind, original, head, rest, done, code);
  if (isZip(head) && original.size <= MAX_OOXML_BYTES) {
    const chunks = [head];
    for (let n = await rest.next(); !n.done; n = await rest.next()) chunks.push(n.value);
    return embedWhole(Buffer.concat(chunks), code);
  }
  return unchanged(Readable.from(replay([head], rest)), original.size, isZip(head) ? 'too_large' : 'unsupported_type');
}

function embedWhole(bytes: Buffer, code: string): CopyBytes {
  const kind = sniffImage(bytes);
  if (kind) {
    const plan = planImage(kind, bytes, bytes.length, code);
    if (plan === MORE) return unchanged(bytes, bytes.length, `malformed_${kind}`);
    if ('notEmbedded' in plan) return unchanged(bytes, bytes.length, plan.notEmbedded);
    const out = Buffer.concat([plan.prefix, bytes.subarray(plan.consume), plan.suffix]);
    return { body: out, size: out.length, embedded: PLACE[kind], notEmbedded: null, sha256: sha256(out) };
  }
  if (isZip(bytes)) {
    if (bytes.length > MAX_OOXML_BYTES) return unchanged(bytes, bytes.length, 'too_large');
    try {
      const out = ooxmlWithCopyCode(bytes, code);
      return { body: out, size: out.length, embedded: 'office_properties', notEmbedded: null, sha256: sha256(out) };
    } catch (e) {
      // A damaged or foreign zip is released as stored, as before copy codes: the share allowed this
      // download of this file, and refusing it because its metadata cannot be written would withhold
      // what the owner chose to release. The record and the audit event say the code is not in it.
      if (e instanceof NotOoxml) return unchanged(bytes, bytes.length, e.reason);
      throw e;
    }
  }
  return unchanged(bytes, bytes.length, 'unsupported_type');
}

async function embedStreamedImage(kind: ImageKind, original: { open: () => Readable | Promise<Readable>; size: number }, first: Buffer, rest: AsyncIterator<Buffer>, done: boolean, code: string): Promise<CopyBytes> {
  let head = first;
  let ended = done;
  let plan = planImage(kind, head, original.size, code);
  while (plan === MORE && !ended && head.length < MAX_IMAGE_HEAD) {
    const n = await rest.next();
    if (n.done) ended = true;
    else head = Buffer.concat([head, n.value]);
    plan = planImage(kind, head, original.size, code);
  }
  if (plan === MORE || 'notEmbedded' in plan) {
    return unchanged(Readable.from(replay([head], rest)), original.size, plan === MORE ? `malformed_${kind}` : plan.notEmbedded);
  }
  const size = original.size - plan.consume + plan.prefix.length + plan.suffix.length;
  // The audit event names the copy's hash before any byte leaves, so the copy is hashed first, from a
  // second read of the original (the plan depends only on the head and the code, so both reads agree).
  let hash: string;
  try {
    hash = await hashCopy(await original.open(), plan);
  } catch (e) {
    await rest.return?.();
    throw e;
  }
  return { body: Readable.from(replay([plan.prefix, head.subarray(plan.consume)], rest, plan.suffix)), size, embedded: PLACE[kind], notEmbedded: null, sha256: hash };
}

async function hashCopy(stream: Readable, plan: ImagePlan): Promise<string> {
  const h = crypto.createHash('sha256').update(plan.prefix);
  let skip = plan.consume;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (skip >= chunk.length) { skip -= chunk.length; continue; }
    h.update(skip ? chunk.subarray(skip) : chunk);
    skip = 0;
  }
  return h.update(plan.suffix).digest('hex');
}

/** Reads chunks until `enough` says the head will do, or the stream ends; the rest is left unread. */
async function readHead(stream: Readable, enough: (head: Buffer) => boolean): Promise<{ head: Buffer; rest: AsyncIterator<Buffer>; done: boolean }> {
  const rest = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (!enough(head)) {
    const n = await rest.next();
    if (n.done) return { head, rest, done: true };
    head = Buffer.concat([head, n.value]);
  }
  return { head, rest, done: false };
}

/** The head (as rewritten), then the rest of the original, then the suffix; closing it closes the original. */
async function* replay(head: Buffer[], rest: AsyncIterator<Buffer>, suffix?: Buffer): AsyncGenerator<Buffer> {
  try {
    for (const h of head) if (h.length) yield h;
    for (let n = await rest.next(); !n.done; n = await rest.next()) yield n.value;
    if (suffix?.length) yield suffix;
  } finally {
    await rest.return?.();
  }
}
