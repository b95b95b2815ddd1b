/*
 * RFC 8785 (JSON Canonicalization Scheme) for plain JSON data: what JSON.parse returns, or what a
 * JSON.stringify/JSON.parse round trip leaves. It produces exactly what the `canonicalize` package
 * produces for such values (tests/unit/audit-canonical.test.ts compares the two over varied data),
 * without that package's general machinery (toJSON, cycles, boxed primitives), which plain data never
 * needs. Verification canonicalises every event of a chain, so this is on its hot path.
 */

// String.prototype.isWellFormed is in Node 20 but not in the ES2023 library types this project targets.
const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

// Printable ASCII but the quotation mark and the backslash: JSON (and RFC 8785) writes such a string as
// it is, between quotes. Ids, hashes, types, times, addresses and most labels are like that, and this
// test costs less than JSON.stringify.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal, refusing lone surrogates as RFC 8785 (and `canonicalize`) do. */
export function canonicalString(s: string): string {
  if (PLAIN.test(s)) return '"' + s + '"';
  if (!isWellFormed(s)) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(s);
}

function canonicalNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(Number.isNaN(n) ? 'NaN is not allowed' : 'Infinity is not allowed');
  // ECMAScript Number-to-String, which is what RFC 8785 prescribes; JSON.stringify(-0) is "0" as required.
  return JSON.stringify(n);
}

/** Values JSON leaves out of objects and writes as null in arrays. */
const absent = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Canonical JSON text of a plain JSON value: object members sorted by UTF-16 code units, no spaces. */
export function canonicalJson(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return canonicalString(v);
    case 'number': return canonicalNumber(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'object': break;
    default: throw new Error(`A ${typeof v} is not JSON data`);
  }
  if (Array.isArray(v)) {
    if (flatArray(v)) return JSON.stringify(v);
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      out += absent(v[i]) ? 'null' : canonicalJson(v[i]);
    }
    return out + ']';
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (flatSortedObject(o, keys)) return JSON.stringify(o);
  // Array.prototype.sort without a comparator orders by UTF-16 code units, as RFC 8785 §3.2.3 requires.
  keys.sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const value = o[k];
    if (absent(value)) continue;
    if (!first) out += ',';
    first = false;
    out += canonicalString(k) + ':' + canonicalJson(value);
  }
  return out + '}';
}

/*
 * Fast paths. JSON.stringify writes strings, finite numbers, booleans and null exactly as RFC 8785 does
 * and object members in Object.keys order, leaving out (in arrays: nulling) what canonicalize leaves out.
 * So a container whose members are all primitives, and whose keys are already in canonical order,
 * can be written in one call. What JSON.stringify would accept but canonicalize refuses (lone
 * surrogates, NaN, Infinity) is checked first, and refused the same way.
 */
function primitiveOk(x: unknown): boolean {
  if (x === null) return true;
  switch (typeof x) {
    case 'string': if (!isWellFormed(x)) throw new Error('Lone surrogate is not allowed'); return true;
    case 'number': canonicalNumber(x); return true;
    case 'boolean': case 'undefined': case 'function': case 'symbol': return true;
    default: return false; // an object or array: not flat
  }
}

function flatArray(a: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (!primitiveOk(a[i])) return false;
  return true;
}

function flatSortedObject(o: Record<string, unknown>, keys: string[]): boolean {
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1] < keys[i])) return false; // JS string comparison is by UTF-16 code units
    if (!isWellFormed(keys[i])) throw new Error('Lone surrogate is not allowed');
    if (!primitiveOk(o[keys[i]])) return false;
  }
  return true;
}
