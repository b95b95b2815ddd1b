import type { Metadata } from 'next';
import Link from 'next/link';
import { portalAnalytics, type PortalAnalytics } from '@/lib/portals/analytics';
import { consoleRange, rangeQuery } from '@/lib/portals/analytics-range';
import { ChartCard, NoData } from '@/components/portals/analytics/chart-card';
import { DailyActivityChart, GuestActivityChart, RefusalsChart, UniqueGuestsChart } from '@/components/portals/analytics/charts';
import { ChartDataTable } from '@/components/portals/analytics/data-table';
import { dayLabel, formatCount, formatDuration, plural, refusalLabel } from '@/components/portals/analytics/format';
import { PageTimePanel } from '@/components/portals/analytics/page-time-panel';
import { RangePicker } from '@/components/portals/analytics/range-picker';
import { SummaryCards } from '@/components/portals/analytics/summary-cards';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { button, card, cx, td, th } from '@/components/ui/styles';
import { pathSegment, requirePageIds } from '../../../_shared/ids';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';

export const metadata: Metadata = { title: 'Portal analytics' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Guests drawn as their own series in the stacked chart; the rest are summed as "Other guests". */
const CHART_GUESTS = 6;

function Header({ basePath, range, description, exportHref }: { basePath: string; range: { preset: string; fromDay: string; toDay: string }; description: React.ReactNode; exportHref?: string }) {
  return (
    <div className="mb-6 flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
      <div className="min-w-0">
        <h2 className="text-lg font-semibold tracking-tight text-slate-900">Analytics</h2>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">{description}</p>
      </div>
      <RangePicker basePath={basePath} current={range.preset} fromDay={range.fromDay} toDay={range.toDay}
        extra={exportHref ? <a href={exportHref} download className={button('secondary', 'md', 'h-[38px]')} data-testid="export-csv"><Icon name="download" className="size-4" />Export CSV</a> : null} />
    </div>
  );
}

function guestSeries(a: PortalAnalytics) {
  const top = a.guests.slice(0, CHART_GUESTS);
  const rest = a.guests.slice(CHART_GUESTS);
  const series = [...top.map((g, i) => ({ key: `g${i}`, name: g.label })), ...(rest.length ? [{ key: 'other', name: `Other guests (${rest.length})` }] : [])];
  const data = a.daily.map((d, day) => {
    const row: Record<string, string | number> = { date: d.date };
    top.forEach((g, i) => { row[`g${i}`] = g.daily[day]?.events ?? 0; });
    if (rest.length) row.other = rest.reduce((n, g) => n + (g.daily[day]?.events ?? 0), 0);
    return row;
  });
  return { series, data };
}

export default async function PortalAnalyticsPage({ params, searchParams }: Props) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const p = await consolePrincipal();
  await requirePageIds(p, 'page /portals/[id]/analytics', { portalId: pathSegment(id) });
  const basePath = `/portals/${encodeURIComponent(id)}/analytics`;
  const res = await load(async () => {
    const range = consoleRange(sp);
    return { range, a: await portalAnalytics(p, id, { from: range.from, to: range.to }) };
  });
  if (!res.ok) {
    if (res.code !== 'validation_failed') return <LoadError error={res} what="Portal analytics are for staff who may see shares or the audit trail." />;
    const first = (k: string) => (Array.isArray(sp[k]) ? sp[k][0] : sp[k]) ?? '';
    return (
      <>
        <Header basePath={basePath} range={{ preset: 'custom', fromDay: first('from'), toDay: first('to') }} description="Choose the period to report on." />
        <Notice tone="error" title="This date range cannot be shown">{res.message}</Notice>
      </>
    );
  }
  const { range, a } = res.data;
  const period = range.fromDay === range.toDay ? dayLabel(range.fromDay, true) : `${dayLabel(range.fromDay, true)} – ${dayLabel(range.toDay, true)}`;
  const exportHref = `${basePath}/export?${rangeQuery(range)}`;
  const active = a.totals.views + a.totals.downloads + a.totals.uniqueGuests + a.totals.refusals > 0 || a.documents.length > 0;

  const header = <Header basePath={basePath} range={range} exportHref={exportHref}
    description={<>Guest activity on <span className="font-medium text-slate-900">{a.portal.name}</span>, {period} (UTC). Share links are reported on each share.</>} />;

  if (!active) {
    return (
      <>
        {header}
        <SummaryCards totals={a.totals} />
        <div className={`${card} mt-6`} data-testid="analytics-empty">
          <EmptyState icon="layers" title="No guest activity in this period">
            Once guests sign in to this portal, their views, downloads, reading time and refused requests appear here. Try a longer range to look further back.
          </EmptyState>
        </div>
      </>
    );
  }

  const dayRows = a.daily.map((d) => [dayLabel(d.date, true), formatCount(d.views), formatCount(d.downloads), formatCount(d.uniqueGuests)]);
  const guests = guestSeries(a);
  const refusals = a.refusals.map((r) => ({ reason: r.reason, label: refusalLabel(r.reason), count: r.count }));
  const busiest = a.daily.reduce((m, d) => (d.views + d.downloads > m.views + m.downloads ? d : m), a.daily[0]);

  return (
    <>
      {header}
      <SummaryCards totals={a.totals} />

      <div className="mt-6 grid gap-6 xl:grid-cols-3">
        <ChartCard id="daily-title" title="Views and downloads per day" className="xl:col-span-2"
          description={busiest && busiest.views + busiest.downloads > 0 ? `Busiest day: ${dayLabel(busiest.date, true)} (${plural(busiest.views, 'view')}, ${plural(busiest.downloads, 'download')}).` : 'No views or downloads in this period.'}
          table={<ChartDataTable caption="Views and downloads per day" testId="daily-table" columns={[{ label: 'Day' }, { label: 'Views', numeric: true }, { label: 'Downloads', numeric: true }, { label: 'Unique guests', numeric: true }]} rows={dayRows} />}>
          <DailyActivityChart data={a.daily} label={`Bar chart of views and downloads per day, ${period}: ${a.totals.views} views and ${a.totals.downloads} downloads in all.`} />
        </ChartCard>
        <ChartCard id="guests-day-title" title="Unique guests per day" description={`${formatCount(a.totals.uniqueGuests)} different ${a.totals.uniqueGuests === 1 ? 'guest' : 'guests'} over the period.`}
          table={<ChartDataTable caption="Unique guests per day" columns={[{ label: 'Day' }, { label: 'Unique guests', numeric: true }]} rows={a.daily.map((d) => [dayLabel(d.date, true), formatCount(d.uniqueGuests)])} />}>
          <UniqueGuestsChart data={a.daily} label={`Area chart of unique guests per day, ${period}; at most ${Math.max(0, ...a.daily.map((d) => d.uniqueGuests))} on one day.`} />
        </ChartCard>

        <ChartCard id="guest-activity-title" title="Activity per guest" className="xl:col-span-2"
          description="Sign-ins, documents opened, pages read and downloads per day, for the most active guests."
          table={<ChartDataTable caption="Activity per guest per day" testId="guest-activity-table"
            columns={[{ label: 'Day' }, ...guests.series.map((s) => ({ label: s.name, numeric: true }))]}
            rows={guests.data.map((r) => [dayLabel(String(r.date), true), ...guests.series.map((s) => formatCount(Number(r[s.key] ?? 0)))])} />}>
          {guests.series.length
            ? <GuestActivityChart data={guests.data} series={guests.series} label={`Stacked bar chart of daily activity for the ${Math.min(CHART_GUESTS, a.guests.length)} most active guests, ${period}.`} />
            : <NoData className="h-80">No guest had allowed activity in this period.</NoData>}
        </ChartCard>
        <ChartCard id="refusals-title" title="Refusals by reason" description={a.totals.refusals ? `${formatCount(a.totals.refusals)} refused ${a.totals.refusals === 1 ? 'request' : 'requests'}, by the rule that stopped it.` : 'Requests the access policy refused.'}
          table={refusals.length ? <ChartDataTable caption="Refusals by reason" testId="refusals-table" columns={[{ label: 'Reason' }, { label: 'Code' }, { label: 'Refusals', numeric: true }]} rows={refusals.map((r) => [r.label, r.reason, formatCount(r.count)])} /> : null}>
          {refusals.length
            ? <RefusalsChart data={refusals} label={`Bar chart of refusals by reason: ${refusals.map((r) => `${r.label} ${r.count}`).join(', ')}.`} />
            : <NoData className="h-72">Nothing was refused in this period.</NoData>}
        </ChartCard>
      </div>

      <div className="mt-6">
        <PageTimePanel documents={a.documents.map((d) => ({ documentId: d.documentId, title: d.title, totalDwellMs: d.totalDwellMs, pages: d.pages }))} />
      </div>

      <div className="mt-6 grid gap-6 2xl:grid-cols-2">
        <section aria-labelledby="documents-title" className={`${card} min-w-0 overflow-hidden`}>
          <h3 id="documents-title" className="border-b border-slate-200 px-5 py-4 text-sm font-semibold text-slate-900">Documents</h3>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[36rem] table-fixed" data-testid="documents-table">
              <thead><tr>
                <th scope="col" className={th}>Document</th><th scope="col" className={cx(th, 'w-24 text-right')}>Views</th>
                <th scope="col" className={cx(th, 'w-28 text-right')}>Downloads</th><th scope="col" className={cx(th, 'w-36 text-right')}>Reading time</th>
              </tr></thead>
              <tbody className="divide-y divide-slate-100">
                {a.documents.map((d) => (
                  <tr key={d.documentId}>
                    <td className={td}><Link href={`/documents/${d.documentId}`} className="block truncate font-medium text-slate-900 hover:text-indigo-600" title={d.title}>{d.title}</Link>
                      <span className="block text-xs text-slate-500">{d.pages.length ? `${d.pages.length} ${d.pages.length === 1 ? 'page' : 'pages'} read` : 'No pages read in the viewer'}</span></td>
                    <td className={cx(td, 'tabular text-right')}>{formatCount(d.views)}</td>
                    <td className={cx(td, 'tabular text-right')}>{formatCount(d.downloads)}</td>
                    <td className={cx(td, 'tabular text-right')}>{d.totalDwellMs ? formatDuration(d.totalDwellMs) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="guests-title" className={`${card} min-w-0 overflow-hidden`}>
          <h3 id="guests-title" className="border-b border-slate-200 px-5 py-4 text-sm font-semibold text-slate-900">Most active guests</h3>
          {a.guests.length ? (
            <div className="max-h-[26rem] overflow-auto">
              <table className="w-full table-fixed" data-testid="guests-table">
                <thead><tr>
                  <th scope="col" className={th}>Guest</th><th scope="col" className={cx(th, 'w-24 text-right')}>Activity</th>
                  <th scope="col" className={cx(th, 'w-20 text-right')}>Views</th><th scope="col" className={cx(th, 'w-28 text-right')}>Downloads</th><th scope="col" className={cx(th, 'w-32 text-right')}>Last seen</th>
                </tr></thead>
                <tbody className="divide-y divide-slate-100">
                  {a.guests.map((g) => (
                    <tr key={g.guestId}>
                      <td className={td}><Link href={`/guests/${g.guestId}`} className="block truncate font-medium text-slate-900 hover:text-indigo-600" title={g.label}>{g.label}</Link></td>
                      <td className={cx(td, 'tabular text-right')}>{formatCount(g.events)}</td>
                      <td className={cx(td, 'tabular text-right')}>{formatCount(g.views)}</td>
                      <td className={cx(td, 'tabular text-right')}>{formatCount(g.downloads)}</td>
                      <td className={cx(td, 'text-right whitespace-nowrap')}><time dateTime={g.lastSeenAt.toISOString()} title={formatDateTime(g.lastSeenAt)}>{relativeTime(g.lastSeenAt)}</time></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : <EmptyState icon="users" title="No guest activity">Guests appear here once they open something on the portal.</EmptyState>}
        </section>
      </div>
    </>
  );
}
