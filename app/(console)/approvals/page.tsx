import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listApprovals, APPROVAL_REASON_TEXT, type ApprovalReason } from '@/lib/governance/approval';
import { ApprovalActions } from '@/components/governance/approval-actions';
import { ApprovalBadge } from '@/components/governance/approval-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card, cx, td, th } from '@/components/ui/styles';
import { queryValue } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';
import { decideApprovalAction } from './actions';

export const metadata: Metadata = { title: 'Approvals' };

const TABS = [
  { value: 'PENDING', label: 'Awaiting approval' },
  { value: 'APPROVED', label: 'Approved' },
  { value: 'REFUSED', label: 'Refused' },
  { value: 'WITHDRAWN', label: 'Withdrawn' },
  { value: 'all', label: 'All' },
] as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const reasonText = (r: string) => APPROVAL_REASON_TEXT[r as ApprovalReason] ?? r;

export default async function ApprovalsPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'admin') && !can(p, 'audit:read')) return <Forbidden what="Approvals are for administrators and auditors." scope="admin" />;
  const sp = await searchParams;
  const tab = TABS.find((t) => t.value === queryValue(sp.state))?.value ?? 'PENDING';
  const res = await load(() => listApprovals(p, { state: tab === 'all' ? undefined : tab, first: 200 }));
  const cell = cx(td, 'border-b border-slate-100');

  return (
    <>
      <PageHeader
        title="Approvals"
        description="Shares and portal grants of TLP:RED material or criminal intelligence wait here for a second administrator. Until approved they serve nothing; whoever created or asked for one cannot approve it. Every decision is kept in the audit trail."
      />
      <section aria-labelledby="approvals-title" className={card}>
        <h2 id="approvals-title" className="sr-only">Approval requests</h2>
        <div className="border-b border-slate-200 p-4">
          <nav aria-label="Filter by state">
            <ul role="list" className="flex w-fit flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
              {TABS.map((t) => {
                const active = tab === t.value;
                return (
                  <li key={t.value}>
                    <Link href={t.value === 'PENDING' ? '/approvals' : `/approvals?state=${t.value}`} aria-current={active ? 'page' : undefined}
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
          <div className="p-4"><LoadError error={res} what="Approvals are for administrators and auditors." /></div>
        ) : res.data.length === 0 ? (
          <EmptyState icon="shieldCheck" title={tab === 'PENDING' ? 'Nothing awaits approval' : 'No approval requests'}>
            {tab === 'PENDING' ? 'When someone shares TLP:RED material or criminal intelligence, the share or portal grant waits here for a second administrator.' : 'No request has this state.'}
          </EmptyState>
        ) : (
          <div className="max-h-[75vh] overflow-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="approvals-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Grant</th>
                  <th scope="col" className={th}>Reaches</th>
                  <th scope="col" className={th}>Why</th>
                  <th scope="col" className={th}>Requested</th>
                  <th scope="col" className={th}>Decision</th>
                  <th scope="col" className={th}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {res.data.map((a) => {
                  const href = a.kind === 'share' ? `/shares/${a.grantId}` : `/portals/${a.portalId}/access`;
                  const what = a.kind === 'share' ? `The share of ${a.subject}` : `The grant to the ${a.subject} portal`;
                  return (
                    <tr key={a.id} id={a.id} className="hover:bg-slate-50/80" data-testid={`approval-${a.id}`}>
                      <td className={cx(cell, 'max-w-[18rem]')}>
                        <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">{a.kind === 'share' ? 'Share' : 'Portal grant'}</p>
                        <Link href={href} className="block truncate font-medium text-slate-900 hover:text-indigo-600" title={a.subject}>{a.subject}</Link>
                      </td>
                      <td className={cx(cell, 'max-w-[16rem]')}>
                        <ul role="list" className="space-y-0.5">
                          {a.reach.slice(0, 5).map((r) => <li key={r} className="truncate" title={r}>{r}</li>)}
                          {a.reach.length > 5 ? <li className="text-xs text-slate-500">and {a.reach.length - 5} more</li> : null}
                        </ul>
                      </td>
                      <td className={cell}>{a.reasons.map(reasonText).join(', ')}</td>
                      <td className={cx(cell, 'whitespace-nowrap')}>
                        <span className="block">{formatDateTime(a.createdAt)}</span>
                        <span className="block text-xs text-slate-500">by {a.requestedBy}</span>
                      </td>
                      <td className={cx(cell, 'max-w-[16rem]')}>
                        <ApprovalBadge state={a.state} />
                        {a.decidedBy ? <span className="mt-1 block text-xs text-slate-500">{a.decidedBy}{a.decidedAt ? `, ${formatDateTime(a.decidedAt)}` : ''}</span> : null}
                        {a.note ? <span className="mt-1 block text-xs break-words text-slate-600">“{a.note}”</span> : null}
                      </td>
                      <td className={cx(cell, 'text-right whitespace-nowrap')}>
                        {a.canApprove ? <ApprovalActions id={a.id} what={what} action={decideApprovalAction} />
                          : a.state === 'PENDING' && can(p, 'admin') ? <span className="inline-block max-w-[9rem] text-xs whitespace-normal text-slate-500">Another administrator must decide</span> : null}
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
