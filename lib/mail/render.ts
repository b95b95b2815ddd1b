import { AppError } from '../errors';
import { headerText } from './address';
import type { Brand } from './brand';
import { breakDigitRuns, renderHtml, renderText } from './layout';
import type { MailContent, RenderContext } from './templates/content';
import { MAIL_TEMPLATES, type MailTemplateName } from './templates';

export interface RenderedMail {
  subject: string;
  /** What the recipient gets. */
  text: string;
  html: string;
  /** What the console shows: codes and secret links masked. Equal to the above when the mail holds no secret. */
  masked: { text: string; html: string };
  hasSecret: boolean;
}

const MASK = '••••••••';

function maskSecret(value: string, kind: 'code' | 'url'): string {
  if (kind === 'code') return '•'.repeat(Math.max(6, value.length));
  try {
    const u = new URL(value);
    const first = u.pathname.split('/').filter(Boolean)[0];
    return `${u.origin}/${first ? `${first}/` : ''}${MASK}`;
  } catch {
    return MASK;
  }
}

/** Runs of 6 to 8 digits, not inside a longer run (what a person or a script reads as a code). */
export const codeRuns = (text: string) => text.match(/(?<!\d)\d{6,8}(?!\d)/g) ?? [];

/**
 * Renders a template for an organisation: data checked by the template's zod schema, subject made
 * header-safe, text and HTML parts from one content, and a masked copy for the console.
 */
export function renderMail(template: MailTemplateName, data: unknown, brand: Brand, publicUrl: string): RenderedMail {
  const t = MAIL_TEMPLATES[template];
  if (!t) throw new AppError('validation_failed', `Unknown mail template ${String(template)}.`);
  const parsed = t.parse(data);
  const contentFor = (masked: boolean): MailContent => {
    const ctx: RenderContext = { brand, publicUrl, masked, secret: (v, kind) => (masked ? maskSecret(v, kind) : v) };
    return t.content(parsed, ctx);
  };
  const real = contentFor(false);
  const shown = contentFor(true);
  const text = renderText(real, brand);
  if (t.singleCode) {
    const runs = codeRuns(text);
    // A broken invariant is a bug here, never something to send.
    if (runs.length !== 1 || runs[0] !== real.code) throw new AppError('internal', `Mail template ${template} must carry its code as the only run of 6 to 8 digits.`);
  }
  const html = renderHtml(real, brand);
  const masked = { text: renderText(shown, brand), html: renderHtml(shown, brand) };
  return { subject: headerText(t.singleCode ? breakDigitRuns(real.subject) : real.subject), text, html, masked, hasSecret: masked.text !== text };
}
