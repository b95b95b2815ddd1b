import zlib from 'node:zlib';
import { fail, parseIndirect, parseValue, skipWs, type Dict, type Value } from './syntax';

export interface XrefEntry {
  offset: number;
  gen: number;
}

export interface Xref {
  /** In-use objects of the latest revision, by object number. */
  entries: Map<number, XrefEntry>;
  /** The newest trailer (or cross-reference stream dictionary). */
  trailer: Dict;
  /** Object numbers of cross-reference streams: not copied (the output gets a fresh table). */
  xrefStreams: Set<number>;
}

const MAX_SECTIONS = 1000;

/**
 * The merged cross-reference of every revision, newest first (an incremental update's entries win over
 * the ones it replaces). Classic tables and cross-reference streams are read; a compressed entry (an
 * object inside an object stream), a hybrid /XRefStm file, or anything that does not parse is refused.
 */
export function readXref(b: Buffer): Xref {
  const tail = b.toString('latin1', Math.max(0, b.length - 1024));
  const m = /startxref\s+(\d+)\s*%%EOF\s*$/.exec(tail) ?? /startxref\s+(\d+)/.exec(tail.slice(tail.lastIndexOf('startxref')));
  if (!m) fail('no startxref');
  const entries = new Map<number, XrefEntry>();
  const freed = new Set<number>();
  const xrefStreams = new Set<number>();
  let trailer: Dict | undefined;
  const seen = new Set<number>();
  let at: number | undefined = Number(m![1]);
  while (at !== undefined) {
    if (seen.has(at) || seen.size > MAX_SECTIONS || at >= b.length) fail('cross-reference chain loops or points outside the file');
    seen.add(at);
    const p = skipWs(b, at);
    const section = b.toString('latin1', p, p + 4) === 'xref' ? classicSection(b, p + 4) : streamSection(b, p, xrefStreams);
    for (const [num, e] of section.rows) {
      if (entries.has(num) || freed.has(num)) continue;
      if (e === null) freed.add(num);
      else entries.set(num, e);
    }
    if (section.trailer.entries.has('XRefStm')) fail('hybrid cross-reference (/XRefStm)');
    if (section.trailer.entries.has('Encrypt')) fail('encrypted');
    trailer ??= section.trailer;
    const prev = section.trailer.entries.get('Prev');
    at = prev ? (prev.t === 'num' && Number.isInteger(prev.v) ? prev.v : fail('bad /Prev')) : undefined;
  }
  entries.delete(0);
  return { entries, trailer: trailer!, xrefStreams };
}

type Rows = Array<[number, XrefEntry | null]>;

function classicSection(b: Buffer, p: number): { rows: Rows; trailer: Dict } {
  const rows: Rows = [];
  const re = /\s*(\d+)\s+(\d+)/y;
  const entry = /\s*(\d{10})\s(\d{5})\s([nf])/y;
  const text = (from: number) => b.toString('latin1', from, Math.min(b.length, from + 64));
  for (;;) {
    p = skipWs(b, p);
    if (b.toString('latin1', p, p + 7) === 'trailer') {
      const t = parseValue(b, p + 7);
      if (t.t !== 'dict') fail('trailer is not a dictionary');
      return { rows, trailer: t as Dict };
    }
    re.lastIndex = 0;
    const head = re.exec(text(p));
    if (!head) fail('bad cross-reference subsection');
    const first = Number(head![1]);
    const count = Number(head![2]);
    if (count > 10_000_000) fail('cross-reference subsection too large');
    p += head![0].length;
    for (let i = 0; i < count; i++) {
      entry.lastIndex = 0;
      const row = entry.exec(text(p));
      if (!row) fail('bad cross-reference entry');
      p += row![0].length;
      rows.push([first + i, row![3] === 'n' ? { offset: Number(row![1]), gen: Number(row![2]) } : null]);
    }
  }
}

