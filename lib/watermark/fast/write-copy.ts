import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { copyXmp, metadataKeyword } from '../../copies/metadata';
import { formatCopyCode } from '../../copies/code';
import type { WatermarkMark } from '../mark-text';
import { decodeTextString, encodeTextString } from './pdf-text';
import { buildStampObjects } from './stamp-objects';
import type { FastIndex, IndexedPage, RawEntries } from './types';

export interface FastCopy {
  /** Exactly `size` bytes, produced while the original is read. */
  body: Readable;
  size: number;
}

/** One output piece: bytes we made, or a span of the original copied unchanged. */
type Piece = { made: Buffer } | { copy: [number, number] };

const STAMP_NAME = 'LiaisonWm';
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));
const latin = (s: string) => Buffer.from(s, 'latin1');
const dict = (entries: RawEntries) => `<<${entries.map(([k, v]) => `/${escapeName(k)} ${v}`).join(' ')}>>`;
const escapeName = (k: string) => k.replace(/[^\x21-\x7e]|[#()<>[\]{}/%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const indirect = (num: number, gen: number, body: string | Buffer) =>
  Buffer.concat([latin(`${num} ${gen} obj\n`), typeof body === 'string' ? latin(body) : body, latin('\nendobj\n')]);
const streamObject = (num: number, extra: string, data: Buffer) =>
  indirect(num, 0, Buffer.concat([latin(`<</Length ${data.length}${extra}>>\nstream\n`), data, latin('\nendstream')]));

/**
 * Writes a marked copy in one pass over the original: every live object copied byte for byte, except
 * page objects (content wrapped as [q, original…, Q + stamp] and the stamp added to their resources),
 * the catalog (a new XMP /Metadata) and the Info dictionary (the copy code in /Keywords and
 * /LiaisonCopy). The stamp objects come right after the header, before any original object, and the
 * file ends with one fresh cross-reference table: there is no earlier revision to cut back to, and a
 * truncated copy loses original pages before it could lose the stamp.
 *
 * `mark` absent: metadata only (the pages untouched), for a copy released without a watermark.
 * Every length is known before the first byte, so the size is declared up front.
 */
export async function writeFastCopy(index: FastIndex, original: () => Readable | Promise<Readable>, copyCode: string, mark?: WatermarkMark): Promise<FastCopy> {
  let next = index.maxObj + 1;
  const made: Array<{ num: number; bytes: Buffer }> = [];
  const rewritten = new Map<number, Buffer>();

  if (mark) {
    const sizes = index.pages.map((p) => p.frame);
    const open = next++;
    made.push({ num: open, bytes: streamObject(open, '', latin('q\n')) });
    const stamp = await buildStampObjects({ ...mark, copyCode }, sizes, next);
    next = Math.max(next, ...stamp.objects.map((o) => o.num + 1));
    made.push(...stamp.objects);
    // One closing stream per distinct (matrix, form, name): a uniform document shares one.
    const closers = new Map<string, number>();
    for (const page of index.pages) {
      const name = freshName(page);
      const form = stamp.formFor(page.frame.width, page.frame.height);
      const ops = `\nQ\nq ${page.frame.matrix.map(fmt).join(' ')} cm /${name} Do Q\n`;
      let closer = closers.get(ops);
      if (closer === undefined) {
        closer = next++;
        closers.set(ops, closer);
        made.push({ num: closer, bytes: streamObject(closer, '', latin(ops)) });
      }
      rewritten.set(page.num, pageObject(page, open, closer, name, form));
    }
  }

  const metadata = next++;
  made.push({ num: metadata, bytes: streamObject(metadata, '/Type/Metadata/Subtype/XML', Buffer.from(copyXmp(copyCode), 'utf8')) });
  rewritten.set(index.root.num, indirect(index.root.num, index.root.gen, dict([...index.root.entries, ['Metadata', `${metadata} 0 R`]])));
  const infoEntries = infoWithCode(index.info?.entries ?? [], copyCode);
  let infoRef: string;
  if (index.info) {
    rewritten.set(index.info.num, indirect(index.info.num, index.info.gen, dict(infoEntries)));
    infoRef = `${index.info.num} ${index.info.gen} R`;
  } else {
    const num = next++;
    made.push({ num, bytes: indirect(num, 0, dict(infoEntries)) });
    infoRef = `${num} 0 R`;
  }

  // Lay the copy out and note where each object lands.
  const pieces: Piece[] = [{ made: latin(`%PDF-${index.pdfVersion < '1.4' ? '1.4' : index.pdfVersion}\n%\xe2\xe3\xcf\xd3\n`) }];
  const offsets = new Map<number, [number, number]>();
  let at = (pieces[0] as { made: Buffer }).made.length;
  const place = (num: number, gen: number, piece: Piece, length: number) => {
    offsets.set(num, [at, gen]);
    pieces.push(piece, { made: latin('\n') });
    at += length + 1;
  };
  for (const m of made) place(m.num, 0, { made: m.bytes }, m.bytes.length);
  for (const [num, gen, s, e] of index.objects) {
    const r = rewritten.get(num);
    if (r) place(num, gen, { made: r }, r.length);
    else place(num, gen, { copy: [s, e] }, e - s);
  }
  const xrefAt = at;
  const size = next;
  const rows: string[] = [];
  // Free entries form the list the standard asks for: 0 → first free → … → 0.
  const free = [...Array(size).keys()].filter((n) => n > 0 && !offsets.has(n));
  const nextFree = new Map<number, number>();
  [0, ...free].forEach((n, i, all) => nextFree.set(n, all[i + 1] ?? 0));
  for (let n = 0; n < size; n++) {
    const o = offsets.get(n);
    rows.push(o ? `${String(o[0]).padStart(10, '0')} ${String(o[1]).padStart(5, '0')} n\r\n` : `${String(nextFree.get(n)).padStart(10, '0')} ${n === 0 ? '65535' : '00001'} f\r\n`);
  }
  const id1 = crypto.randomBytes(16).toString('hex');
  const tail = latin(
    `xref\n0 ${size}\n${rows.join('')}trailer\n<</Size ${size} /Root ${index.root.num} ${index.root.gen} R /Info ${infoRef} /ID [<${index.id0 ?? id1}> <${id1}>]>>\nstartxref\n${xrefAt}\n%%EOF\n`,
  );
  pieces.push({ made: tail });
  const total = at + tail.length;
  return { body: stream(pieces, original, total), size: total };
}

/** A name for the stamp that the page's own XObjects do not use. */
function freshName(page: IndexedPage): string {
  const taken = new Set(page.xobjects.map(([k]) => k));
  let name = STAMP_NAME;
  for (let i = 1; taken.has(name); i++) name = `${STAMP_NAME}${i}`;
  return name;
}

function pageObject(page: IndexedPage, open: number, closer: number, name: string, form: number): Buffer {
  const contents = `[${open} 0 R ${page.contents.join(' ')}${page.contents.length ? ' ' : ''}${closer} 0 R]`;
  const resources = dict([...page.resources, ['XObject', dict([...page.xobjects, [name, `${form} 0 R`]])]]);
  return indirect(page.num, page.gen, dict([...page.entries, ['Contents', contents], ['Resources', resources]]));
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

// Pieces are gathered into chunks of about this size: one stream write per object would cost more in
// promise and stream overhead than the copying itself (10,000 writes for 1,000 pages).
const CHUNK_BYTES = 64 * 1024;

/** Streams the pieces, reading the original once, front to back; spans are in increasing order. */
function stream(pieces: Piece[], original: () => Readable | Promise<Readable>, total: number): Readable {
  async function* generate() {
    let src: AsyncIterator<Buffer> | undefined;
    let buf: Buffer = Buffer.alloc(0);
    let bufStart = 0; // original offset of buf[0]
    let written = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const add = (b: Buffer) => {
      pending.push(b);
      pendingBytes += b.length;
      written += b.length;
    };
    const take = () => {
      const out = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      return out;
    };
    const source = async () => (src ??= ((await original()) as AsyncIterable<Buffer>)[Symbol.asyncIterator]());
    try {
      for (const p of pieces) {
        if ('made' in p) add(p.made);
        else {
          let [s, e] = p.copy;
          while (s < e) {
            if (s >= bufStart + buf.length) {
              const r = await (await source()).next();
              if (r.done) throw new Error('original ended before the index said it would');
              bufStart += buf.length;
              buf = r.value;
              continue;
            }
            if (s < bufStart) throw new Error('copy spans out of order');
            // Sliced views of the source chunk are only kept until the next yield, when they are copied out.
            const part = buf.subarray(s - bufStart, Math.min(buf.length, e - bufStart));
            add(part);
            s += part.length;
          }
        }
        // The header goes out at once: the first byte waits for nothing but the plan.
        if (pendingBytes >= CHUNK_BYTES || p === pieces[0]) yield take();
      }
      if (pendingBytes > 0) yield take();
      if (written !== total) throw new Error(`wrote ${written} bytes, declared ${total}`);
    } finally {
      await src?.return?.();
    }
  }
  return Readable.from(generate(), { objectMode: false });
}
