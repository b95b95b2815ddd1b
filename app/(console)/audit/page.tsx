import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { auditEventTypes, listAuditEvents } from '@/lib/audit/query';
import { auditTypeLabel } from '@/components/ui/audit-labels';
import { OutcomeBadge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatTimestamp, shortHash } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, input, label, select, th, cx } from '@/components/ui/styles';
import { requirePageIds } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';
import { VerifyChain } from './verify-chain';

export const metadata: Metadata = { title: 'Audit trail' };

const PAGE_SIZE = 50;
// Denser cells than other tables: nine columns of evidence should fit without scrolling sideways.
const td = 'px-2.5 py-2.5 align-top text-[13px] text-slate-700';
const thd = cx(th, 'px-2.5');
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const OUTCOMES = [['success', 'Success'], ['failure', 'Failure'], ['denied', 'Denied']] as const;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function DetailsCell({ details, reason }: { details: unknown; reason: string | null }) {
  const obj = details && typeof details === 'object' && Object.keys(details).length ? details : null;
  if (!obj && !reason) return <span className="text-slate-400">—</span>;
  const compact = obj ? JSON.stringify(obj) : '';
  const summary = reason ? `reason: ${reason}${compact ? ` ${compact}` : ''}` : compact;
  if (summary.length <= 26) return <code className="font-mono text-xs break-all text-slate-600">{summary}</code>;
  return (
    <details className="group max-w-[12rem]">
      <summary className="cursor-pointer list-none rounded font-mono text-xs text-slate-600 marker:hidden hover:text-slate-900 [&::-webkit-details-marker]:hidden">
        <span className="inline-flex max-w-full items-center gap-1">
          <Icon name="chevronRight" className="size-3 shrink-0 transition-transform group-open:rotate-90" />
          <span className="truncate">{summary}</span>
        </span>
      </summary>
      <pre className="mt-2 max-h-64 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-[11px] leading-relaxed whitespace-pre-wrap break-all text-slate-100">
        {JSON.stringify(reason ? { reason, ...(obj ?? {}) } : obj, null, 2)}
      </pre>
    </details>
  );
}

function RefCell({ id, label, href }: { id: string | null; label?: unknown; href?: string }) {
  if (!id) return <span className="text-slate-400">—</span>;
  const text = typeof label === 'string' && label ? label : shortHash(id, 8);
  return href
    ? <Link href={href} className="block max-w-[8rem] truncate text-indigo-600 hover:text-indigo-500" title={id}>{text}</Link>
    : <span className="block max-w-[8rem] truncate font-mono text-xs" title={id}>{text}</span>;
}

