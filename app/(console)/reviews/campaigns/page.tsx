import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listCampaigns } from '@/lib/reviews/campaigns';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { button, card, cx, td, th } from '@/components/ui/styles';
import { ReviewTabs } from '@/components/reviews/tabs';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';

export const metadata: Metadata = { title: 'Access review campaigns' };

export default async function CampaignsPage() {
  const p = await consolePrincipal();
  const res = await load(() => listCampaigns(p));
  const seesAll = can(p, 'admin') || can(p, 'audit:read');
  const cell = cx(td, 'border-b border-slate-100 align-middle');
  return (
    <>
      <PageHeader title="Access reviews" description={seesAll ? 'Campaigns put external grants in front of their owners, who keep, revoke or change each one by a deadline.' : 'Reviews that ask you to keep, revoke or change grants you own or sponsor.'} />
      <ReviewTabs current="campaigns" grantsVisible={seesAll} />
      <section aria-labelledby="campaigns-title" className={card}>
        <h2 id="campaigns-title" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">Campaigns</h2>
        {!res.ok ? <div className="p-4"><LoadError error={res} /></div> : res.data.length === 0 ? (
          <EmptyState icon="list" title="No review campaigns yet"
            action={can(p, 'admin') ? <Link href="/reviews" className={button('primary', 'sm')}>Choose grants to review</Link> : undefined}>
            {can(p, 'admin') ? 'Filter the active grants, then start a review of what matches.' : 'When an administrator starts a review that includes your grants, it appears here.'}
          </EmptyState>
        ) : (
          <div className="overflow-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="campaigns-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Campaign</th>
                  <th scope="col" className={th}>State</th>
                  <th scope="col" className={th}>Progress</th>
                  <th scope="col" className={cx(th, 'whitespace-nowrap')}>Deadline</th>
                  <th scope="col" className={th}>Sponsor</th>
                  <th scope="col" className={th}><span className="sr-only">Export</span></th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {res.data.map((c) => {
                  const pct = c.itemCount ? Math.round((c.decided / c.itemCount) * 100) : 0;
                  return (
                    <tr key={c.id} className="hover:bg-slate-50/80">
                      <td className={cell}>
                        <Link href={`/reviews/campaigns/${c.id}`} className="font-medium text-slate-900 hover:text-indigo-600">{c.name}</Link>
                        <p className="text-xs text-slate-500">Started {formatDateTime(c.createdAt).slice(0, 10)} by {c.createdByName ?? 'a former colleague'}</p>
                      </td>
                      <td className={cell}>{c.state === 'OPEN' ? <Badge tone="blue">Open</Badge> : <Badge tone="slate">Closed</Badge>}</td>
                      <td className={cx(cell, 'min-w-[12rem]')}>
                        <div className="flex items-center gap-2">
                          <progress value={c.decided} max={Math.max(c.itemCount, 1)} className="h-2 w-28 overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-indigo-600" aria-label={`${pct}% decided`} />
                          <span className="text-sm tabular-nums text-slate-700">{c.decided.toLocaleString('en-US')} / {c.itemCount.toLocaleString('en-US')}</span>
                        </div>
                      </td>
                      <td className={cx(cell, 'whitespace-nowrap')}>
                        <time dateTime={c.deadline.toISOString()}>{formatDateTime(c.deadline)}</time>
                        <p className="text-xs text-slate-500">{c.autoRevoke ? 'Undecided are revoked' : 'Undecided stay'}</p>
                      </td>
                      <td className={cell}>{c.sponsorName ?? <span className="text-slate-400">—</span>}</td>
                      <td className={cx(cell, 'text-right')}>
                        {seesAll ? <a href={`/reviews/campaigns/${c.id}/export`} className={button('ghost', 'sm')} download>Export CSV</a> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
