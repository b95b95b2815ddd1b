import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { ALERT_STATES, alertCounts, listAlerts } from '@/lib/alerts/service';
import { AcknowledgeAlert } from '@/components/alerts/acknowledge-alert';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { button, card } from '@/components/ui/styles';
import { queryValue, requirePageIds } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';
import { acknowledgeAlertAction } from './actions';

export const metadata: Metadata = { title: 'Alerts' };

type State = (typeof ALERT_STATES)[number];
type Search = Promise<{ state?: string; after?: string; alert?: string }>;
const TABS: Array<{ value: State; label: string }> = [{ value: 'OPEN', label: 'Open' }, { value: 'ACKNOWLEDGED', label: 'Acknowledged' }, { value: 'ALL', label: 'All' }];

export default async function AlertsPage({ searchParams }: { searchParams: Search }) {
  const p = await consolePrincipal();
  if (!can(p, 'audit:read')) return <Forbidden what="Alerts are for administrators and auditors." scope="audit:read" />;
  const sp = await searchParams;
  await requirePageIds(p, 'page /alerts', { cursor: queryValue(sp.after), alertId: queryValue(sp.alert) });
  const state: State = ALERT_STATES.includes(sp.state as State) ? (sp.state as State) : 'OPEN';
  const res = await load(async () => {
    const [page, counts] = await Promise.all([listAlerts(p, { state, first: 25, after: sp.after || undefined }), alertCounts(p)]);
    return { page, counts };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { page, counts } = res.data;
  const countOf = (s: State) => (s === 'OPEN' ? counts.open : s === 'ACKNOWLEDGED' ? counts.acknowledged : counts.open + counts.acknowledged);
  const href = (s: State, after?: string) => {
    const q = new URLSearchParams();
    if (s !== 'OPEN') q.set('state', s);
    if (after) q.set('after', after);
    const qs = q.toString();
    return `/alerts${qs ? `?${qs}` : ''}`;
  };
  const admin = can(p, 'admin');

  return (
    <>
      <PageHeader title="Alerts" description="Unusual guest activity seen in the audit trail: many downloads, a new country, repeated refusals, many addresses. Acknowledge an alert once it has been looked at."
        actions={admin ? <Link href="/settings/alerts" className={button('secondary')}><Icon name="bell" className="size-4" />Alert rules</Link> : null} />
      <section aria-labelledby="alerts-title" className={card}>
        <div className="flex flex-col gap-3 border-b border-slate-200 px-5 py-4 sm:flex-row sm:items-center sm:justify-between">
          <h2 id="alerts-title" className="text-sm font-semibold text-slate-900">{TABS.find((t) => t.value === state)!.label} alerts</h2>
          <nav aria-label="Filter alerts">
            <ul role="list" className="flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
              {TABS.map((t) => {
                const active = state === t.value;
                return (
                  <li key={t.value}>
                    <Link href={href(t.value)} aria-current={active ? 'page' : undefined}
                      className={`flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                      {t.label}<span className={`tabular rounded px-1.5 text-xs ${active ? 'bg-slate-100 text-slate-700' : 'text-slate-500'}`}>{countOf(t.value)}</span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        </div>
        {page.nodes.length === 0 ? (
          <EmptyState icon="bell" title={state === 'OPEN' ? 'No open alerts' : 'No alerts here'}>
            {state === 'OPEN' ? (admin ? 'Nothing needs looking at. Rules are set under Settings → Alert rules.' : 'Nothing needs looking at.') : 'Choose another filter to see the rest.'}
          </EmptyState>
        ) : (
          <ul role="list" className="divide-y divide-slate-100" data-testid="alerts-list">
            {page.nodes.map((a) => (
              <li key={a.id} id={`alert-${a.id}`} className={`flex flex-col gap-3 px-5 py-4 lg:flex-row lg:items-start lg:justify-between ${sp.alert === a.id ? 'bg-indigo-50/60' : ''}`}>
                <div className="flex min-w-0 gap-3">
                  <span className={`mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-full ${a.acknowledgedAt ? 'bg-slate-100 text-slate-500' : 'bg-amber-100 text-amber-700'}`} aria-hidden="true"><Icon name={a.acknowledgedAt ? 'check' : 'alert'} className="size-4" /></span>
                  <div className="min-w-0">
                    <p className="flex flex-wrap items-center gap-2"><span className="font-medium text-slate-900">{a.title}</span><Badge tone={a.acknowledgedAt ? 'slate' : 'amber'}>{a.ruleLabel}</Badge></p>
                    <p className="mt-0.5 text-sm text-slate-500"><span title={formatDateTime(a.raisedAt)}>Raised {relativeTime(a.raisedAt)}</span> · about {a.subject}
                      {a.guestId ? <> · <Link href={`/guests/${a.guestId}`} className="font-medium text-indigo-700 hover:underline">guest</Link></> : null}
                      {a.shareId ? <> · <Link href={`/shares/${a.shareId}`} className="font-medium text-indigo-700 hover:underline">share</Link></> : null}
                    </p>
                    {a.facts.length ? (
                      <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-0.5 text-sm">
                        {a.facts.map(([k, v]) => <div key={k} className="contents"><dt className="text-slate-500">{k}</dt><dd className="break-words text-slate-800">{v}</dd></div>)}
                      </dl>
                    ) : null}
                    {a.acknowledgedAt ? <p className="mt-2 text-sm text-slate-500">Acknowledged by {a.acknowledgedByName ?? 'someone'} <span title={formatDateTime(a.acknowledgedAt)}>{relativeTime(a.acknowledgedAt)}</span></p> : null}
                  </div>
                </div>
                {!a.acknowledgedAt && admin ? <div className="shrink-0 lg:pl-4"><AcknowledgeAlert id={a.id} title={a.title} acknowledge={acknowledgeAlertAction} /></div> : null}
              </li>
            ))}
          </ul>
        )}
        {page.nodes.length ? (
          <Pager prevHref={sp.after ? href(state) : null} prevLabel="Newest" nextHref={page.hasNextPage && page.endCursor ? href(state, page.endCursor) : null} nextLabel="Older"
            summary={<>{page.nodes.length} shown · {countOf(state)} in all</>} />
        ) : null}
      </section>
    </>
  );
}
