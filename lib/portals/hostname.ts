import { AppError } from '../errors';
import { normaliseHost } from '../http/request-host';
import { asciiDomain } from '../sso/domains';
import { isConsoleHost } from './site';

// Names that never reach a portal through public DNS, so a claim on them could never be used.
const RESERVED = /(^|\.)(localhost|local|internal|arpa|invalid)$/;

/**
 * A custom domain as staff enter it, checked and in the form Liaison stores and compares (lower-case
 * ASCII, internationalised names as punycode, no port or trailing dot). Refuses IP literals,
 * single-label names, loopback and reserved names, and the console's own host.
 */
export function customHostname(raw: unknown, publicUrl: string): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const bad = (why: string) => new AppError('validation_failed', `hostname: ${why}`);
  if (!text) throw bad('enter a host name, such as portal.example.com');
  if (/[/:@?#\s]/.test(text)) throw bad('enter the host name only, such as portal.example.com (no https://, port or path)');
  if (/^\d{1,3}(\.\d{1,3}){3}\.?$/.test(text) || text.startsWith('[')) throw bad('an IP address cannot be a portal domain; use a DNS name');
  const ascii = asciiDomain(text);
  const host = ascii ? normaliseHost(ascii) : null;
  if (!host) throw bad(text.includes('.') ? `"${text.slice(0, 80)}" is not a valid host name` : 'use a full name with a dot, such as portal.example.com');
  if (RESERVED.test(host)) throw bad(`${host} is a local or reserved name that public DNS cannot serve`);
  if (isConsoleHost(host, publicUrl)) throw bad(`${host} is this Liaison console's own address`);
  return host;
}

/** The DNS name that holds the challenge for a host (fixed by the public contract). */
export const txtName = (hostname: string) => `_liaison-challenge.${hostname}`;
