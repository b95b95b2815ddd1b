import { domainToASCII, domainToUnicode } from 'node:url';
import { z } from 'zod';
import { AppError } from '../errors';
import { isLookalikeDomain } from './scripts';

/** An email address as Liaison stores, compares and sends it. */
export interface NormalisedEmail {
  /** Lower-case, domain in ASCII (punycode for IDN): what is sent in SMTP and compared in allow-lists. */
  address: string;
  /** The same address with the domain in Unicode, for display. */
  display: string;
  /** The ASCII domain (`xn--…` labels for IDN). */
  domain: string;
  /** The domain in Unicode. */
  unicodeDomain: string;
  /** The domain has non-ASCII letters. */
  idn: boolean;
  /** A label mixes scripts or imitates Latin letters with another script: display with a warning. */
  lookalike: boolean;
}

// C0/C1 controls, DEL, line and paragraph separators, and format characters (bidi overrides,
// zero-width joiners): none belongs in an address or a header, and several can forge headers or text.
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
// RFC 5322 dot-atom local part (no quoted strings, no comments), ASCII only.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Thrown for an address that cannot be used; the message says why, for forms and API callers. */
export const invalidEmail = (why: string) => new AppError('validation_failed', `Invalid email address: ${why}.`);

/**
 * Normalises an email address: trims, NFC, lower-cases, converts an internationalised domain to
 * punycode (UTS #46, as browsers and resolvers do) and checks the result's syntax. Control, format
 * and invisible characters are refused, never stripped, so a header-injection attempt or an address
 * padded with zero-width characters fails loudly. A look-alike such as `exаmple.com` (Cyrillic а)
 * becomes `xn--exmple-4nf.com` and never compares equal to `example.com`.
 */
export function normaliseEmail(raw: string): NormalisedEmail {
  if (typeof raw !== 'string') throw invalidEmail('not a string');
  // Checked before trimming: a trailing CR or LF is how a header injection ends, not stray whitespace.
  if (CONTROL_OR_FORMAT.test(raw) || INVISIBLE.test(raw)) throw invalidEmail('it contains control or invisible characters');
  const s = raw.normalize('NFC').trim();
  if (!s) throw invalidEmail('empty');
  if (s.length > 320) throw invalidEmail('too long');
  if (/\s/.test(s)) throw invalidEmail('it contains spaces');
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) throw invalidEmail('it needs a name, an @ and a domain');
  const local = s.slice(0, at);
  const rawDomain = s.slice(at + 1);
  if (local.length > 64) throw invalidEmail('the part before @ is longer than 64 characters');
  if (!LOCAL_PART.test(local)) throw invalidEmail('the part before @ may only use ASCII letters, digits, dots and !#$%&\'*+/=?^_`{|}~-');
  // URL-only syntax that domainToASCII would decode or accept (percent escapes, IP literals, ports).
  if (/[%[\]/\\:@?#]/.test(rawDomain)) throw invalidEmail('the domain contains characters a domain cannot have');
  const domain = domainToASCII(rawDomain.toLowerCase());
  if (!domain) throw invalidEmail('the domain is not a valid internationalised domain name');
  const labels = domain.split('.');
  if (labels.length < 2 || domain.length > 253) throw invalidEmail('the domain needs at least a name and a top-level domain');
  if (!labels.every((l) => ASCII_LABEL.test(l))) throw invalidEmail('the domain has an empty or malformed label');
  if (/^\d+$/.test(labels[labels.length - 1])) throw invalidEmail('IP addresses are not accepted as mail domains');
  const unicodeDomain = domainToUnicode(domain);
  const address = `${local.toLowerCase()}@${domain}`;
  return {
    address, domain, unicodeDomain,
    display: `${local.toLowerCase()}@${unicodeDomain}`,
    idn: labels.some((l) => l.startsWith('xn--')),
    lookalike: isLookalikeDomain(unicodeDomain),
  };
}

/** Same address? Both sides normalised: a look-alike domain is a different domain. */
export function sameEmail(a: string, b: string): boolean {
  try {
    return normaliseEmail(a).address === normaliseEmail(b).address;
  } catch {
    return false;
  }
}

/** zod: an address, normalised (the parsed value is the ASCII form). */
export const emailSchema = z.string().transform((v, ctx) => {
  try {
    return normaliseEmail(v).address;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : 'Invalid email address.' });
    return z.NEVER;
  }
});

/**
 * A display name for a From or To header. Control and format characters (CR, LF, bidi overrides…)
 * are refused: they are how header injection and spoofed names start. Quotes and non-ASCII are fine:
 * nodemailer quotes or encodes them (RFC 2047).
 */
export const displayNameSchema = z.string().trim().max(120, 'A display name has at most 120 characters')
  .refine((v) => !CONTROL_OR_FORMAT.test(v), 'A display name cannot contain line breaks or control characters');

/**
 * Text that goes into a header built by Liaison (a subject made from a share's title, an
 * organisation's name): control and format characters become spaces, so data can never start a new
 * header line, and runs of spaces collapse.
 */
export function headerText(s: string, max = 200): string {
  const clean = s.replace(new RegExp(CONTROL_OR_FORMAT.source, 'gu'), ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export interface Mailbox { name?: string; address: string }

/**
 * Parses `Name <addr@example.org>` or a bare address (LIAISON_MAIL_FROM). The name may be quoted.
 */
export function parseMailbox(raw: string): Mailbox {
  const s = raw.trim();
  const m = /^(.*)<([^<>]+)>$/.exec(s);
  if (!m) return { address: normaliseEmail(s).address };
  let name = m[1].trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  const parsed = displayNameSchema.safeParse(name);
  if (!parsed.success) throw invalidEmail(parsed.error.issues[0].message);
  return { name: parsed.data || undefined, address: normaliseEmail(m[2]).address };
}
