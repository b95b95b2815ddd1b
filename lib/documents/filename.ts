/**
 * A display name from whatever the client sent: path segments dropped, control and bidi-override
 * characters removed, whitespace folded, length capped. Storage never uses it (blob keys are random).
 */
export function cleanDisplayName(raw: string | null | undefined, fallback = 'untitled'): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // C0/C1 controls, DEL, and Unicode bidi controls that can disguise an extension.
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+$/, '');
  // Cut by code point, not UTF-16 unit, so an emoji at the limit is not split into a lone surrogate.
  return Array.from(cleaned || fallback).slice(0, 200).join('');
}

const MIME_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** Trusts a declared media type only if well-formed; PDF is recognised by its magic bytes. */
export function mediaTypeFor(declared: string | null | undefined, head: Buffer): string {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  const d = (declared ?? '').toLowerCase().split(';')[0].trim();
  return MIME_RE.test(d) ? d : 'application/octet-stream';
}
