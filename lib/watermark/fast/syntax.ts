/**
 * A minimal PDF object parser over a byte buffer, for indexing a file once at upload (see ./index.ts
 * for why this is written here rather than taken from a library). Every value keeps its byte span, so
 * the writer can copy entries it does not change byte for byte. Anything outside the syntax of
 * ISO 32000 §7.3 throws NotIndexable: the caller then uses the pdf-lib path, never a guess.
 */
export class NotIndexable extends Error {}

export type Value =
  | { t: 'num'; v: number; s: number; e: number }
  | { t: 'ref'; num: number; gen: number; s: number; e: number }
  | { t: 'name'; v: string; s: number; e: number }
  | { t: 'str'; bytes: Buffer; s: number; e: number }
  | { t: 'arr'; items: Value[]; s: number; e: number }
  | { t: 'dict'; entries: Map<string, Value>; s: number; e: number }
  | { t: 'bool'; v: boolean; s: number; e: number }
  | { t: 'null'; s: number; e: number };

export type Dict = Extract<Value, { t: 'dict' }>;

const isWs = (c: number) => c === 0 || c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
const isDelim = (c: number) => c === 40 || c === 41 || c === 60 || c === 62 || c === 91 || c === 93 || c === 123 || c === 125 || c === 47 || c === 37;
const isRegular = (c: number) => !isWs(c) && !isDelim(c);
const isDigit = (c: number) => c >= 48 && c <= 57;
const MAX_DEPTH = 64;

export const fail = (why: string): never => {
  throw new NotIndexable(why);
};

/** Skips white space and comments. */
export function skipWs(b: Buffer, p: number): number {
  while (p < b.length) {
    const c = b[p];
    if (isWs(c)) p++;
    else if (c === 37) while (p < b.length && b[p] !== 10 && b[p] !== 13) p++;
    else break;
  }
  return p;
}

/** The run of regular characters at p (a number or keyword). */
function word(b: Buffer, p: number): string {
  let e = p;
  while (e < b.length && isRegular(b[e])) e++;
  return b.toString('latin1', p, e);
}

/** An unsigned integer token at p (after white space), or undefined. */
function intAt(b: Buffer, p: number): { v: number; e: number } | undefined {
  const s = skipWs(b, p);
  const w = word(b, s);
  return /^\d{1,10}$/.test(w) ? { v: Number(w), e: s + w.length } : undefined;
}