function streamSection(b: Buffer, p: number, xrefStreams: Set<number>): { rows: Rows; trailer: Dict } {
  const obj = parseIndirect(b, p, (v) => (v.t === 'num' ? v.v : fail('indirect /Length in a cross-reference stream')));
  const dict = obj.value as Dict;
  const type = dict.entries.get('Type');
  if (type?.t !== 'name' || type.v !== 'XRef' || !obj.stream) fail('startxref does not point at a cross-reference');
  xrefStreams.add(obj.num);
  const data = decode(b.subarray(obj.stream!.s, obj.stream!.e), dict);
  const w = nums(dict.entries.get('W'));
  if (w.length !== 3 || w.some((x) => x < 0 || x > 8)) fail('bad /W');
  const size = nums(dict.entries.get('Size'))[0];
  const index = dict.entries.has('Index') ? nums(dict.entries.get('Index')) : [0, size];
  const rowLen = w[0] + w[1] + w[2];
  const field = (at: number, len: number, dflt: number) => {
    if (len === 0) return dflt;
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + data[at + i];
    return v;
  };
  const rows: Rows = [];
  let at = 0;
  for (let k = 0; k + 1 < index.length; k += 2) {
    for (let i = 0; i < index[k + 1]; i++, at += rowLen) {
      if (at + rowLen > data.length) fail('cross-reference stream too short');
      const type = field(at, w[0], 1);
      const f2 = field(at + w[0], w[1], 0);
      const f3 = field(at + w[0] + w[1], w[2], 0);
      if (type === 2) fail('objects inside object streams');
      rows.push([index[k] + i, type === 1 ? { offset: f2, gen: f3 } : null]);
    }
  }
  return { rows, trailer: dict };
}

function nums(v: Value | undefined): number[] {
  if (v?.t === 'num') return [v.v];
  if (v?.t !== 'arr') return fail('expected numbers');
  return v.items.map((i) => (i.t === 'num' && Number.isInteger(i.v) && i.v >= 0 ? i.v : fail('expected whole numbers')));
}

/** FlateDecode with an optional PNG predictor: what cross-reference streams use in practice. */
function decode(raw: Buffer, dict: Dict): Buffer {
  const filter = dict.entries.get('Filter');
  const name = filter?.t === 'arr' && filter.items.length === 1 ? filter.items[0] : filter;
  if (!name) return raw;
  if (name.t !== 'name' || name.v !== 'FlateDecode') return fail('cross-reference stream filter');
  let data: Buffer;
  try {
    data = zlib.inflateSync(raw);
  } catch {
    return fail('cross-reference stream does not inflate');
  }
  const parms = dict.entries.get('DecodeParms');
  const pv = parms?.t === 'dict' ? parms.entries.get('Predictor') : undefined;
  const predictor = pv?.t === 'num' ? pv.v : 1;
  if (predictor === 1) return data;
  if (predictor < 10) return fail('TIFF predictor');
  const cv = (parms as Dict).entries.get('Columns');
  const columns = cv?.t === 'num' ? cv.v : 1;
  return unPng(data, columns);
}

function unPng(data: Buffer, columns: number): Buffer {
  const rowLen = columns + 1;
  const rows = Math.floor(data.length / rowLen);
  const out = Buffer.alloc(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * rowLen];
    for (let i = 0; i < columns; i++) {
      const x = data[r * rowLen + 1 + i];
      const left = i > 0 ? out[r * columns + i - 1] : 0;
      const up = r > 0 ? out[(r - 1) * columns + i] : 0;
      const upLeft = r > 0 && i > 0 ? out[(r - 1) * columns + i - 1] : 0;
      let v: number;
      if (type === 0) v = x;
      else if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) {
        const pp = left + up - upLeft;
        const pa = Math.abs(pp - left), pb = Math.abs(pp - up), pc = Math.abs(pp - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else return fail('bad PNG predictor row');
      out[r * columns + i] = v & 0xff;
    }
  }
  return out;
}
