/**
 * Which writing systems a domain label uses, to flag look-alike domains (UTS #39, simplified): a
 * label that mixes scripts, such as "exаmple" with a Cyrillic "а", or one written wholly in letters
 * that imitate Latin ones ("аррӏе" is all Cyrillic), is shown with a warning wherever it is displayed.
 */
const SCRIPTS: Array<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Bengali', /\p{Script=Bengali}/u],
  ['Tamil', /\p{Script=Tamil}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Bopomofo', /\p{Script=Bopomofo}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

/** Script combinations UTS #39 calls "highly restrictive": Latin with the scripts of one CJK language. */
const ALLOWED_COMBINATIONS: string[][] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

// Non-Latin letters that render like Latin ones in common fonts (Unicode confusables.txt, the usual suspects).
const LATIN_LOOKALIKES = new Set([...'аеорсухіјѕԁԛԝӏһкмнтвпгլօսզոցհաոյɑοαеτυνκιρϲϳϵѵѡօ']);

function scriptOf(ch: string): string | null {
  if (/[0-9\-]/.test(ch) || /\p{Script=Common}|\p{Script=Inherited}/u.test(ch)) return null;
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return 'Other';
}

export function labelScripts(label: string): Set<string> {
  const out = new Set<string>();
  for (const ch of label) {
    const s = scriptOf(ch);
    if (s) out.add(s);
  }
  return out;
}

/** True when the label mixes scripts outside the CJK combinations, or imitates Latin with another script. */
export function isLookalikeLabel(label: string): boolean {
  const scripts = [...labelScripts(label)];
  if (scripts.length > 1) return !ALLOWED_COMBINATIONS.some((allowed) => scripts.every((s) => allowed.includes(s)));
  if (scripts.length === 1 && scripts[0] !== 'Latin') {
    const letters = [...label].filter((ch) => scriptOf(ch) !== null);
    return letters.length > 0 && letters.every((ch) => LATIN_LOOKALIKES.has(ch));
  }
  return false;
}

/** A Unicode domain that mixes scripts in a label, or whose label only imitates Latin letters. */
export const isLookalikeDomain = (unicodeDomain: string) => unicodeDomain.split('.').some(isLookalikeLabel);
