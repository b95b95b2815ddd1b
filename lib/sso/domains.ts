import { domainToASCII } from 'node:url';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain in the one form Liaison compares: lower-case ASCII, internationalised labels as punycode
 * (xn--…). Unicode look-alikes (a Cyrillic "а" in "exаmple.com") therefore become a different ASCII
 * name and never match the real one. Null when it is not a plausible DNS name with at least two labels.
 */
export function asciiDomain(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim().replace(/\.$/, '');
  if (!s || s.length > 253) return null;
  // Letters, digits, marks, dots and hyphens only: domainToASCII parses a URL host and would turn
  // "acme.example/x" or "acme.example:443" into "acme.example".
  if (!/^[\p{L}\p{N}\p{M}.-]+$/u.test(s)) return null;
  const ascii = domainToASCII(s.toLowerCase());
  if (!ascii || ascii.length > 253 || !/^[\x21-\x7e]+$/.test(ascii)) return null;
  const labels = ascii.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!) ? ascii : null;
}

/** The ASCII domain of an email address (after its last @), or null. */
export function emailDomain(email: unknown): string | null {
  if (typeof email !== 'string') return null;
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return asciiDomain(email.slice(at + 1));
}

/** An email address with its domain in ASCII form and lower-cased; null when it is not one. */
export function normalEmail(email: unknown): string | null {
  if (typeof email !== 'string') return null;
  const s = email.trim();
  const at = s.lastIndexOf('@');
  const domain = emailDomain(s);
  const local = s.slice(0, at);
  if (!domain || !local || local.length > 64 || /[\s<>()\[\],;:"\\@]/.test(local) || !/^[\x21-\x7e]+$/.test(local)) return null;
  return `${local.toLowerCase()}@${domain}`;
}
