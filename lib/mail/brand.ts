import { z } from 'zod';

/** The console's indigo, used until an organisation sets its own colours. */
export const DEFAULT_BRAND_COLOR = '#4f46e5';
export const DEFAULT_ACCENT_COLOR = '#4338ca';

export const HEX_COLOR = /^#[0-9a-f]{6}$/;
export const colorSchema = z.string().trim().toLowerCase().regex(HEX_COLOR, 'Use a colour like #4f46e5');

export interface Brand { orgName: string; brandColor: string; accentColor: string }

/** A stored colour, or the default when it is not a plain #rrggbb (it goes into CSS: nothing else may). */
export const safeColor = (c: string | null | undefined, fallback: string) => (c && HEX_COLOR.test(c.toLowerCase()) ? c.toLowerCase() : fallback);

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
}

/** White or near-black text on a coloured background, whichever reads better. */
export const textOn = (bg: string) => (contrastRatio(bg, '#ffffff') >= contrastRatio(bg, '#0f172a') ? '#ffffff' : '#0f172a');
