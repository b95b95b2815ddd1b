import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';

extend([a11yPlugin]);

/**
 * WCAG 2.x contrast of the portal's colours (colord's a11y plugin implements the WCAG relative
 * luminance and contrast ratio). Pure, so the console can warn while staff pick and the server can
 * refuse with the same numbers.
 */
export const AA_NORMAL_TEXT = 4.5;
export const WHITE = '#ffffff';
const HEX = /^#[0-9a-f]{6}$/;

/** "#1F3A5F", "1f3a5f" or "#abc" → "#1f3a5f"; null for anything that is not a hex colour. */
export function normaliseHex(raw: string): string | null {
  let s = raw.trim().toLowerCase();
  if (!s.startsWith('#')) s = `#${s}`;
  if (/^#[0-9a-f]{3}$/.test(s)) s = `#${[...s.slice(1)].map((c) => c + c).join('')}`;
  return HEX.test(s) ? s : null;
}

/** Relative luminance (0 black to 1 white), to two decimals. */
export const relativeLuminance = (hex: string) => colord(hex).luminance();

/** The contrast ratio (1 to 21). colord rounds it down to two decimals, so a displayed 4.50 really passes. */
export const contrastRatio = (a: string, b: string): number => colord(a).contrast(b);

export interface ContrastPair {
  /** Which part of the portal the pair draws. */
  pair: 'primary-on-white' | 'accent-on-white';
  label: string;
  foreground: string;
  background: string;
  ratio: number;
  passes: boolean;
}

/**
 * The two pairs a portal draws: white text on primaryColor (header, buttons) and accentColor text on
 * white (links). Both must reach AA for normal text (4.5:1).
 */
export function portalContrast(primaryColor: string, accentColor: string): ContrastPair[] {
  const primary = contrastRatio(WHITE, primaryColor);
  const accent = contrastRatio(accentColor, WHITE);
  return [
    { pair: 'primary-on-white', label: 'White text on the primary colour (header and buttons)', foreground: WHITE, background: primaryColor, ratio: primary, passes: primary >= AA_NORMAL_TEXT },
    { pair: 'accent-on-white', label: 'Accent colour links on white', foreground: accentColor, background: WHITE, ratio: accent, passes: accent >= AA_NORMAL_TEXT },
  ];
}
