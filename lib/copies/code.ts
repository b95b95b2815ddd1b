import crypto from 'node:crypto';

/**
 * Copy codes: 9 random Crockford base32 characters (45 bits) and one check character, shown as
 * XXXXX-XXXXX. Crockford's alphabet has no I, L, O or U, so a code read off paper or a screen cannot be
 * mistaken for another, and the check character (Luhn mod 32) catches any single misread character and
 * most swaps of neighbours before a lookup is made.
 *
 * 45 random bits keep a leaker from forging someone else's code: with a million copies in an
 * organisation, a made-up code names a real one about once in 35 million tries, and only admins and
 * auditors can look codes up at all.
 */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_CHARS = 9;
export const CODE_CHARS = DATA_CHARS + 1;

function luhnCheck(values: number[]): number {
  // Luhn mod N: double every other value from the right (the check character's neighbour first).
  let sum = 0;
  let double = true;
  for (let i = values.length - 1; i >= 0; i--) {
    let v = values[i];
    if (double) {
      v *= 2;
      v = Math.floor(v / 32) + (v % 32);
    }
    sum += v;
    double = !double;
  }
  return (32 - (sum % 32)) % 32;
}

/** A fresh code, stored and compared in its compact form (10 characters, no hyphen). */
export function newCopyCode(): string {
  const bytes = crypto.randomBytes(DATA_CHARS);
  // 256 is a multiple of 32, so masking keeps every character equally likely.
  const values = Array.from(bytes, (b) => b & 31);
  return [...values, luhnCheck(values)].map((v) => ALPHABET[v]).join('');
}

/** XXXXX-XXXXX: how a code is printed on copies and shown in the console. */
export const formatCopyCode = (compact: string): string => `${compact.slice(0, 5)}-${compact.slice(5)}`;

/**
 * Reads a code as a person may type it: any case, with hyphens or spaces, I and L for 1, O for 0.
 * Returns the compact form, or null when it is not a well-formed code or its check character is wrong.
 */
export function parseCopyCode(raw: string): string | null {
  const s = raw.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== CODE_CHARS) return null;
  const values: number[] = [];
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    values.push(v);
  }
  return luhnCheck(values.slice(0, DATA_CHARS)) === values[DATA_CHARS] ? s : null;
}

/** The prefix that names the code in file metadata (PDF keywords, image XMP and EXIF). */
export const METADATA_PREFIX = 'liaison-copy:';
/** The label before the code in the visible watermark line. */
export const MARK_LABEL = 'copy';

const CODE_SHAPE = `[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}`;

/**
 * Every well-formed code found in a text, in order and without repeats: after "liaison-copy:" (metadata)
 * or "copy " (the watermark line). Extracted text may break the line anywhere, so whitespace between the
 * label and the code, and inside the code around its hyphen, is allowed.
 */
export function findCopyCodes(text: string): string[] {
  const found: string[] = [];
  const re = new RegExp(`(?:${METADATA_PREFIX}|\\b${MARK_LABEL})\\s*(${CODE_SHAPE.replace('-?', '\\s*-?\\s*')})`, 'gi');
  for (const m of text.matchAll(re)) {
    const code = parseCopyCode(m[1]);
    if (code && !found.includes(code)) found.push(code);
  }
  return found;
}
