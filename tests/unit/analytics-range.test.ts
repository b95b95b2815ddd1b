import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { consoleRange, rangeQuery } from '../../lib/portals/analytics-range';
import { daysOf } from '../../lib/portals/analytics';

const NOW = new Date('2026-12-02T15:30:00Z');

describe('analytics ranges', () => {
  it('presets end now and start at midnight UTC, today included', () => {
    expect(consoleRange({ range: '7d' }, NOW)).toEqual({ preset: '7d', from: new Date('2026-11-26T00:00:00Z'), to: NOW, fromDay: '2026-11-26', toDay: '2026-12-02' });
    expect(consoleRange({}, NOW).preset).toBe('30d');
    expect(consoleRange({ range: 'nonsense' }, NOW).preset).toBe('30d');
    expect(daysOf(consoleRange({ range: '90d' }, NOW).from, NOW)).toHaveLength(90);
  });

  it('a custom range includes its end day; a missing or impossible date is refused', () => {
    const r = consoleRange({ range: 'custom', from: '2026-02-01', to: ['2026-02-28', 'x'] }, NOW);
    expect(r).toMatchObject({ from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z'), toDay: '2026-02-28' });
    expect(rangeQuery(r)).toBe('range=custom&from=2026-02-01&to=2026-02-28');
    expect(() => consoleRange({ range: 'custom', from: '2026-02-01' }, NOW)).toThrow(ZodError);
    expect(() => consoleRange({ range: 'custom', from: '2026-02-30', to: '2026-03-01' }, NOW)).toThrow(/not a date/);
  });
});
