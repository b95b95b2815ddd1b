import { describe, expect, it } from 'vitest';
import { isoFromPgTimestamp } from '../../lib/audit/verify';

describe('timestamps as PostgreSQL writes them', () => {
  it('become the text toISOString() gives', () => {
    for (const iso of ['2026-12-01T21:55:12.000Z', '2026-12-01T21:55:12.100Z', '2026-12-01T21:55:12.120Z', '2026-12-01T21:55:12.123Z', '0099-01-01T00:00:00.500Z']) {
      // PostgreSQL's ISO output: a space, and the fraction without trailing zeros (none at all for .000).
      const pgText = iso.slice(0, 10) + ' ' + iso.slice(11, 23).replace(/\.?0+$/, '');
      expect(isoFromPgTimestamp(pgText)).toBe(new Date(iso).toISOString());
    }
    expect(isoFromPgTimestamp('2026-12-01 21:55:12.123456')).toBe('2026-12-01T21:55:12.123Z');
  });

  it('refuses any other format loudly rather than report a false mismatch', () => {
    for (const bad of ['2026-12-01T21:55:12Z', '12/01/2026 21:55:12', 'Tue Dec 01 21:55:12 2026', '2026-12-01 21:55:12+00', '']) {
      expect(() => isoFromPgTimestamp(bad)).toThrow(/unexpected timestamp format/);
    }
  });
});
