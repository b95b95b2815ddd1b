'use client';

import { useSyncExternalStore } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { dayLabel, formatCount, formatDuration } from './format';

/*
 * The analytics charts (recharts, drawn in the browser as SVG: crisp at any pixel density).
 *
 * They render only after hydration: the console's CSP allows no style attributes in server-rendered
 * markup, and recharts sizes its containers with inline styles, which React applies through the CSSOM
 * when it renders on the client. Until then a placeholder of the same height keeps the layout still.
 * Animations are off: figures appear at once, nothing moves for people who prefer reduced motion, and
 * a resize (or a screenshot) never catches a half-drawn chart. Each chart is one image to assistive technology (role="img" with a summary); the exact numbers are
 * in the data table under it.
 */

export const COLORS = { views: '#4f46e5', downloads: '#0d9488', guests: '#0284c7', refusals: '#c2410c', time: '#7c3aed' };
/** Distinct on white and for common colour-vision deficiencies (Okabe–Ito inspired, darkened for contrast). */
export const SERIES = ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#0284c7', '#7c3aed', '#64748b'];

const AXIS = { fontSize: 12, fill: '#475569' };
const GRID = '#e2e8f0';
const TOOLTIP = {
  contentStyle: { borderRadius: 8, border: '1px solid #e2e8f0', boxShadow: '0 4px 12px rgb(15 23 42 / 0.08)', fontSize: 12, padding: '8px 10px' },
  labelStyle: { color: '#0f172a', fontWeight: 600, marginBottom: 4 },
  cursor: { fill: 'rgb(148 163 184 / 0.12)' },
};

// Legend text in body grey: a series colour (amber, teal) is not always AA contrast as small text.
const legendText = (value: unknown) => <span className="text-slate-700">{String(value)}</span>;

const noop = () => () => undefined;
const useMounted = () => useSyncExternalStore(noop, () => true, () => false);

function Frame({ label, height, children }: { label: string; height: 'sm' | 'md' | 'lg'; children: React.ReactElement }) {
  const mounted = useMounted();
  const h = height === 'sm' ? 'h-56' : height === 'md' ? 'h-72' : 'h-80';
  return (
    <div role="img" aria-label={label} className={`${h} w-full`}>
      {mounted ? <ResponsiveContainer width="100%" height="100%">{children}</ResponsiveContainer> : <div className="h-full animate-pulse rounded-md bg-slate-50" />}
    </div>
  );
}

const tickDay = (d: string) => dayLabel(d);
const labelDay = (d: unknown) => dayLabel(String(d), true);

export function DailyActivityChart({ data, label }: { data: { date: string; views: number; downloads: number }[]; label: string }) {
  return (
    <Frame label={label} height="md">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} barGap={2} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="date" tickFormatter={tickDay} tick={AXIS} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} minTickGap={24} />
        <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={48} />
        <Tooltip {...TOOLTIP} labelFormatter={labelDay} formatter={(v) => formatCount(Number(v))} />
        <Legend itemSorter={null} formatter={legendText} iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, color: '#334155', paddingTop: 8 }} />
        <Bar isAnimationActive={false} dataKey="views" name="Views" fill={COLORS.views} radius={[3, 3, 0, 0]} maxBarSize={28} />
        <Bar isAnimationActive={false} dataKey="downloads" name="Downloads" fill={COLORS.downloads} radius={[3, 3, 0, 0]} maxBarSize={28} />
      </BarChart>
    </Frame>
  );
}

export function UniqueGuestsChart({ data, label }: { data: { date: string; uniqueGuests: number }[]; label: string }) {
  return (
    <Frame label={label} height="md">
      <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }} accessibilityLayer={false}>
        <defs>
          <linearGradient id="guests-fill" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={COLORS.guests} stopOpacity={0.25} />
            <stop offset="100%" stopColor={COLORS.guests} stopOpacity={0.02} />
          </linearGradient>
        </defs>
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="date" tickFormatter={tickDay} tick={AXIS} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} minTickGap={24} />
        <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={48} />
        <Tooltip {...TOOLTIP} cursor={{ stroke: '#94a3b8' }} labelFormatter={labelDay} formatter={(v) => formatCount(Number(v))} />
        <Area isAnimationActive={false} type="monotone" dataKey="uniqueGuests" name="Unique guests" stroke={COLORS.guests} strokeWidth={2} fill="url(#guests-fill)" dot={data.length <= 31 ? { r: 2.5, fill: COLORS.guests } : false} activeDot={{ r: 4 }} />
      </AreaChart>
    </Frame>
  );
}

export function RefusalsChart({ data, label }: { data: { reason: string; label: string; count: number }[]; label: string }) {
  return (
    <Frame label={label} height="md">
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid horizontal={false} stroke={GRID} />
        <XAxis type="number" allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} />
        <YAxis type="category" dataKey="label" tick={AXIS} tickLine={false} axisLine={false} width={150} interval={0} />
        <Tooltip {...TOOLTIP} formatter={(v) => formatCount(Number(v))} />
        <Bar isAnimationActive={false} dataKey="count" name="Refusals" fill={COLORS.refusals} radius={[0, 3, 3, 0]} maxBarSize={22} />
      </BarChart>
    </Frame>
  );
}

export function GuestActivityChart({ data, series, label }: { data: Record<string, string | number>[]; series: { key: string; name: string }[]; label: string }) {
  return (
    <Frame label={label} height="lg">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="date" tickFormatter={tickDay} tick={AXIS} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} minTickGap={24} />
        <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={48} />
        <Tooltip {...TOOLTIP} labelFormatter={labelDay} formatter={(v) => formatCount(Number(v))} />
        <Legend itemSorter={null} formatter={legendText} iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, color: '#334155', paddingTop: 8 }} />
        {series.map((s, i) => (
          <Bar isAnimationActive={false} key={s.key} dataKey={s.key} name={s.name} stackId="guests" fill={SERIES[i % SERIES.length]} maxBarSize={32}
            radius={i === series.length - 1 ? [3, 3, 0, 0] : 0} />
        ))}
      </BarChart>
    </Frame>
  );
}

export function PageTimeChart({ data, label }: { data: { page: number; dwellMs: number; views: number }[]; label: string }) {
  // Minutes once any page passes two minutes, seconds otherwise: round numbers on the axis either way.
  const minutes = Math.max(0, ...data.map((d) => d.dwellMs)) >= 120_000;
  const unit = minutes ? 60_000 : 1_000;
  const rows = data.map((d) => ({ page: `p. ${d.page}`, time: Math.round((d.dwellMs / unit) * 10) / 10, dwellMs: d.dwellMs, views: d.views }));
  return (
    <Frame label={label} height="md">
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -4 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="page" tick={AXIS} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} minTickGap={8} />
        <YAxis tick={AXIS} tickLine={false} axisLine={false} width={64} allowDecimals={false} unit={minutes ? ' min' : ' s'} />
        <Tooltip {...TOOLTIP} formatter={(_v, _n, item) => {
          const r = item.payload as { dwellMs: number; views: number };
          return [`${formatDuration(r.dwellMs)} in all · ${formatCount(r.views)} ${r.views === 1 ? 'reader' : 'readers'}`, 'Time'];
        }} />
        <Bar isAnimationActive={false} dataKey="time" name="Time on page" fill={COLORS.time} radius={[3, 3, 0, 0]} maxBarSize={36} />
      </BarChart>
    </Frame>
  );
}
