import type { Brand } from '../brand';

/**
 * What a template says, as plain strings. The layout turns it into both the text and the HTML part,
 * escaping everything, so no template writes markup and the two parts always say the same thing.
 */
export interface MailContent {
  subject: string;
  /** The inbox preview line. */
  preheader: string;
  heading: string;
  paragraphs: string[];
  /** A one-time code, shown large. */
  code?: string;
  /** A message written by a person (staff), quoted as plain text. */
  quote?: { from: string; text: string } | null;
  details?: Array<[string, string]>;
  action?: { label: string; url: string };
  /** Why the recipient got this mail. */
  footer: string;
}

export interface RenderContext {
  brand: Brand;
  publicUrl: string;
  /** Masked: the console's copy, where codes and secret links are hidden. */
  masked: boolean;
  /** A code or link that only the recipient may read: itself, or a mask in the console's copy. */
  secret(value: string, kind: 'code' | 'url'): string;
}

/** A template: its data's zod schema (the data types the callers get) and what it says. */
export interface MailTemplate<D> {
  /** Shown in the console. */
  label: string;
  parse(data: unknown): D;
  content(data: D, ctx: RenderContext): MailContent;
  /** The text part must keep the code as its only run of 6 to 8 digits. */
  singleCode?: boolean;
}

const UTC = (d: Date) => d.toISOString();
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "25 November 2026, 10:05 UTC": mail is read in any time zone, so times say which one they are in. */
export function mailDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "25 November 2026" */
export const mailDay = (d: Date) => mailDate(d).replace(/,.*$/, '');

export const iso = UTC;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
