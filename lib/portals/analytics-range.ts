import { z } from 'zod';

/*
 * The date range as the console expresses it in its URL (?range=7d|30d|90d, or range=custom with
 * from/to as YYYY-MM-DD), turned into the instants portalAnalytics takes. Presets end now and start at
 * midnight UTC, so "last 7 days" is exactly seven calendar-day bars, today included. A custom range
 * includes its end day.
 */

export const RANGE_PRESETS = ['7d', '30d', '90d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
const DAY_MS = 86_400_000;
const PRESET_DAYS: Record<RangePreset, number> = { '7d': 7, '30d': 30, '90d': 90 };

const isoDay = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-30.')
  .transform((s, c) => {
    const d = new Date(`${s}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) c.addIssue({ code: 'custom', message: `${s} is not a date.` });
    return d;
  });
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v) || undefined;

export const consoleRangeInput = z.object({
  range: z.preprocess(first, z.enum([...RANGE_PRESETS, 'custom']).catch('30d').default('30d')),
  from: z.preprocess(first, isoDay.optional()),
  to: z.preprocess(first, isoDay.optional()),
});

export interface ConsoleRange { preset: RangePreset | 'custom'; from: Date; to: Date; fromDay: string; toDay: string }

/** Search params (page or export route) → the range; an incomplete custom range is a validation error. */
export function consoleRange(search: Record<string, unknown>, now = new Date()): ConsoleRange {
  const q = consoleRangeInput.parse(search);
  let from: Date;
  let to: Date;
  if (q.range === 'custom') {
    if (!q.from || !q.to) throw new z.ZodError([{ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'Choose both a start and an end date.', input: undefined }]);
    from = q.from;
    to = new Date(q.to.getTime() + DAY_MS);
  } else {
    to = now;
    from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (PRESET_DAYS[q.range] - 1) * DAY_MS);
  }
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { preset: q.range, from, to, fromDay: day(from), toDay: day(new Date(to.getTime() - 1)) };
}

/** The query string for a range, as links and the export keep it. */
export function rangeQuery(r: Pick<ConsoleRange, 'preset' | 'fromDay' | 'toDay'>): string {
  return r.preset === 'custom' ? `range=custom&from=${r.fromDay}&to=${r.toDay}` : `range=${r.preset}`;
}
