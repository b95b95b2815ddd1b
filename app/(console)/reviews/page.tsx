import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listReviewGrants, reviewChoices } from '@/lib/reviews/grants';
import { BULK_ALL_MAX, GRANT_KINDS, type GrantFilters } from '@/lib/reviews/input';
import { EmptyState } from '@/components/ui/empty-state';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { TLP_OPTIONS } from '@/components/ui/tlp-badge';
import { button, card, input, label, select } from '@/components/ui/styles';
import { GrantTable } from '@/components/reviews/grant-table';
import { CampaignForm } from '@/components/reviews/campaign-form';
import { ReviewTabs } from '@/components/reviews/tabs';
import { KIND_LABELS } from '@/components/reviews/labels';
import { queryValue, requirePageIds } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';
import { bulkAllMatchingReviewAction, bulkReviewAction, startCampaignAction } from './actions';

export const metadata: Metadata = { title: 'Access reviews' };

const PAGE_SIZE = 50;
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const int = (v: string | undefined, max: number) => {
  const n = v && /^\d{1,4}$/.test(v) ? Number(v) : NaN;
  return n >= 1 && n <= max ? n : undefined;
};

export default async function AccessReviewsPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  const sp = await searchParams;
  const partnerOrgId = queryValue(sp.partner);
  await requirePageIds(p, 'page /reviews', { partnerOrgId });
  if (!can(p, 'admin') && !can(p, 'audit:read')) return <Forbidden what="Access reviews are for administrators and auditors. Your own review items are under Campaigns." scope="admin" />;
  const after = queryValue(sp.after)?.slice(0, 200);
  const kind = GRANT_KINDS.find((k) => k === queryValue(sp.kind));
  const filters: GrantFilters = {
    ...(kind ? { kinds: [kind] } : {}),
    noAccessDays: int(queryValue(sp.idle), 3650),
    neverUsed: queryValue(sp.never) === '1' || undefined,
    noExpiry: queryValue(sp.noexpiry) === '1' || undefined,
    expiringWithinDays: int(queryValue(sp.expiring), 365),
    minTlp: TLP_OPTIONS.find((t) => t.value === queryValue(sp.tlp))?.value,
    domain: queryValue(sp.domain)?.toLowerCase().slice(0, 253),
    partnerOrgId,
  };
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as GrantFilters;
  const trail = (queryValue(sp.trail) ?? '').split(',').filter(Boolean).slice(-50);
  const res = await load(async () => {
    const [page, choices] = await Promise.all([listReviewGrants(p, { ...clean, first: PAGE_SIZE, ...(after ? { after } : {}) }), reviewChoices(p)]);
    return { ...page, total: await page.totalCount(), choices };
  });
  const query: Record<string, string | undefined> = {
    kind, idle: queryValue(sp.idle), never: clean.neverUsed ? '1' : undefined, noexpiry: clean.noExpiry ? '1' : undefined,
    expiring: queryValue(sp.expiring), tlp: clean.minTlp, domain: clean.domain, partner: partnerOrgId,
  };
  const href = (extra: Record<string, string | undefined>) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...extra })) if (v) u.set(k, v);
    const s = u.toString();
    return `/reviews${s ? `?${s}` : ''}`;
  };
  const filtered = Object.keys(clean).length > 0;
  const isAdmin = can(p, 'admin');

  return (
    <>
      <PageHeader title="Access reviews" description="Every active grant of access to people outside the organisation: shares, portal grants, guest accounts, sessions and devices. Filter, prune in bulk, or put them in front of their owners in a review campaign." />
      <ReviewTabs current="grants" />

      <section aria-labelledby="filters-title" className={`${card} mb-6`}>
        <h2 id="filters-title" className="sr-only">Filters</h2>
        <form action="/reviews" method="get" className="grid grid-cols-1 gap-4 p-4 sm:grid-cols-2 lg:grid-cols-4" role="search">
          <div>
            <label htmlFor="f-kind" className={label}>Kind</label>
            <select id="f-kind" name="kind" defaultValue={kind ?? ''} className={`${select} mt-1`}>
              <option value="">Every kind</option>
              {GRANT_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="f-tlp" className={label}>Classification at or above</label>
            <select id="f-tlp" name="tlp" defaultValue={clean.minTlp ?? ''} className={`${select} mt-1`}>
              <option value="">Any</option>
              {TLP_OPTIONS.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="f-idle" className={label}>No access in (days)</label>
            <input id="f-idle" name="idle" type="number" min={1} max={3650} inputMode="numeric" defaultValue={clean.noAccessDays ?? ''} className={`${input} mt-1`} placeholder="e.g. 90" />
          </div>
          <div>
            <label htmlFor="f-expiring" className={label}>Expiring within (days)</label>
            <input id="f-expiring" name="expiring" type="number" min={1} max={365} inputMode="numeric" defaultValue={clean.expiringWithinDays ?? ''} className={`${input} mt-1`} placeholder="e.g. 14" />
          </div>
          <div>
            <label htmlFor="f-domain" className={label}>External domain</label>
            <input id="f-domain" name="domain" defaultValue={clean.domain ?? ''} maxLength={253} className={`${input} mt-1`} placeholder="partner.example" />
          </div>
          <div>
            <label htmlFor="f-partner" className={label}>Partner organisation</label>
            <select id="f-partner" name="partner" defaultValue={partnerOrgId ?? ''} className={`${select} mt-1`}>
              <option value="">Any</option>
              {res.ok ? res.data.choices.partners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>) : null}
            </select>
          </div>
          <fieldset className="flex flex-col justify-end gap-2">
            <legend className="sr-only">Usage and expiry</legend>
            <label className="flex items-center gap-2 text-sm text-slate-700"><input type="checkbox" name="never" value="1" defaultChecked={Boolean(clean.neverUsed)} className="size-4 rounded border-slate-300 text-indigo-600" />Never used</label>
            <label className="flex items-center gap-2 text-sm text-slate-700"><input type="checkbox" name="noexpiry" value="1" defaultChecked={Boolean(clean.noExpiry)} className="size-4 rounded border-slate-300 text-indigo-600" />No expiry</label>
          </fieldset>
          <div className="flex items-end gap-2">
            <button type="submit" className={button('primary')}><Icon name="filter" className="size-4" />Apply filters</button>
            {filtered ? <Link href="/reviews" className={button('ghost')}>Clear</Link> : null}
          </div>
        </form>
      </section>

      <section aria-labelledby="grants-title" className={card}>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
          <h2 id="grants-title" className="text-sm font-semibold text-slate-900">
            {res.ok ? `${res.data.total.toLocaleString('en-US')} active ${res.data.total === 1 ? 'grant' : 'grants'}${filtered ? ' match' : ''}` : 'Active grants'}
          </h2>
          {isAdmin && res.ok && res.data.total > 0 ? <CampaignForm scope={clean} total={res.data.total} staff={res.data.choices.staff} action={startCampaignAction} /> : null}
        </div>
        {!res.ok ? (
          <div className="p-4"><LoadError error={res} what="Access reviews are for administrators and auditors." /></div>
        ) : (
          <>
            <GrantTable
              empty={(
                <EmptyState icon={filtered ? 'search' : 'shieldCheck'} title={filtered ? 'No grant matches these filters' : 'No active external access'}
                  action={filtered ? <Link href="/reviews" className={button('secondary', 'sm')}>Show every grant</Link> : undefined}>
                  {filtered ? 'Loosen a filter to see more.' : 'Nobody outside the organisation holds a live share, portal grant, guest account, session or device.'}
                </EmptyState>
              )}
              canAct={isAdmin}
              action={bulkReviewAction}
              matching={{ filters: clean, total: res.data.total, cap: BULK_ALL_MAX, action: bulkAllMatchingReviewAction }}
              rows={res.data.nodes.map((g) => ({
                kind: g.kind, id: g.id, label: g.label, who: g.who, ownerName: g.ownerName, classification: g.classification,
                createdAt: g.createdAt.toISOString(), expiresAt: g.expiresAt?.toISOString() ?? null, lastActivityAt: g.lastActivityAt?.toISOString() ?? null, accessCount: g.accessCount,
              }))}
            />
            {res.data.nodes.length ? <Pager
              summary={<>Showing {res.data.nodes.length} of {res.data.total.toLocaleString('en-US')}{trail.length ? `, page ${trail.length + 1}` : ''}</>}
              prevHref={trail.length ? href({ after: trail[trail.length - 1] === '-' ? undefined : trail[trail.length - 1], trail: trail.slice(0, -1).join(',') || undefined }) : null}
              nextHref={res.data.hasNextPage && res.data.endCursor ? href({ after: res.data.endCursor, trail: [...trail, after ?? '-'].join(',') }) : null}
            /> : null}
          </>
        )}
      </section>
    </>
  );
}
