import { stampSizeKey } from '../stamp';
import type { IndexedPage, PageFacts, RawEntries, StampPlan } from './types';

const STAMP_NAME = 'LiaisonWm';
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));
const escapeName = (k: string) => k.replace(/[^\x21-\x7e]|[#()<>[\]{}/%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** A dictionary written from raw entries (values as they were in the file, latin1). */
export const rawDict = (entries: RawEntries) => `<<${entries.map(([k, v]) => `/${escapeName(k)} ${v}`).join(' ')}>>`;

/** "N G obj … endobj" around a body. */
export const indirectText = (num: number, gen: number, body: string) => `${num} ${gen} obj\n${body}\nendobj\n`;

/**
 * Decides at upload everything about a marked copy that does not depend on the recipient: the object
 * numbers of the stamp's fixed parts (the opening `q` stream, one closing stream per distinct page
 * frame, one stamp form per distinct page size) and, with those numbers, every page's rewritten
 * dictionary, byte for byte. A download then only builds the stamp's contents (the forms under their
 * fixed numbers) and copies: nothing in it is per page, so its first byte does not wait on the page count.
 */
export function planMarks(facts: PageFacts[], maxObj: number): { stamp: StampPlan; pages: IndexedPage[] } {
  const open = maxObj + 1;
  const closerOps = new Map<string, number>();
  const sizes = new Map<string, { width: number; height: number }>();
  const named = facts.map((page) => {
    const name = freshName(page);
    const ops = `\nQ\nq ${page.frame.matrix.map(fmt).join(' ')} cm /${name} Do Q\n`;
    if (!closerOps.has(ops)) closerOps.set(ops, closerOps.size);
    const size = stampSizeKey(page.frame.width, page.frame.height);
    if (!sizes.has(size)) sizes.set(size, { width: page.frame.width, height: page.frame.height });
    return { page, name, ops, size };
  });
  const closers = [...closerOps.keys()].map((ops, i) => ({ num: open + 1 + i, ops }));
  const formBase = open + 1 + closers.length;
  const forms = [...sizes.values()].map((s, i) => ({ num: formBase + i, ...s }));
  const formNum = new Map([...sizes.keys()].map((k, i) => [k, formBase + i]));
  const pages = named.map(({ page, name, ops, size }) => ({
    num: page.num,
    gen: page.gen,
    frame: page.frame,
    marked: markedPage(page, open, open + 1 + closerOps.get(ops)!, name, formNum.get(size)!),
  }));
  return { stamp: { open, closers, forms, next: formBase + forms.length }, pages };
}

/** A name for the stamp that the page's own XObjects do not use. */
function freshName(page: PageFacts): string {
  const taken = new Set(page.xobjects.map(([k]) => k));
  let name = STAMP_NAME;
  for (let i = 1; taken.has(name); i++) name = `${STAMP_NAME}${i}`;
  return name;
}

/** The page with its content wrapped as [q, original…, Q + stamp] and the stamp added to its resources. */
function markedPage(page: PageFacts, open: number, closer: number, name: string, form: number): string {
  const contents = `[${open} 0 R ${page.contents.join(' ')}${page.contents.length ? ' ' : ''}${closer} 0 R]`;
  const resources = rawDict([...page.resources, ['XObject', rawDict([...page.xobjects, [name, `${form} 0 R`]])]]);
  return indirectText(page.num, page.gen, rawDict([...page.entries, ['Contents', contents], ['Resources', resources]]));
}
