import { z } from 'zod';

/**
 * Row ids (cuid), document, share, session and version ids all fit this. Everything a route takes from
 * its path is parsed with it before any lookup, so a NUL byte, a path segment, invalid UTF-8 or a
 * 3,000-character value never reaches the database or the audit trail.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const idSchema = z.string().regex(ID_PATTERN, 'Invalid id.');

export const isId = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);

const MAX_AUDITED = 80;

/**
 * A value that failed id validation, made safe to write into the audit trail: at most 80 characters,
 * with control, non-ASCII and quote characters escaped (\u0000, \u202e…), so it cannot forge log lines,
 * reorder text on screen or smuggle markup.
 */
export function auditableValue(raw: unknown): string {
  const s = typeof raw === 'string' ? raw : String(raw);
  let out = '';
  for (const ch of s.slice(0, MAX_AUDITED)) {
    const c = ch.codePointAt(0)!;
    out += c >= 0x20 && c < 0x7f && ch !== '\\' && ch !== '"' ? ch : c > 0xffff ? `\\u{${c.toString(16)}}` : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return s.length > MAX_AUDITED ? `${out}...(${s.length} chars)` : out;
}
