import type { StaffSessionView } from '@/lib/staff/sessions';
import { Badge } from '../ui/badge';
import { formatDateTime, relativeTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { deviceIcon } from './labels';

const until = (d: Date, now: number) => {
  const m = Math.round((d.getTime() - now) / 60_000);
  return m < 60 ? `in ${Math.max(m, 1)} min` : `in ${Math.round(m / 60)} h`;
};

/** The cells every session table shares: browser, address, start, last seen, expiry. */
export function SessionCells({ session: s, now, cell }: { session: StaffSessionView; now: number; cell: string }) {
  return (
    <>
      <td className={cell}>
        <div className="flex items-center gap-3">
          <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-500" aria-hidden="true"><Icon name={deviceIcon(s.device.device)} className="size-4" /></span>
          <div className="min-w-0">
            <p className="flex items-center gap-2 font-medium text-slate-900">
              <span className="max-w-[16rem] truncate" title={s.userAgent ?? undefined}>{s.device.label}</span>
              {s.current ? <Badge tone="green">This session</Badge> : null}
            </p>
            <p className="text-xs text-slate-500 capitalize">{s.device.device}</p>
          </div>
        </div>
      </td>
      <td className={cell}><span className="font-mono text-xs text-slate-700">{s.ip ?? '—'}</span></td>
      <td className={`${cell} whitespace-nowrap`}>
        <time dateTime={s.createdAt.toISOString()} className="block text-slate-900">{relativeTime(s.createdAt, now)}</time>
        <span className="tabular block text-xs text-slate-500">{formatDateTime(s.createdAt)}</span>
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <time dateTime={s.lastSeenAt.toISOString()} title={formatDateTime(s.lastSeenAt)}>{relativeTime(s.lastSeenAt, now)}</time>
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <time dateTime={s.expiresAt.toISOString()} title={formatDateTime(s.expiresAt)}>{until(s.expiresAt, now)}</time>
      </td>
    </>
  );
}
