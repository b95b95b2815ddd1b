import type { ConsoleComment } from './types';

const pct = (n: number) => `${Math.round(n * 100)}%`;

/** "Page 3", "Page 3 · region at 10%, 20% (40% × 5%)", or "Whole document". */
export function placeLabel(c: Pick<ConsoleComment, 'page' | 'anchor'>): string {
  if (c.page == null) return 'Whole document';
  if (!c.anchor) return `Page ${c.page}`;
  const what = c.anchor.kind === 'highlight' ? 'highlight' : 'region';
  return `Page ${c.page} · ${what} at ${pct(c.anchor.x)}, ${pct(c.anchor.y)} (${pct(c.anchor.w)} × ${pct(c.anchor.h)})`;
}

export interface Thread { root: ConsoleComment; replies: ConsoleComment[] }

/** Roots in order, each with its replies in order; replies whose root is not in the list are shown as roots. */
export function groupThreads(comments: ConsoleComment[]): Thread[] {
  const roots = new Map<string, Thread>();
  for (const c of comments) if (!c.parentId) roots.set(c.id, { root: c, replies: [] });
  for (const c of comments) {
    if (!c.parentId) continue;
    const t = roots.get(c.parentId);
    if (t) t.replies.push(c);
    else roots.set(c.id, { root: c, replies: [] });
  }
  return [...roots.values()];
}

export const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
