import { describe, expect, it } from 'vitest';
import { contrastRatio, normaliseHex, portalContrast, relativeLuminance } from '../../lib/portals/contrast';

describe('WCAG contrast', () => {
  it('computes relative luminance and the contrast ratio as WCAG 2.x defines them', () => {
    expect(relativeLuminance('#ffffff')).toBe(1);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // #767676 is the lightest grey that passes AA on white; #777777 just fails.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
    // Symmetric.
    expect(contrastRatio('#1f3a5f', '#ffffff')).toBe(contrastRatio('#ffffff', '#1f3a5f'));
  });

  it('checks white on the primary colour and the accent on white', () => {
    const ok = portalContrast('#1f3a5f', '#b4471f');
    expect(ok.map((c) => c.passes)).toEqual([true, true]);
    const bad = portalContrast('#ffcc00', '#9ca3af');
    expect(bad.map((c) => c.pair)).toEqual(['primary-on-white', 'accent-on-white']);
    expect(bad.every((c) => !c.passes && c.ratio < 4.5)).toBe(true);
  });

  it('normalises hex input and refuses anything else', () => {
    expect(normaliseHex('#1F3A5F')).toBe('#1f3a5f');
    expect(normaliseHex('abc')).toBe('#aabbcc');
    expect(normaliseHex('red')).toBeNull();
    expect(normaliseHex('#12345')).toBeNull();
    expect(normaliseHex('url(javascript:1)')).toBeNull();
  });
});
