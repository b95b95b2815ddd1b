import { stringify } from 'csv-stringify/sync';
import type { Principal } from '../auth/principal';
import { portalAnalytics, type AnalyticsRange, type PortalAnalytics } from './analytics';

/*
 * Portal analytics as CSV: one long ("tidy") table, one number per row, so every section has the same
 * columns and a spreadsheet pivot or a script reads it without knowing the sections in advance.
 *
 *   section,date,id,label,page,metric,value
 *   range,,,,,from,2026-11-01T00:00:00.000Z        (and to: the range, end exclusive)
 *   total,,,,,views,42
 *   day,2026-11-03,,,,views,7                      (views, downloads, unique_guests)
 *   document,,<document id>,<title>,,views,5        (views, downloads, dwell_ms)
 *   page,,<document id>,<title>,3,dwell_ms,81000    (dwell_ms, views = sessions that read the page)
 *   guest,,<guest id>,<email>,,events,12           (events, views, downloads, last_seen_at)
 *   guest_day,2026-11-03,<guest id>,<email>,,events,4
 *   refusal,,,<reason code>,,count,2
 *
 * The export starts with a UTF-8 byte order mark (for Excel). RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes doubled.
 * Titles and addresses come from outside the organisation, so a cell that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe.
 */

export const CSV_COLUMNS = ['section', 'date', 'id', 'label', 'page', 'metric', 'value'] as const;
type Row = [section: string, date: string, id: string, label: string, page: string, metric: string, value: string | number];

/** A text cell a spreadsheet will show as text, never evaluate (OWASP "CSV injection"). */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function analyticsRows(a: PortalAnalytics): Row[] {
  const rows: Row[] = [
    ['range', '', '', '', '', 'from', a.from.toISOString()],
    ['range', '', '', '', '', 'to', a.to.toISOString()],
  ];
  for (const [metric, v] of [['views', a.totals.views], ['downloads', a.totals.downloads], ['unique_guests', a.totals.uniqueGuests], ['refusals', a.totals.refusals]] as const)
    rows.push(['total', '', '', '', '', metric, v]);
  for (const d of a.daily)
    rows.push(['day', d.date, '', '', '', 'views', d.views], ['day', d.date, '', '', '', 'downloads', d.downloads], ['day', d.date, '', '', '', 'unique_guests', d.uniqueGuests]);
  for (const d of a.documents) {
    rows.push(['document', '', d.documentId, d.title, '', 'views', d.views], ['document', '', d.documentId, d.title, '', 'downloads', d.downloads],
      ['document', '', d.documentId, d.title, '', 'dwell_ms', d.totalDwellMs]);
    for (const x of d.pages)
      rows.push(['page', '', d.documentId, d.title, String(x.page), 'dwell_ms', x.dwellMs], ['page', '', d.documentId, d.title, String(x.page), 'views', x.views]);
  }
  for (const g of a.guests) {
    rows.push(['guest', '', g.guestId, g.label, '', 'events', g.events], ['guest', '', g.guestId, g.label, '', 'views', g.views],
      ['guest', '', g.guestId, g.label, '', 'downloads', g.downloads], ['guest', '', g.guestId, g.label, '', 'last_seen_at', g.lastSeenAt.toISOString()]);
    for (const d of g.daily) if (d.events) rows.push(['guest_day', d.date, g.guestId, g.label, '', 'events', d.events]);
  }
  for (const r of a.refusals) rows.push(['refusal', '', '', r.reason, '', 'count', r.count]);
  return rows;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify([[...CSV_COLUMNS], ...rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : neutralizeFormula(c))))], {
    record_delimiter: 'windows',
    // csv-stringify quotes line feeds, commas and quotes; a lone carriage return is a line break to
    // many readers, so it is quoted too.
    quoted_match: /\r/,
  });
}

export interface AnalyticsCsv { fileName: string; body: string }

/** The CSV export of `portalAnalytics` (same access rules), with a file name naming portal and range. */
export async function portalAnalyticsCsv(p: Principal, portalId: string, range?: AnalyticsRange): Promise<AnalyticsCsv> {
  const a = await portalAnalytics(p, portalId, range);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  // A byte order mark, so that Excel reads the UTF-8 titles and addresses as UTF-8.
  return { fileName: `portal-${a.portal.slug}-analytics-${day(a.from)}-to-${day(new Date(a.to.getTime() - 1))}.csv`, body: `\uFEFF${toCsv(analyticsRows(a))}` };
}
