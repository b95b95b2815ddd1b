import Link from 'next/link';
import type { DeviceView } from '@/lib/devices/registry';
import { Badge } from '../ui/badge';
import { formatDateTime, relativeTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { cx, td, th } from '../ui/styles';
import type { Act } from '../staff/types';
import { ApproveDeviceButton, RevokeDeviceButton } from './device-actions';

const STATUS = {
  APPROVED: { label: 'Approved', tone: 'green', hint: 'Requests proved with this key are let through.' },
  PENDING: { label: 'Awaiting approval', tone: 'amber', hint: 'Refused until an owner or admin approves it.' },
  REVOKED: { label: 'Revoked', tone: 'red', hint: 'Refused from now on.' },
} as const;

export function DeviceStatusBadge({ status }: { status: DeviceView['status'] }) {
  const s = STATUS[status];
  return <Badge tone={s.tone} title={s.hint}>{s.label}</Badge>;
}

const guestLabel = (g: DeviceView['guest']) => g.displayName ?? g.email ?? `Anonymous guest ${g.id.slice(-8)}`;

/**
 * Device keys as staff see them: browser label and short thumbprint, status and who decided it, when
 * registered, last used. `showGuest` adds a guest column (the organisation-wide list).
 */
export function DevicesTable({ devices, now, showGuest = false, approve, revoke }: {
  devices: DeviceView[]; now: number; showGuest?: boolean; approve: Act<{ id: string }, unknown>; revoke: Act<{ id: string }, unknown>;
}) {
  const cell = cx(td, 'border-b border-slate-100 align-middle');
  return (
    <table className="min-w-full border-separate border-spacing-0" data-testid="devices-table">
      <thead>
        <tr>
          <th scope="col" className={th}>Device</th>
          {showGuest ? <th scope="col" className={th}>Guest</th> : null}
          <th scope="col" className={th}>Status</th>
          <th scope="col" className={th}>Registered</th>
          <th scope="col" className={cx(th, 'whitespace-nowrap')}>Last used</th>
          <th scope="col" className={th}><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody className="[&>tr:last-child>td]:border-b-0">
        {devices.map((d) => (
          <tr key={d.id} className={d.status === 'REVOKED' ? 'bg-slate-50/60' : 'hover:bg-slate-50/80'} data-testid={`device-${d.id}`}>
            <td className={cell}>
              <div className="flex items-center gap-3">
                <span className={`flex size-8 shrink-0 items-center justify-center rounded-md ${d.status === 'PENDING' ? 'bg-amber-50 text-amber-600' : 'bg-slate-100 text-slate-500'}`} aria-hidden="true">
                  <Icon name="key" className="size-4" />
                </span>
                <div className="min-w-0">
                  <p className="max-w-[15rem] truncate font-medium text-slate-900" title={d.label}>{d.label || 'Unknown browser'}</p>
                  <p className="text-xs text-slate-500">Key <code className="font-mono text-slate-600" title={`SHA-256 thumbprint ${d.thumbprint}`}>{d.thumbprint.slice(0, 12)}…</code></p>
                </div>
              </div>
            </td>
            {showGuest ? (
              <td className={cx(cell, 'max-w-[16rem]')}>
                <Link href={`/guests/${d.guestId}`} className="block truncate text-slate-700 hover:text-indigo-600" title={guestLabel(d.guest)}>{guestLabel(d.guest)}</Link>
                {d.guest.displayName && d.guest.email ? <span className="block truncate text-xs text-slate-500">{d.guest.email}</span> : null}
              </td>
            ) : null}
            <td className={cx(cell, 'max-w-[15rem]')}>
              <DeviceStatusBadge status={d.status} />
              {d.decidedBy && d.status !== 'PENDING' ? (
                <span className="mt-1 block truncate text-xs text-slate-500" title={`${d.decidedBy}${d.decidedAt ? `, ${formatDateTime(d.decidedAt)}` : ''}`}>
                  {d.decidedBy.startsWith('automatic') ? 'Automatically, first device' : `By ${d.decidedBy}`}
                </span>
              ) : null}
            </td>
            <td className={cx(cell, 'whitespace-nowrap')}>
              <time dateTime={d.createdAt.toISOString()} className="block text-slate-900">{relativeTime(d.createdAt, now)}</time>
              <span className="tabular block text-xs text-slate-500">{formatDateTime(d.createdAt)}</span>
            </td>
            <td className={cx(cell, 'whitespace-nowrap')}>
              {d.lastUsedAt ? <time dateTime={d.lastUsedAt.toISOString()} title={formatDateTime(d.lastUsedAt)}>{relativeTime(d.lastUsedAt, now)}</time> : <span className="text-slate-400">Never</span>}
            </td>
            <td className={cx(cell, 'text-right whitespace-nowrap')}>
              {d.canDecide ? (
                <div className="flex items-center justify-end gap-1.5">
                  {d.status !== 'APPROVED' ? <ApproveDeviceButton id={d.id} what={d.label} action={approve} /> : null}
                  {d.status !== 'REVOKED' ? <RevokeDeviceButton id={d.id} what={d.label || 'This device'} pending={d.status === 'PENDING'} action={revoke} /> : null}
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
