/** Shared class names, so buttons and fields look the same whether they are links, buttons or labels. */
type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'danger-ghost';
type Size = 'sm' | 'md';

const base = 'inline-flex items-center justify-center gap-2 rounded-md font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60';
const variants: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white shadow-sm hover:bg-indigo-500 active:bg-indigo-700',
  secondary: 'bg-white text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 active:bg-slate-100',
  danger: 'bg-red-600 text-white shadow-sm hover:bg-red-500 active:bg-red-700',
  ghost: 'text-slate-600 hover:bg-slate-100 hover:text-slate-900',
  'danger-ghost': 'text-red-700 hover:bg-red-50',
};
const sizes: Record<Size, string> = { sm: 'h-8 px-3 text-sm', md: 'h-9 px-4 text-sm' };

/** The kind of thing a utility class sets, so a later class can replace an earlier one of the same kind. */
function groupOf(cls: string): string {
  const i = cls.lastIndexOf(':');
  const variant = cls.slice(0, i + 1);
  const u = cls.slice(i + 1);
  let m: RegExpExecArray | null;
  if ((m = /^(text|bg|ring|border|outline)-(?:[a-z]+-\d{2,3}|white|black|transparent)(?:\/\d+)?$/.exec(u))) return `${variant}${m[1]}-color`;
  if (/^text-(?:xs|sm|base|lg|\d?xl|\[\d[^\]]*\])$/.test(u)) return `${variant}text-size`;
  if (/^text-(?:left|right|center)$/.test(u)) return `${variant}text-align`;
  if ((m = /^(px|py|h|w|gap|rounded)-/.exec(u))) return `${variant}${m[1]}`;
  return variant + u;
}

/**
 * Joins class lists where later ones win: CSS order, not class order, decides between two utilities
 * of the same kind, so `cx(th, 'text-right')` must drop th's `text-left` for the override to hold.
 */
export function cx(...lists: string[]): string {
  const out: string[] = [];
  for (const list of lists) {
    const classes = list.split(/\s+/).filter(Boolean);
    const groups = new Set(classes.map(groupOf));
    for (let i = out.length - 1; i >= 0; i--) if (groups.has(groupOf(out[i]))) out.splice(i, 1);
    out.push(...classes);
  }
  return out.join(' ');
}

export const button = (variant: Variant = 'secondary', size: Size = 'md', extra = '') => cx(base, variants[variant], sizes[size], extra);

export const input = 'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:ring-red-500';
export const select = `${input} pr-8`;
export const label = 'block text-sm font-medium text-slate-700';
export const card = 'rounded-lg bg-white shadow-sm ring-1 ring-slate-200';
export const th = 'sticky top-0 z-10 border-b border-slate-200 bg-slate-50/95 px-4 py-2.5 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase backdrop-blur';
export const td = 'px-4 py-3 align-top text-sm text-slate-700';
