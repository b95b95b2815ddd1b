import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listCriminalIntel } from '@/lib/cfr/records';
import { CjiRecordActions, markDefaults } from '@/components/cfr/record-actions';
import { RELIABILITY_LABEL, REVIEW_LABEL, VALIDITY_LABEL } from '@/components/cfr/labels';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card, cx, td, th } from '@/components/ui/styles';
import { queryValue } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';
import { purgeCriminalIntelAction, revalidateCriminalIntelAction } from './actions';

export const metadata: Metadata = { title: 'Criminal intelligence' };

const TABS = [
  { value: 'due', label: 'Due for review' },
  { value: 'active', label: 'Active' },
  { value: 'purged', label: 'Purged' },
  { value: 'all', label: 'All' },
] as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * 28 CFR Part 23 review console: every criminal-intelligence record, due and overdue first. Auditors see
 * it; admins re-validate (next review five years on) or purge from here.
 */
export default async function CriminalIntelligencePage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'audit:read')) return <Forbidden what="The criminal-intelligence review is for administrators and auditors." scope="audit:read" />;
  const sp = await searchParams;
  const tab = TABS.find((t) => t.value === queryValue(sp.status))?.value ?? 'due';
  const isAdmin = can(p, 'admin');
  const res = await load(() => listCriminalIntel(p, { status: tab }));
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="Criminal intelligence"
        description="Documents marked as criminal intelligence under 28 CFR Part 23. Each is due for review five years after its submission or last validation: re-validate it if it is still relevant, or purge it. Records due or overdue come first."
      />
      <section aria-labelledby="cji-list-title" className={card}>
        <h2 id="cji-list-title" className="sr-only">Records</h2>
        <div className="border-b border-slate-200 p-4">
          <nav aria-label="Filter by review state">
            <ul role="list" className="flex w-fit flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
              {TABS.map((t) => {
                const active = tab === t.value;
                return (
                  <li key={t.value}>
                    <Link href={t.value === 'due' ? '/criminal-intelligence' : `/criminal-intelligence?status=${t.value}`} aria-current={active ? 'page' : undefined}
                      className={`block rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                      {t.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        </div>
        {!res.ok ? (
          <div className="p-4"><LoadError error={res} /></div>
        ) : res.data.length === 0 ? (
          <EmptyState icon="shieldCheck" title={tab === 'due' ? 'Nothing is due for review' : 'No records'}>
            {tab === 'due' ? 'Records appear here 90 days before their five-year review date, and stay until an administrator re-validates or purges them.' : 'Mark a document as criminal intelligence from its page.'}
          </EmptyState>
        ) : (
          <div className="max-h-[70vh] overflow-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="cji-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Document</th>
                  <th scope="col" className={th}>Agency</th>
                  <th scope="col" className={th}>Grades</th>
                  <th scope="col" className={th}>Review</th>
                  <th scope="col" className={cx(th, 'text-right')}>Releases</th>
                  <th scope="col" className={th}><span className="sr-only">Decisions</span></th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {res.data.map((r) => {
                  const review = REVIEW_LABEL[r.reviewState];
                  const days = Math.round((r.reviewDueAt.getTime() - now) / 86_400_000);
                  return (
                    <tr key={r.id} className="hover:bg-slate-50/80" data-testid="cji-row">
                      <td className={cx(td, 'max-w-[18rem] border-b border-slate-100')}>
                        <Link href={`/documents/${encodeURIComponent(r.documentId)}`} className="block truncate font-medium text-indigo-700 hover:text-indigo-600" title={r.title}>{r.title}</Link>
                        <span className="block text-xs text-slate-500">Submitted {formatDateTime(r.submittedAt)}</span>
                      </td>
                      <td className={cx(td, 'max-w-[14rem] border-b border-slate-100')}><span className="block truncate" title={r.submittingAgency}>{r.submittingAgency}</span></td>
                      <td className={cx(td, 'border-b border-slate-100 text-xs whitespace-nowrap')}>
                        <span className="block">{RELIABILITY_LABEL[r.sourceReliability]}</span>
                        <span className="block text-slate-500">{VALIDITY_LABEL[r.contentValidity]}</span>
                      </td>
                      <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>
                        <Badge tone={review.tone}>{review.text}</Badge>
                        <span className="tabular mt-1 block text-xs text-slate-500">
                          {r.purgedAt ? `Purged ${formatDateTime(r.purgedAt)}` : `${formatDateTime(r.reviewDueAt)} · ${days < 0 ? `${-days} days overdue` : `in ${days} days`}`}
                        </span>
                      </td>
                      <td className={cx(td, 'tabular border-b border-slate-100 text-right')}>
                        <Link href={`/documents/${encodeURIComponent(r.documentId)}/dissemination`} className="font-medium text-indigo-700 hover:text-indigo-600" aria-label={`Dissemination log of ${r.title}: ${r.releases} releases`}>{r.releases}</Link>
                      </td>
                      <td className={cx(td, 'border-b border-slate-100 py-2')}>
                        <div className="flex justify-end gap-2">
                          {isAdmin ? (
                            <CjiRecordActions documentId={r.documentId} title={r.title} purged={r.purgedAt != null} current={markDefaults(r)}
                              actions={{ revalidate: revalidateCriminalIntelAction, purge: purgeCriminalIntelAction }} />
                          ) : null}
                        </div>
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
