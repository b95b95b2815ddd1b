import Link from 'next/link';
import { can, type Principal } from '@/lib/auth/principal';
import { listAuditEvents } from '@/lib/audit/query';
import { describeError } from '@/lib/http/error-response';
import { shareCounts } from '@/lib/shares/counts';
import { listShares } from '@/lib/shares/service';
import { OutcomeBadge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatDateTime, relativeTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { card } from '../ui/styles';
import { fromNow } from './format';
import { reasonLabel, shareEventLabel } from './labels';
import { ShareStatusBadge } from './status-badge';

/**
 * The dashboard's view of what guests are doing. Those who may read the audit trail see the latest
 * guest events across every share; others see the latest shares, which they may read anyway.
 */
export async function RecentExternalActivity({ p }: { p: Principal }) {
  const withAudit = can(p, 'audit:read');
  let data;
  try {
    const [counts, events, shares] = await Promise.all([
      shareCounts(p),
      withAudit ? listAuditEvents(p, { type: 'guest.', first: 8 }) : null,
      withAudit ? null : listShares(p, { first: 6 }),
    ]);
    data = { counts, events, shares };
  } catch (e) {
    return <Notice tone="error" title="Recent external activity could not be loaded" className="mt-8">{describeError(e).body.error_description}</Notice>;
  }
  const { counts, events, shares } = data;
  const now = Date.now();

  return (
    <section className={`${card} mt-8`} aria-labelledby="external-activity" data-testid="external-activity">
      <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
        <div>
          <h2 id="external-activity" className="text-sm font-semibold text-slate-900">Recent external activity</h2>
          <p className="text-xs text-slate-500">{withAudit ? 'Guest sessions, views and downloads across all shares' : 'The latest shares of your organisation'}</p>
        </div>
        <Link href="/shares" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">All shares<span className="sr-only"> and their access logs</span></Link>
      </div>

      <dl className="grid grid-cols-3 divide-x divide-slate-100 border-b border-slate-100 bg-slate-50/50">
        <Figure label="Active shares" value={counts.active} href="/shares?status=active" />
        <Figure label="Expiring within 3 days" value={counts.expiringSoon} tone={counts.expiringSoon ? 'amber' : undefined} />
        <Figure label="Accessed in the last 7 days" value={counts.accessedThisWeek} />
      </dl>

      {events ? (
        events.nodes.length === 0 ? (
          <EmptyState icon="eye" title="No guest activity yet">When guests open a share, view or download, each event appears here, refusals included.</EmptyState>
        ) : (
          <ul role="list" className="divide-y divide-slate-100">
            {events.nodes.map((e) => (
              <li key={e.id} className="flex items-center gap-4 px-5 py-3">
                <span className={`flex size-8 shrink-0 items-center justify-center rounded-full ${e.outcome === 'success' ? 'bg-indigo-50 text-indigo-600' : 'bg-amber-50 text-amber-600'}`}>
                  <Icon name={e.type === 'guest.download' ? 'download' : e.outcome === 'success' ? 'eye' : 'alert'} className="size-4" />
                </span>
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm text-slate-900">
                    <span className="font-medium">{shareEventLabel(e.type)}</span>
                    {e.reason ? <span className="text-amber-800"> · {reasonLabel(e.reason)}</span> : null}
                  </p>
                  <p className="truncate text-xs text-slate-500">
                    {e.actor}{e.ip ? ` · ${e.ip}` : ''}
                    {e.shareId ? <> · <Link href={`/shares/${e.shareId}`} className="font-medium text-indigo-600 hover:text-indigo-500">View share</Link></> : null}
                  </p>
                </div>
                <OutcomeBadge outcome={e.outcome} />
                <time dateTime={e.at.toISOString()} title={formatDateTime(e.at)} className="hidden w-20 text-right text-xs text-slate-500 sm:block">{relativeTime(e.at, now)}</time>
              </li>
            ))}
          </ul>
        )
      ) : shares && shares.nodes.length === 0 ? (
        <EmptyState icon="share" title="No shares yet">Shares created by you and your colleagues will appear here with their status.</EmptyState>
      ) : shares ? (
        <ul role="list" className="divide-y divide-slate-100">
          {shares.nodes.map((s) => (
            <li key={s.id} className="flex items-center gap-4 px-5 py-3">
              <div className="min-w-0 flex-1">
                <Link href={`/shares/${s.id}`} className="block truncate text-sm font-medium text-slate-900 hover:text-indigo-600">
                  {s.documents[0]?.document.title ?? 'Share'}{s.documents.length > 1 ? ` and ${s.documents.length - 1} more` : ''}
                </Link>
                <p className="truncate text-xs text-slate-500">
                  {s.recipients[0]?.email ?? 'Anyone with the link'} · {s.accessCount} access{s.accessCount === 1 ? '' : 'es'}
                  {s.status === 'ACTIVE' ? ` · expires ${fromNow(s.expiresAt, now)}` : ''}
                </p>
              </div>
              <ShareStatusBadge status={s.status} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Figure({ label, value, href, tone }: { label: string; value: number; href?: string; tone?: 'amber' }) {
  const v = <span className={`tabular text-2xl font-semibold tracking-tight ${tone === 'amber' ? 'text-amber-700' : 'text-slate-900'}`}>{value.toLocaleString('en-US')}</span>;
  return (
    <div className="px-5 py-4">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1">{href ? <Link href={href} className="hover:text-indigo-600">{v}</Link> : v}</dd>
    </div>
  );
}
