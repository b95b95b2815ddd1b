import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { copyXmp, metadataKeyword } from '../../copies/metadata';
import { formatCopyCode } from '../../copies/code';
import type { WatermarkMark } from '../mark-text';
import { indirectText, rawDict } from './mark-plan';
import { decodeTextString, encodeTextString } from './pdf-text';
import { buildStampObjects } from './stamp-objects';
import type { FastIndex, RawEntries } from './types';

export interface FastCopy {
  /** Exactly `size` bytes, produced while the original is read. */
  body: Readable;
  size: number;
}

type Made = { num: number; gen: number; bytes: Buffer };

const latin = (s: string) => Buffer.from(s, 'latin1');
const indirect = (num: number, gen: number, body: string) => latin(indirectText(num, gen, body));
const streamObject = (num: number, extra: string, data: Buffer) =>
  Buffer.concat([latin(`${num} 0 obj\n<</Length ${data.length}${extra}>>\nstream\n`), data, latin('\nendstream\nendobj\n')]);
// Each cross-reference row is exactly 20 bytes ("nnnnnnnnnn ggggg n\r\n"), so the table's length is known before any offset is.
const ROW = 20;

/**
 * Writes a marked copy in one pass over the original: every live object copied byte for byte, except
 * page objects (content wrapped as [q, original…, Q + stamp] and the stamp added to their resources:
 * written at upload, ./mark-plan.ts), the catalog (a new XMP /Metadata) and the Info dictionary (the
 * copy code in /Keywords and /LiaisonCopy), which go after the original objects. The stamp objects come
 * right after the header, before any original object, and the file ends with one fresh
 * cross-reference table: there is no earlier revision to cut back to, and a truncated copy loses
 * original pages before it could lose the stamp.
 *
 * `mark` absent: metadata only (the pages untouched), for a copy released without a watermark.
 * Before the first byte only the recipient's own objects are built and the lengths summed; the page
 * objects, the offsets and the table are produced as the copy streams.
 */
export async function writeFastCopy(index: FastIndex, original: () => Readable | Promise<Readable>, copyCode: string, mark?: WatermarkMark): Promise<FastCopy> {
  const made: Made[] = [];
  let next = index.maxObj + 1;
  if (mark) {
    const plan = index.stamp;
    made.push({ num: plan.open, gen: 0, bytes: streamObject(plan.open, '', latin('q\n')) });
    for (const c of plan.closers) made.push({ num: c.num, gen: 0, bytes: streamObject(c.num, '', latin(c.ops)) });
    for (const o of await buildStampObjects({ ...mark, copyCode }, plan.forms, plan.next)) made.push({ ...o, gen: 0 });
    next = Math.max(plan.next, ...made.map((o) => o.num + 1));
  }
  const metadata = next++;
  made.push({ num: metadata, gen: 0, bytes: streamObject(metadata, '/Type/Metadata/Subtype/XML', Buffer.from(copyXmp(copyCode), 'utf8')) });
  // The catalog and an existing Info dictionary are rewritten and moved after the original objects; a
  // file without Info gets a new one among the made objects.
  const { num: infoNum, gen: infoGen } = index.info ?? { num: next++, gen: 0 };
  const info: Made = { num: infoNum, gen: infoGen, bytes: indirect(infoNum, infoGen, rawDict(infoWithCode(index.info?.entries ?? [], copyCode))) };
  const root: Made = { num: index.root.num, gen: index.root.gen, bytes: indirect(index.root.num, index.root.gen, rawDict([...index.root.entries, ['Metadata', `${metadata} 0 R`]])) };
  const after = index.info ? [root, info] : [root];
  if (!index.info) made.push(info);
  const moved = new Set(after.map((m) => m.num));
  const size = next;

  const header = latin(`%PDF-${index.pdfVersion < '1.4' ? '1.4' : index.pdfVersion}\n%\xe2\xe3\xcf\xd3\n`);
  const marked = mark ? new Map(index.pages.map((p) => [p.num, p.marked])) : undefined;
  // Every piece is followed by one newline.
  let xrefAt = header.length;
  for (const m of made) xrefAt += m.bytes.length + 1;
  for (const [num, , s, e] of index.objects) {
    if (moved.has(num)) continue;
    const page = marked?.get(num);
    xrefAt += (page !== undefined ? page.length : e - s) + 1;
  }
  for (const m of after) xrefAt += m.bytes.length + 1;
  const id1 = crypto.randomBytes(16).toString('hex');
  const trailer = latin(`trailer\n<</Size ${size} /Root ${root.num} ${root.gen} R /Info ${info.num} ${info.gen} R /ID [<${index.id0 ?? id1}> <${id1}>]>>\nstartxref\n${xrefAt}\n%%EOF\n`);
  const tableHead = latin(`xref\n0 ${size}\n`);
  const total = xrefAt + tableHead.length + ROW * size + trailer.length;
  return { body: stream({ index, header, made, after, moved, marked, size, tableHead, trailer }, original, total), size: total };
}

