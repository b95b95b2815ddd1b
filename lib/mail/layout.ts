import { textOn, type Brand } from './brand';
import { html, paragraphs, safeHref, SafeHtml } from './html';
import type { MailContent } from './templates/content';

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/**
 * Breaks runs of five or more digits in free text (an organisation called "Unit 1234567", a document
 * title with a case number) with thin spaces, so that a mail carrying a code keeps the code as the
 * text's only run of 6 to 8 digits, which is what guests and scripts look for.
 */
export const breakDigitRuns = (s: string) => s.replace(/\d{5,}/g, (run) => run.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009'));

/** The same content, with free text guarded when the mail carries a code. */
function guarded(c: MailContent, brand: Brand): { c: MailContent; brand: Brand } {
  if (!c.code) return { c, brand };
  const g = breakDigitRuns;
  return {
    brand: { ...brand, orgName: g(brand.orgName) },
    c: {
      ...c, subject: g(c.subject), preheader: g(c.preheader), heading: g(c.heading), footer: g(c.footer),
      paragraphs: c.paragraphs.map(g),
      details: c.details?.map(([k, v]) => [g(k), g(v)]),
      quote: c.quote ? { from: g(c.quote.from), text: g(c.quote.text) } : c.quote,
    },
  };
}

export function renderText(content: MailContent, brandIn: Brand): string {
  const { c, brand } = guarded(content, brandIn);
  const lines: string[] = [brand.orgName, '', c.heading, '', ...c.paragraphs.flatMap((p) => [p, ''])];
  if (c.code) lines.push(`    ${c.code}`, '');
  if (c.quote) lines.push(`${c.quote.from} wrote:`, ...c.quote.text.split('\n').map((l) => `> ${l}`), '');
  for (const [k, v] of c.details ?? []) lines.push(`${k}: ${v}`);
  if (c.details?.length) lines.push('');
  if (c.action) lines.push(`${c.action.label}:`, c.action.url, '');
  lines.push('-- ', c.footer, `Sent by Liaison for ${brand.orgName}.`);
  return lines.join('\n');
}

/** Table layout and inline styles: what mail clients (Outlook included) render reliably. */
export function renderHtml(content: MailContent, brandIn: Brand): string {
  const { c, brand } = guarded(content, brandIn);
  const head = textOn(brand.brandColor);
  const button = textOn(brand.accentColor);
  const href = c.action ? safeHref(c.action.url) : null;
  const p = 'margin:0 0 16px;font-size:15px;line-height:24px;color:#334155;';
  const body: SafeHtml = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><title>${c.subject}</title></head>
<body style="margin:0;padding:0;background:#f1f5f9;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${c.preheader}</div>
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#f1f5f9;"><tr><td align="center" style="padding:32px 12px;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:560px;background:#ffffff;border-radius:8px;overflow:hidden;border:1px solid #e2e8f0;font-family:${FONT};">
<tr><td style="background:${brand.brandColor};color:${head};padding:18px 28px;font-size:16px;font-weight:600;letter-spacing:-0.01em;">${brand.orgName}</td></tr>
<tr><td style="padding:28px 28px 8px;">
<h1 style="margin:0 0 16px;font-size:20px;line-height:28px;font-weight:600;color:#0f172a;">${c.heading}</h1>
${c.paragraphs.map((t) => html`<p style="${p}">${t}</p>`)}
${c.code ? html`<p style="margin:8px 0 24px;"><span style="display:inline-block;padding:12px 20px;border-radius:6px;background:#f8fafc;border:1px solid #cbd5e1;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:28px;font-weight:700;letter-spacing:0.2em;color:#0f172a;">${c.code}</span></p>` : ''}
${c.quote ? html`<p style="margin:0 0 6px;font-size:13px;color:#64748b;">${c.quote.from} wrote:</p><div style="margin:0 0 20px;padding:12px 16px;border-left:3px solid ${brand.accentColor};background:#f8fafc;">${paragraphs(c.quote.text, 'margin:0 0 8px;font-size:14px;line-height:22px;color:#334155;white-space:pre-wrap;')}</div>` : ''}
${c.details?.length ? html`<table role="presentation" cellspacing="0" cellpadding="0" style="margin:0 0 20px;font-size:14px;line-height:22px;">${c.details.map(([k, v]) => html`<tr><td style="padding:2px 16px 2px 0;color:#64748b;white-space:nowrap;vertical-align:top;">${k}</td><td style="padding:2px 0;color:#0f172a;">${v}</td></tr>`)}</table>` : ''}
${c.action && href ? html`<p style="margin:8px 0 24px;"><a href="${href}" style="display:inline-block;padding:11px 20px;border-radius:6px;background:${brand.accentColor};color:${button};font-size:15px;font-weight:600;text-decoration:none;">${c.action.label}</a></p><p style="margin:0 0 20px;font-size:12px;line-height:18px;color:#64748b;word-break:break-all;">Or copy this address: ${c.action.url}</p>` : ''}
${c.action && !href ? html`<p style="margin:0 0 20px;font-size:13px;color:#64748b;">${c.action.label}: ${c.action.url}</p>` : ''}
</td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid #e2e8f0;font-size:12px;line-height:18px;color:#64748b;">${c.footer}<br>Sent by Liaison for ${brand.orgName}.</td></tr>
</table></td></tr></table>
</body></html>`;
  return body.value;
}
