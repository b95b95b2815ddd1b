import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { getCampaign, listCampaignItems } from '@/lib/reviews/campaigns';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { button, card, cx, td, th } from '@/components/ui/styles';
import { DecideForm } from '@/components/reviews/decide-form';
import { ReviewTabs } from '@/components/reviews/tabs';
import { DECISION_LABELS, KIND_LABELS } from '@/components/reviews/labels';
import { pathSegment, queryValue, requirePageIds } from '../../../_shared/ids';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';
import { decideItemAction } from '../../actions';

export const metadata: Metadata = { title: 'Access review' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CampaignPage({ params, searchParams }: Props) {
  const p = await consolePrincipal();
  const id = pathSegment((await params).id);
  const sp = await searchParams;
  const after = queryValue(sp.after);
  await requirePageIds(p, 'page /reviews/campaigns/[id]', { campaignId: id, cursor: after });
  const show = queryValue(sp.show) === 'all' ? 'all' : queryValue(sp.show) === 'pending' ? 'pending' : 'mine';
  const trail = (queryValue(sp.trail) ?? '').split(',').filter(Boolean).slice(-50);
  const res = await load(async () => {
    const [c, items] = await Promise.all([getCampaign(p, id), listCampaignItems(p, id, { first: 50, after, pending: show !== 'all', mine: show === 'mine' })]);
    return { c, items };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { c, items } = res.data;
  const seesAll = can(p, 'admin') || can(p, 'audit:read');
  const href = (extra: Record<string, string | undefined>) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries({ show, ...extra })) if (v) u.set(k, v);
    return `/reviews/campaigns/${c.id}?${u}`;
  };
  const cell = cx(td, 'border-b border-slate-100 align-middle');
  const tabs = [{ v: 'mine', l: 'Waiting for me' }, { v: 'pending', l: 'All undecided' }, { v: 'all', l: 'All items' }];
  return (
    <>
      <PageHeader eyebrow={<Link href="/reviews/campaigns" className="hover:text-indigo-600">Access reviews</Link>} title={c.name}
        description={<>{c.itemCount.toLocaleString('en-US')} grants, {c.decided.toLocaleString('en-US')} decided. Deadline {formatDateTime(c.deadline)}: {c.autoRevoke ? 'whatever is undecided then is revoked automatically.' : 'whatever is undecided then stays, marked undecided.'}{c.sponsorName ? ` Sponsor: ${c.sponsorName}.` : ''}</>}
        actions={<>{c.state === 'OPEN' ? <Badge tone="blue">Open</Badge> : <Badge tone="slate">Closed {c.closedAt ? formatDateTime(c.closedAt).slice(0, 10) : ''}</Badge>}
          {seesAll ? <a href={`/reviews/campaigns/${c.id}/export`} className={button('secondary')} download><Icon name="download" className="size-4" />Export CSV</a> : null}</>} />
      <ReviewTabs current="campaigns" grantsVisible={seesAll} />
      <section aria-labelledby="items-title" className={card}>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 p-4">
          <h2 id="items-title" className="text-sm font-semibold text-slate-900">Items</h2>
          <nav aria-label="Which items">
            <ul role="list" className="flex gap-1 rounded-lg bg-slate-100 p-1">
              {tabs.map((t) => (
                <li key={t.v}><Link href={`/reviews/campaigns/${c.id}?show=${t.v}`} aria-current={show === t.v ? 'page' : undefined}
                  className={`block rounded-md px-3 py-1.5 text-sm font-medium ${show === t.v ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>{t.l}</Link></li>
              ))}
            </ul>
          </nav>
        </div>
        {items.nodes.length === 0 ? (
          <EmptyState icon="check" title={show === 'mine' ? 'Nothing waits for you' : 'No items here'}>
            {show === 'mine' ? 'Every item you own or sponsor in this review is decided.' : 'Choose another view to see more.'}
          </EmptyState>
        ) : (
          <>
            <div className="overflow-auto">
              <table className="min-w-full border-separate border-spacing-0" data-testid="campaign-items-table">
                <thead>
                  <tr>
                    <th scope="col" className={th}>Grant</th>
                    <th scope="col" className={th}>Classification</th>
                    <th scope="col" className={th}>Owner</th>
                    <th scope="col" className={cx(th, 'whitespace-nowrap')}>Last activity</th>
                    <th scope="col" className={th}>Decision</th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {items.nodes.map((i) => (
                    <tr key={i.id} data-testid={`item-row-${i.grantId}`}>
                      <td className={cx(cell, 'max-w-[18rem]')}>
                        <span className="block truncate font-medium text-slate-900" title={i.label}>{i.label}</span>
                        <span className="text-xs text-slate-500">{KIND_LABELS[i.kind] ?? i.kind}{i.accessCount != null ? ` · ${i.accessCount.toLocaleString('en-US')} ${i.accessCount === 1 ? 'access' : 'accesses'}` : ''}{i.expiresAt ? ` · expires ${formatDateTime(i.expiresAt).slice(0, 10)}` : ''}</span>
                      </td>
                      <td className={cell}><TlpBadge tlp={i.classification} /></td>
                      <td className={cx(cell, 'whitespace-nowrap')}>{i.ownerName ?? <span className="text-slate-500">Sponsor: {i.sponsorName ?? '—'}</span>}</td>
                      <td className={cx(cell, 'whitespace-nowrap')}>{i.lastActivityAt ? formatDateTime(i.lastActivityAt).slice(0, 10) : <span className="text-slate-500">Never used</span>}</td>
                      <td className={cx(cell, 'min-w-[25rem]')}>
                        {i.decision ? (
                          <div>
                            <Badge tone={i.decision === 'REVOKE' ? 'red' : i.decision === 'KEEP' ? 'green' : 'amber'}>{DECISION_LABELS[i.decision]}{i.automatic ? ' (deadline)' : ''}</Badge>
                            <p className="mt-1 max-w-[20rem] truncate text-xs text-slate-500" title={i.reason ?? ''}>{i.decidedByName ? `${i.decidedByName}: ` : ''}{i.reason}</p>
                          </div>
                        ) : i.mayDecide ? (
                          <DecideForm itemId={i.id} changeable={i.kind === 'share' || i.kind === 'portal_grant'} what={i.label} action={decideItemAction} />
                        ) : <span className="text-sm text-slate-500">{c.state === 'OPEN' ? 'Waiting for its owner' : 'Undecided'}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              summary={<>Showing {items.nodes.length}{trail.length ? `, page ${trail.length + 1}` : ''}</>}
              prevHref={trail.length ? href({ after: trail[trail.length - 1] === '-' ? undefined : trail[trail.length - 1], trail: trail.slice(0, -1).join(',') || undefined }) : null}
              nextHref={items.hasNextPage && items.endCursor ? href({ after: items.endCursor, trail: [...trail, after ?? '-'].join(',') }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
