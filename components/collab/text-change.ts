/**
 * The smallest single edit that turns `prev` into `next`: what a textarea's change event amounts to
 * (one typed or pasted run, a deletion, or a selection replaced). Applied to a shared Y.Text, it keeps
 * everyone else's concurrent edits around it intact, where replacing the whole text would not.
 */
export function textChange(prev: string, next: string): { index: number; remove: number; insert: string } | null {
  if (prev === next) return null;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endPrev = prev.length;
  let endNext = next.length;
  while (endPrev > start && endNext > start && prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)) { endPrev--; endNext--; }
  // Never split a surrogate pair: an emoji is inserted or removed whole.
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  if (endPrev < prev.length && isLowSurrogate(prev.charCodeAt(endPrev)) && endNext < next.length) { endPrev++; endNext++; }
  return { index: start, remove: endPrev - start, insert: next.slice(start, endNext) };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
