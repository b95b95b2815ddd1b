export interface FontLookup {
  /** First font able to draw the code point, undefined if none. */
  fontFor(codePoint: number): number | undefined;
  has(font: number, codePoint: number): boolean;
}

export interface TextRun {
  text: string;
  font: number;
}

// Spaces, digits and punctuation belong to no script; combining marks belong to their base letter.
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
const MARK = /^\p{M}$/u;
const REPLACEMENT = '?';

/**
 * Splits a line into runs that one font can draw each. Letters take the first font that has them;
 * neutral characters stay in the surrounding font when the letters on both sides share it, so
 * "محمد علي" is one run (shaped and ordered as a whole) and a Latin-only line is one run, drawn by
 * one drawText call. Characters no font has become "?" rather than invisible .notdef boxes.
 */
export function splitRuns(text: string, fonts: FontLookup, fallbackFont = 0): TextRun[] {
  const chars = Array.from(text);
  const cps = chars.map((c) => c.codePointAt(0)!);
  const neutral = chars.map((c) => NEUTRAL.test(c));
  const strong: (number | undefined)[] = cps.map((cp, i) => (neutral[i] ? undefined : fonts.fontFor(cp)));

  const nearest = (from: number, step: 1 | -1): number | undefined => {
    for (let i = from; i >= 0 && i < chars.length; i += step) if (!neutral[i] && strong[i] !== undefined) return strong[i];
    return undefined;
  };

  const runs: TextRun[] = [];
  const push = (ch: string, font: number) => {
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += ch;
    else runs.push({ text: ch, font });
  };

  for (let i = 0; i < chars.length; i++) {
    const cp = cps[i];
    let font: number | undefined;
    if (!neutral[i]) {
      font = strong[i];
    } else {
      const before = nearest(i - 1, -1);
      const after = nearest(i + 1, 1);
      const prevRunFont = runs[runs.length - 1]?.font;
      if (MARK.test(chars[i]) && prevRunFont !== undefined && fonts.has(prevRunFont, cp)) font = prevRunFont;
      else if (before !== undefined && before === after && fonts.has(before, cp)) font = before;
      else if (fonts.has(fallbackFont, cp)) font = fallbackFont;
      else font = fonts.fontFor(cp);
    }
    if (font === undefined) push(REPLACEMENT, fallbackFont);
    else push(chars[i], font);
  }
  return runs;
}
