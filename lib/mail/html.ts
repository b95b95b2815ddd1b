/** HTML that is already safe: only `html` below and the layout make it. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

type Part = SafeHtml | string | number | null | undefined | false | Part[];

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (Array.isArray(p)) return p.map(render).join('');
  if (p instanceof SafeHtml) return p.value;
  return escapeHtml(String(p));
}

/** Tagged template: every interpolated value is escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => { out += render(v) + strings[i + 1]; });
  return new SafeHtml(out);
}

/** Plain text as HTML paragraphs, line breaks kept (a staff member's message, say). */
export function paragraphs(text: string, style: string): SafeHtml {
  return new SafeHtml(text.split(/\n{2,}/).map((p) => `<p style="${escapeHtml(style)}">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join(''));
}

/** Only http(s) URLs go into href attributes; anything else becomes inert text. */
export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}