export function parseValue(b: Buffer, p: number, depth = 0): Value {
  if (depth > MAX_DEPTH) fail('nesting too deep');
  const s = skipWs(b, p);
  if (s >= b.length) fail('unexpected end of file');
  const c = b[s];
  if (c === 47) {
    let e = s + 1;
    while (e < b.length && isRegular(b[e])) e++;
    const raw = b.toString('latin1', s + 1, e);
    return { t: 'name', v: raw.replace(/#([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), s, e };
  }
  if (c === 40) return literalString(b, s);
  if (c === 60 && b[s + 1] === 60) {
    const entries = new Map<string, Value>();
    let q = s + 2;
    for (;;) {
      q = skipWs(b, q);
      if (q >= b.length) fail('unterminated dictionary');
      if (b[q] === 62 && b[q + 1] === 62) return { t: 'dict', entries, s, e: q + 2 };
      const key = parseValue(b, q, depth + 1);
      if (key.t !== 'name') fail('dictionary key is not a name');
      const val = parseValue(b, key.e, depth + 1);
      entries.set((key as { v: string }).v, val);
      q = val.e;
    }
  }
  if (c === 60) {
    const end = b.indexOf(62, s);
    if (end < 0) fail('unterminated hex string');
    const hex = b.toString('latin1', s + 1, end).replace(/\s+/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex)) fail('bad hex string');
    return { t: 'str', bytes: Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'), s, e: end + 1 };
  }
  if (c === 91) {
    const items: Value[] = [];
    let q = s + 1;
    for (;;) {
      q = skipWs(b, q);
      if (q >= b.length) fail('unterminated array');
      if (b[q] === 93) return { t: 'arr', items, s, e: q + 1 };
      const v = parseValue(b, q, depth + 1);
      items.push(v);
      q = v.e;
    }
  }
  const w = word(b, s);
  if (w === '') fail(`unexpected character ${c}`);
  const e = s + w.length;
  if (w === 'true' || w === 'false') return { t: 'bool', v: w === 'true', s, e };
  if (w === 'null') return { t: 'null', s, e };
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) {
    if (/^\d+$/.test(w)) {
      // "n g R" is a reference; look ahead without consuming anything else.
      const gen = intAt(b, e);
      if (gen) {
        const r = skipWs(b, gen.e);
        if (b[r] === 82 && (r + 1 >= b.length || !isRegular(b[r + 1]))) return { t: 'ref', num: Number(w), gen: gen.v, s, e: r + 1 };
      }
    }
    return { t: 'num', v: Number(w), s, e };
  }
  return fail(`unexpected keyword ${w.slice(0, 20)}`);
}

function literalString(b: Buffer, s: number): Value {
  const out: number[] = [];
  let depth = 1;
  let p = s + 1;
  while (p < b.length) {
    const c = b[p++];
    if (c === 92) {
      const n = b[p++];
      const esc: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12, 40: 40, 41: 41, 92: 92 };
      if (n in esc) out.push(esc[n]);
      else if (n >= 48 && n <= 55) {
        let v = n - 48;
        for (let k = 0; k < 2 && b[p] >= 48 && b[p] <= 55; k++) v = v * 8 + (b[p++] - 48);
        out.push(v & 0xff);
      } else if (n === 13) {
        if (b[p] === 10) p++;
      } else if (n !== 10) out.push(n);
    } else if (c === 40) {
      depth++;
      out.push(c);
    } else if (c === 41) {
      if (--depth === 0) return { t: 'str', bytes: Buffer.from(out), s, e: p };
      out.push(c);
    } else out.push(c);
  }
  return fail('unterminated string');
}

export interface IndirectObject {
  num: number;
  gen: number;
  value: Value;
  /** Stream data span, when the object is a stream. */
  stream?: { s: number; e: number };
  /** First byte of "N G obj" and the byte after "endobj". */
  start: number;
  end: number;
}

/**
 * The object whose "N G obj" starts at `offset`. A stream's /Length must be right (a direct number, or
 * a reference `length` resolves): a wrong one would be copied wrong, so it is refused, not repaired.
 */
export function parseIndirect(b: Buffer, offset: number, length: (ref: Value) => number): IndirectObject {
  const num = intAt(b, offset);
  const gen = num && intAt(b, num.e);
  if (!num || !gen) return fail(`no object at ${offset}`);
  let p = skipWs(b, gen.e);
  if (b.toString('latin1', p, p + 3) !== 'obj') fail(`no "obj" at ${offset}`);
  const value = parseValue(b, p + 3);
  p = skipWs(b, value.e);
  let stream: IndirectObject['stream'];
  if (b.toString('latin1', p, p + 6) === 'stream') {
    if (value.t !== 'dict') fail('stream without a dictionary');
    const lenVal = (value as Dict).entries.get('Length');
    if (!lenVal) fail('stream without /Length');
    const len = length(lenVal!);
    let ds = p + 6;
    if (b[ds] === 13) ds++;
    if (b[ds] !== 10 && b[ds - 1] !== 13) fail('stream keyword not followed by end of line');
    if (b[ds] === 10) ds++;
    const de = ds + len;
    const after = skipWs(b, de);
    if (b.toString('latin1', after, after + 9) !== 'endstream') fail('stream /Length does not reach endstream');
    stream = { s: ds, e: de };
    p = skipWs(b, after + 9);
  }
  if (b.toString('latin1', p, p + 6) !== 'endobj') fail(`object at ${offset} has no endobj`);
  return { num: num.v, gen: gen.v, value, stream, start: skipWs(b, offset), end: p + 6 };
}

/** The raw bytes of a value as they appear in the file. */
export const rawOf = (b: Buffer, v: Value) => b.toString('latin1', v.s, v.e);
