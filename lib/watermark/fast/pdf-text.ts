import { parseValue } from './syntax';

/** The text of a PDF string token as it appears in the file (literal or hex; PDFDocEncoding or UTF-16BE). */
export function decodeTextString(raw: string): string | undefined {
  let v;
  try {
    v = parseValue(Buffer.from(raw, 'latin1'), 0);
  } catch {
    return undefined;
  }
  if (v.t !== 'str') return undefined;
  const b = v.bytes;
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const swapped = Buffer.from(b.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  // PDFDocEncoding agrees with Latin-1 on what keywords hold in practice.
  return b.toString('latin1');
}

/** A PDF text string token: a plain literal for printable ASCII, UTF-16BE hex with a BOM otherwise. */
export function encodeTextString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const u = Buffer.from(text, 'utf16le');
  u.swap16();
  return `<FEFF${u.toString('hex').toUpperCase()}>`;
}
