import Link from 'next/link';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatDateTime, relativeTime } from '../ui/format';
import { td, th } from '../ui/styles';
import { shortAgent } from './format';

export interface SessionRow {
  id: string; guestId?: string; ip: string; device: string | null; country: string | null; userAgent: string | null;
  createdAt: Date; lastSeenAt: Date; expiresAt: Date; revokedAt: Date | null; guest: { email: string | null; kind: string } | null;
  live: boolean;
}

/** Guest sessions opened on the share, newest first. "Ended" covers revocation, password change and expiry. */
export function SessionsTable({ sessions }: { sessions: SessionRow[] }) {
  if (!sessions.length) return <EmptyState icon="eye" title="No guest sessions">A session starts when a guest passes the password and terms and opens the documents.</EmptyState>;
  const cell = `${td} border-b border-slate-100`;
  const now = Date.now();
  return (
    <div className="max-h-[28rem] overflow-auto">
      <table className="min-w-full border-separate border-spacing-0" data-testid="sessions-table">
        <thead>
          <tr>
            <th scope="col" className={`${th} whitespace-nowrap`}>Guest</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>IP address</th>
            <th scope="col" className={`${th} whitespace-nowrap`} title="The device type the browser reported in its user agent">Device (reported)</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>Country</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>Started</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>Last seen</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>State</th>
          </tr>
        </thead>
        <tbody className="[&>tr:last-child>td]:border-b-0">
          {sessions.map((s) => (
            <tr key={s.id} className="hover:bg-slate-50/80">
              <td className={`${cell} max-w-[14rem]`}>
                {s.guestId ? <Link href={`/guests/${s.guestId}`} className="block truncate text-slate-900 hover:text-indigo-600">{s.guest?.email ?? 'Anonymous link guest'}</Link>
                  : <span className="block truncate">{s.guest?.email ?? 'Anonymous link guest'}</span>}
                <span className="block max-w-[14rem] truncate text-xs text-slate-500" title={s.userAgent ?? undefined}>{shortAgent(s.userAgent)}</span>
              </td>
              <td className={`${cell} whitespace-nowrap`}><code className="font-mono text-xs text-slate-700">{s.ip}</code></td>
              <td className={`${cell} capitalize`}>{s.device ?? <span className="text-slate-400 normal-case">Unknown</span>}</td>
              <td className={cell}>{s.country ?? <span className="text-slate-400">Unknown</span>}</td>
              <td className={`${cell} tabular whitespace-nowrap text-slate-600`}>{formatDateTime(s.createdAt)}</td>
              <td className={`${cell} whitespace-nowrap`}>
                <span className="block">{relativeTime(s.lastSeenAt, now)}</span>
                <span className="tabular block text-xs text-slate-500">{formatDateTime(s.lastSeenAt)}</span>
              </td>
              <td className={cell}>
                {s.revokedAt ? <Badge tone="red" title={`Ended ${formatDateTime(s.revokedAt)}`}>Ended</Badge>
                  : s.live ? <Badge tone="green">Open</Badge> : <Badge tone="slate">Closed</Badge>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
