import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listShares } from '@/lib/shares/service';
import { fromNow } from '@/components/shares/format';
import { ShareStatusBadge } from '@/components/shares/status-badge';
import { ApprovalBadge } from '@/components/governance/approval-badge';
import { StatusTabs } from '@/components/shares/status-tabs';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, input, td, th } from '@/components/ui/styles';
import { requirePageIds } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';

export const metadata: Metadata = { title: 'Shares' };

const PAGE_SIZE = 25;
const STATUSES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;
// Seven columns must fit beside the sidebar on a 1440px screen.
const tdTight = `${td.replace('px-4', 'px-3')} first:pl-4 last:pr-4`;
const thTight = `${th.replace('px-4', 'px-3')} first:pl-4 last:pr-4`;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SharesPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'shares:read')) return <Forbidden what="Seeing shares is not part of your role." scope="shares:read" />;
  const sp = await searchParams;
  const q = one(sp.q)?.slice(0, 200);
  const status = STATUSES.find((s) => s === one(sp.status)?.toUpperCase());
  const after = one(sp.after);
  // The cursor is the id of the last share of the previous page.
  await requirePageIds(p, 'page /shares', { cursor: after });
  // Cursors of the pages before this one, so "Previous" works without offsets ("-" is the first page).
  const trail = (one(sp.trail) ?? '').split(',').filter(Boolean).slice(-50);
  const res = await load(() => listShares(p, { q, status, after, first: PAGE_SIZE }));
  const canWrite = can(p, 'shares:write');

  const href = (extra: Record<string, string | undefined>, base: { q?: string; status?: string } = { q, status }) => {
    const u = new URLSearchParams();
    if (base.status) u.set('status', base.status.toLowerCase());
    if (base.q) u.set('q', base.q);
    for (const [k, v] of Object.entries(extra)) if (v) u.set(k, v);
    const s = u.toString();
    return `/shares${s ? `?${s}` : ''}`;
  };
  const filtered = Boolean(q || status);
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="Shares"
        description="Links that give people outside your organisation access to documents, under conditions. Each one expires, logs every access, and can be revoked at any moment."
        actions={canWrite ? <Link href="/shares/new" className={button('primary')} data-testid="new-share"><Icon name="plus" className="size-4" />New share</Link> : null}
      />

      {one(sp.revoked) ? <Notice tone="success" title="Share revoked" className="mb-6">Its link stopped working at once, and open guest sessions were ended.</Notice> : null}

      <section aria-labelledby="shares-title" className={card}>
        <h2 id="shares-title" className="sr-only">All shares</h2>
        <div className="flex flex-col gap-3 border-b border-slate-200 p-4 lg:flex-row lg:items-center lg:justify-between">
          <StatusTabs current={status ?? ''} hrefFor={(s) => href({}, { q, status: s || undefined })} />
          <form role="search" action="/shares" method="get" className="flex flex-col gap-2 sm:flex-row sm:items-center">
            {status ? <input type="hidden" name="status" value={status.toLowerCase()} /> : null}
            <div className="relative">
              <label htmlFor="share-q" className="sr-only">Search recipients, document titles and messages</label>
              <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
              <input id="share-q" name="q" type="search" defaultValue={q} placeholder="Recipient, document or message" maxLength={200} className={`${input} w-full pl-9 sm:w-72`} />
            </div>
            <button type="submit" className={button('secondary')}>Search</button>
            {filtered ? <Link href="/shares" className={button('ghost')}>Clear</Link> : null}
          </form>
        </div>

        {!res.ok ? (
          <div className="p-4"><LoadError error={res} /></div>
        ) : res.data.nodes.length === 0 ? (
          filtered ? (
            <EmptyState icon="search" title="No matching shares" action={<Link href="/shares" className={button('secondary', 'sm')}>Show all shares</Link>}>
              {q ? <>Nothing {status ? `${status.toLowerCase()} ` : ''}matches “{q}”.</> : `There are no ${status!.toLowerCase()} shares.`} Try another search or status.
            </EmptyState>
          ) : (
            <EmptyState icon="share" title="No shares yet" action={canWrite ? <Link href="/shares/new" className={button('primary', 'sm')}><Icon name="plus" className="size-4" />Create the first share</Link> : null}>
              When documents are shared outside the organisation, each link is listed here with its status and access history.
            </EmptyState>
          )
        ) : (
          <>
            <div className="max-h-[70vh] overflow-auto">
              <table className="min-w-full border-separate border-spacing-0" data-testid="shares-table">
                <thead>
                  <tr>
                    <th scope="col" className={`${thTight} whitespace-nowrap`}>Documents</th>
                    <th scope="col" className={`${thTight} whitespace-nowrap`}>Recipients</th>
                    <th scope="col" className={`${thTight} whitespace-nowrap`}>Owner</th>
                    <th scope="col" className={`${thTight} whitespace-nowrap`}>Status</th>
                    <th scope="col" className={`${thTight} whitespace-nowrap`}>Expires</th>
                    <th scope="col" className={`${thTight} whitespace-nowrap`}>Last access</th>
                    <th scope="col" className={`${thTight} text-right`}>Accesses</th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {res.data.nodes.map((s) => {
                    const titles = s.documents.map((d) => d.document.title);
                    const cell = `${tdTight} border-b border-slate-100`;
                    return (
                      <tr key={s.id} className={`relative hover:bg-slate-50/80 ${s.status === 'ACTIVE' ? '' : 'text-slate-500'}`}>
                        <td className={cell}>
                          <div className="w-56 xl:w-64">
                            {/* The link stretches over the whole row, so any cell opens the share. */}
                            <Link href={`/shares/${s.id}`} className="block truncate font-medium text-slate-900 after:absolute after:inset-0 hover:text-indigo-600 focus-visible:outline-offset-1" title={titles.join('\n')}>
                              {titles[0] ?? <span className="text-slate-400 italic">Documents deleted</span>}
                            </Link>
                            {titles.length > 1 ? <p className="text-xs text-slate-500">and {titles.length - 1} more</p> : null}
                            {s.message ? <p className="truncate text-xs text-slate-500" title={s.message}>{s.message}</p> : null}
                          </div>
                        </td>
                        <td className={cell}>
                          {s.recipients.length ? (
                            <div className="max-w-[11rem]">
                              <span className="block truncate" title={s.recipients.map((r) => r.email).join('\n')}>{s.recipients[0].email}</span>
                              {s.recipients.length > 1 ? <span className="text-xs text-slate-500">+{s.recipients.length - 1} more</span> : null}
                            </div>
                          ) : <span className="text-slate-400">Anyone with the link</span>}
                        </td>
                        <td className={cell} title={s.createdBy?.email}><span className="block max-w-[8rem] truncate">{s.createdBy?.name ?? s.createdBy?.email ?? <span className="text-slate-400">API key</span>}</span></td>
                        <td className={cell}><span className="flex flex-col items-start gap-1">{/* A grant awaiting approval serves nothing: it is not shown as active. */}{s.approvalState === 'PENDING' && s.status === 'ACTIVE' ? null : <ShareStatusBadge status={s.status} />}<ApprovalBadge state={s.approvalState === 'PENDING' ? s.approvalState : null} /></span></td>
                        <td className={`${cell} whitespace-nowrap`}>
                          {s.status === 'REVOKED' ? (
                            <span className="block text-slate-500">Revoked {s.revokedAt ? relativeTime(s.revokedAt, now) : ''}</span>
                          ) : (
                            <span className={`block ${s.status === 'EXPIRED' ? 'text-slate-500' : 'text-slate-900'}`}>{s.status === 'EXPIRED' ? `Expired ${fromNow(s.expiresAt, now)}` : fromNow(s.expiresAt, now)}</span>
                          )}
                          <time dateTime={s.expiresAt.toISOString()} className="tabular block text-xs text-slate-500">{formatDateTime(s.expiresAt)}</time>
                        </td>
                        <td className={`${cell} whitespace-nowrap`}>
                          {s.lastAccessAt ? (
                            <time dateTime={s.lastAccessAt.toISOString()} title={formatDateTime(s.lastAccessAt)}>{relativeTime(s.lastAccessAt, now)}</time>
                          ) : <span className="text-slate-400">Never</span>}
                        </td>
                        <td className={`${cell} tabular text-right`}>{s.accessCount.toLocaleString('en-US')}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager
              summary={<>Showing {res.data.nodes.length} share{res.data.nodes.length === 1 ? '' : 's'}{trail.length ? `, page ${trail.length + 1}` : ''}</>}
              prevHref={trail.length ? href({ after: trail[trail.length - 1] === '-' ? undefined : trail[trail.length - 1], trail: trail.slice(0, -1).join(',') || undefined }) : null}
              nextHref={res.data.hasNextPage && res.data.endCursor ? href({ after: res.data.endCursor, trail: [...trail, after ?? '-'].join(',') }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