/** The Info entries with the copy code added to /Keywords (kept, not replaced) and as /LiaisonCopy, as the pdf-lib path writes them. */
function infoWithCode(entries: RawEntries, code: string): RawEntries {
  const old = entries.find(([k]) => k === 'Keywords');
  const existing = old ? (decodeTextString(old[1]) ?? '').trim() : '';
  const keywords = [...(existing ? [existing] : []), metadataKeyword(code)].join(' ');
  return [
    ...entries.filter(([k]) => k !== 'Keywords' && k !== 'LiaisonCopy'),
    ['Keywords', encodeTextString(keywords)],
    ['LiaisonCopy', encodeTextString(formatCopyCode(code))],
  ];
}

interface Layout {
  index: FastIndex;
  header: Buffer;
  made: Made[];
  after: Made[];
  /** Original objects written with `after`, not in their place. */
  moved: Set<number>;
  marked?: Map<number, string>;
  size: number;
  tableHead: Buffer;
  trailer: Buffer;
}

/** The cross-reference rows: in use at its offset, or free, the free ones chained 0 → first free → … → 0. */
function table(size: number, offsets: Float64Array, gens: Uint16Array): Buffer {
  const out = Buffer.alloc(ROW * size);
  let nextFree = 0;
  for (let n = size - 1; n >= 0; n--) {
    const inUse = n > 0 && offsets[n] >= 0;
    const row = inUse ? `${String(offsets[n]).padStart(10, '0')} ${String(gens[n]).padStart(5, '0')} n\r\n`
      : `${String(nextFree).padStart(10, '0')} ${n === 0 ? '65535' : '00001'} f\r\n`;
    out.write(row, n * ROW, 'latin1');
    if (!inUse) nextFree = n;
  }
  return out;
}

// Pieces are gathered into chunks of about this size: one stream write per object would cost more in
// promise and stream overhead than the copying itself (10,000 writes for 1,000 pages).
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = latin('\n');

/** Streams the copy, reading the original once, front to back (the index lists objects in file order). */
function stream(l: Layout, original: () => Readable | Promise<Readable>, total: number): Readable {
  async function* generate() {
    let src: AsyncIterator<Buffer> | undefined;
    let buf: Buffer = Buffer.alloc(0);
    let bufStart = 0; // original offset of buf[0]
    let written = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const offsets = new Float64Array(l.size).fill(-1);
    const gens = new Uint16Array(l.size);
    const add = (b: Buffer) => {
      pending.push(b);
      pendingBytes += b.length;
      written += b.length;
    };
    const object = (num: number, gen: number, b: Buffer) => {
      offsets[num] = written;
      gens[num] = gen;
      add(b);
      add(NEWLINE);
    };
    const take = () => {
      const out = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      return out;
    };
    const source = async () => (src ??= ((await original()) as AsyncIterable<Buffer>)[Symbol.asyncIterator]());
    try {
      add(l.header);
      // The header goes out at once: the first byte waits for nothing but the plan.
      yield take();
      for (const m of l.made) object(m.num, m.gen, m.bytes);
      for (const [num, gen, start, end] of l.index.objects) {
        if (l.moved.has(num)) continue;
        const page = l.marked?.get(num);
        if (page !== undefined) object(num, gen, latin(page));
        else {
          offsets[num] = written;
          gens[num] = gen;
          let s = start;
          while (s < end) {
            if (s >= bufStart + buf.length) {
              const r = await (await source()).next();
              if (r.done) throw new Error('original ended before the index said it would');
              bufStart += buf.length;
              buf = r.value;
              continue;
            }
            if (s < bufStart) throw new Error('copy spans out of order');
            // Sliced views of the source chunk are only kept until the next yield, when they are copied out.
            const part = buf.subarray(s - bufStart, Math.min(buf.length, end - bufStart));
            add(part);
            s += part.length;
          }
          add(NEWLINE);
        }
        if (pendingBytes >= CHUNK_BYTES) yield take();
      }
      for (const m of l.after) object(m.num, m.gen, m.bytes);
      add(l.tableHead);
      add(table(l.size, offsets, gens));
      add(l.trailer);
      yield take();
      if (written !== total) throw new Error(`wrote ${written} bytes, declared ${total}`);
    } finally {
      await src?.return?.();
    }
  }
  return Readable.from(generate(), { objectMode: false });
}