export default async function AuditPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'audit:read')) {
    return <Forbidden what="The audit trail is available to auditors and administrators." scope="audit:read" />;
  }
  const sp = await searchParams;
  const filters = {
    type: one(sp.type)?.slice(0, 64),
    actor: one(sp.actor)?.slice(0, 200),
    outcome: OUTCOMES.find(([v]) => v === one(sp.outcome))?.[0],
    from: DATE_RE.test(one(sp.from) ?? '') ? one(sp.from) : undefined,
    to: DATE_RE.test(one(sp.to) ?? '') ? one(sp.to) : undefined,
    document: one(sp.document),
    share: one(sp.share),
  };
  await requirePageIds(p, 'page /audit', { documentId: filters.document, shareId: filters.share });
  const after = one(sp.after);
  const trail = (one(sp.trail) ?? '').split(',').filter(Boolean).slice(-50);

  const res = await load(async () => {
    const [types, page] = await Promise.all([
      auditEventTypes(p),
      listAuditEvents(p, {
        type: filters.type, actor: filters.actor, outcome: filters.outcome,
        documentId: filters.document, shareId: filters.share,
        // Dates are whole UTC days, both ends included.
        from: filters.from ? `${filters.from}T00:00:00.000Z` : undefined,
        to: filters.to ? `${filters.to}T23:59:59.999Z` : undefined,
        first: PAGE_SIZE, after,
      }),
    ]);
    return { types, page, total: await page.totalCount() };
  });

  const href = (extra: Record<string, string | undefined>) => {
    const u = new URLSearchParams();
    // Later keys win, so an extra set to undefined drops a filter.
    for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) u.set(k, v);
    const s = u.toString();
    return `/audit${s ? `?${s}` : ''}`;
  };
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader title="Audit trail" description="Every sign-in, upload, download, share and change, newest first. Times are UTC." />
      <VerifyChain />

      <section aria-labelledby="events-title" className={card}>
        <h2 id="events-title" className="sr-only">Events</h2>
        <form action="/audit" method="get" className="grid gap-3 border-b border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto] lg:items-end">
          {filters.document ? <input type="hidden" name="document" value={filters.document} /> : null}
          {filters.share ? <input type="hidden" name="share" value={filters.share} /> : null}
          <div>
            <label htmlFor="f-type" className={label}>Event type</label>
            <select id="f-type" name="type" defaultValue={filters.type ?? ''} className={`${select} mt-1.5`}>
              <option value="">All types</option>
              {(res.ok ? res.data.types : []).map((t) => <option key={t} value={t}>{auditTypeLabel(t)}{auditTypeLabel(t) !== t ? ` (${t})` : ''}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="f-actor" className={label}>Actor</label>
            <input id="f-actor" name="actor" type="search" defaultValue={filters.actor} placeholder="Email, key or guest" className={`${input} mt-1.5`} />
          </div>
          <div>
            <label htmlFor="f-outcome" className={label}>Outcome</label>
            <select id="f-outcome" name="outcome" defaultValue={filters.outcome ?? ''} className={`${select} mt-1.5`}>
              <option value="">Any outcome</option>
              {OUTCOMES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="f-from" className={label}>From (UTC)</label>
            <input id="f-from" name="from" type="date" defaultValue={filters.from} className={`${input} mt-1.5`} />
          </div>
          <div>
            <label htmlFor="f-to" className={label}>To (UTC)</label>
            <input id="f-to" name="to" type="date" defaultValue={filters.to} className={`${input} mt-1.5`} />
          </div>
          <div className="flex gap-2">
            <button type="submit" className={button('primary')}><Icon name="filter" className="size-4" />Filter</button>
            {filtered ? <Link href="/audit" className={button('ghost')}>Reset</Link> : null}
          </div>
          {filters.document || filters.share ? (
            <p className="text-sm text-slate-600 sm:col-span-2 lg:col-span-6">
              Showing events for {filters.document ? <>document <code className="font-mono text-xs">{filters.document}</code></> : <>share <code className="font-mono text-xs">{filters.share}</code></>} only.{' '}
              <Link href={href({ document: undefined, share: undefined })} className="font-medium text-indigo-600 hover:text-indigo-500">Show all events</Link>
            </p>
          ) : null}
        </form>

        {!res.ok ? (
          <div className="p-4"><LoadError error={res} /></div>
        ) : res.data.page.nodes.length === 0 ? (
          <EmptyState icon="history" title={filtered ? 'No events match these filters' : 'No events yet'}>
            {filtered ? 'Widen the date range or clear a filter.' : 'Events are recorded as people sign in, upload, download and share.'}
          </EmptyState>
        ) : (
          <>
            <div className="max-h-[calc(100vh-12rem)] overflow-auto">
              <table className="min-w-full border-separate border-spacing-0 text-sm" data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col" className={thd}>Time (UTC)</th>
                    <th scope="col" className={thd}>Event</th>
                    <th scope="col" className={thd}>Actor</th>
                    <th scope="col" className={thd}>Outcome</th>
                    <th scope="col" className={thd}>IP</th>
                    <th scope="col" className={thd}>Share</th>
                    <th scope="col" className={thd}>Document</th>
                    <th scope="col" className={thd}>Details</th>
                    <th scope="col" className={thd}>Hash</th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {res.data.page.nodes.map((e) => {
                    const details = (e.details ?? {}) as Record<string, unknown>;
                    return (
                      <tr key={e.id} className="hover:bg-slate-50/80">
                        <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>
                          <time dateTime={e.at.toISOString()} className="tabular font-mono text-xs text-slate-700">{formatTimestamp(e.at)}</time>
                          <span className="block font-mono text-[11px] text-slate-400">#{e.seq}</span>
                        </td>
                        <td className={cx(td, 'border-b border-slate-100')}>
                          <span className="block font-medium text-slate-900" title={e.type}>{auditTypeLabel(e.type)}</span>
                        </td>
                        <td className={cx(td, 'max-w-[12rem] border-b border-slate-100')}>
                          <span className="block truncate" title={e.actor}>{e.actor}</span>
                          <span className="block text-[11px] text-slate-500">{e.actorType}</span>
                        </td>
                        <td className={cx(td, 'border-b border-slate-100')}><OutcomeBadge outcome={e.outcome} /></td>
                        <td className={cx(td, 'border-b border-slate-100 font-mono text-xs whitespace-nowrap')} title={e.userAgent ?? undefined}>{e.ip ?? <span className="text-slate-400">—</span>}</td>
                        <td className={cx(td, 'border-b border-slate-100')}><RefCell id={e.shareId} /></td>
                        <td className={cx(td, 'border-b border-slate-100')}><RefCell id={e.documentId} label={details.title} href={e.documentId && e.type !== 'document.delete' ? `/documents/${e.documentId}` : undefined} /></td>
                        <td className={cx(td, 'border-b border-slate-100')}><DetailsCell details={e.details} reason={e.reason} /></td>
                        <td className={cx(td, 'border-b border-slate-100')}><code className="font-mono text-xs text-slate-500" title={`hash ${e.hash}\nprev ${e.prevHash}`}>{shortHash(e.hash, 8)}</code></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager
              summary={<>{res.data.total.toLocaleString('en-US')} event{res.data.total === 1 ? '' : 's'}{filtered ? ' match' : ' in total'}{trail.length ? ` · page ${trail.length + 1}` : ''}</>}
              prevLabel="Newer"
              nextLabel="Older"
              prevHref={trail.length ? href({ after: trail[trail.length - 1] === '-' ? undefined : trail[trail.length - 1], trail: trail.slice(0, -1).join(',') || undefined }) : null}
              nextHref={res.data.page.hasNextPage && res.data.page.endCursor ? href({ after: res.data.page.endCursor, trail: [...trail, after ?? '-'].join(',') }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
