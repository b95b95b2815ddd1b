import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listGuests } from '@/lib/guest/admin';
import { countPendingDevices } from '@/lib/devices/registry';
import { GuestKindBadge, GuestStateBadge } from '@/components/guests/badges';
import { GUEST_KINDS, GUEST_STATES, guestName } from '@/components/guests/labels';
import { EmptyState } from '@/components/ui/empty-state';
import { Notice } from '@/components/ui/notice';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, cx, input, select, td, th } from '@/components/ui/styles';
import { queryValue, requirePageIds } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';

export const metadata: Metadata = { title: 'Guests' };

const PAGE_SIZE = 25;
const STATE_TABS = [{ value: '', label: 'All' }, ...GUEST_STATES.map((s) => ({ value: s.value, label: s.label }))];

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GuestsPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  const sp = await searchParams;
  const after = queryValue(sp.after);
  const shareId = queryValue(sp.share);
  await requirePageIds(p, 'page /guests', { cursor: after, shareId });
  if (!can(p, 'shares:read') && !can(p, 'audit:read') && !can(p, 'admin')) return <Forbidden what="Seeing guests is not part of your role." scope="shares:read" />;
  const q = queryValue(sp.q)?.slice(0, 200);
  const state = GUEST_STATES.find((s) => s.value === queryValue(sp.state))?.value;
  const kind = GUEST_KINDS.find((k) => k.value === queryValue(sp.kind))?.value;
  const trail = (queryValue(sp.trail) ?? '').split(',').filter(Boolean).slice(-50);
  const res = await load(async () => {
    const [page, pendingDevices] = await Promise.all([listGuests(p, { q, state, kind, shareId, after, first: PAGE_SIZE }), countPendingDevices(p)]);
    return { ...page, total: await page.totalCount(), pendingDevices };
  });

  const href = (extra: Record<string, string | undefined>, base: { q?: string; state?: string; kind?: string; share?: string } = { q, state, kind, share: shareId }) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...base, ...extra })) if (v) u.set(k, v);
    const s = u.toString();
    return `/guests${s ? `?${s}` : ''}`;
  };
  const filtered = Boolean(q || state || kind || shareId);
  const scopeNote = can(p, 'admin') || can(p, 'audit:read') ? 'Everyone outside the organisation who opened a share or was invited to one.' : 'People outside the organisation who opened, or were invited to, shares you created.';
  const now = Date.now();
  const cell = cx(td, 'border-b border-slate-100 align-middle');

  return (
    <>
      <PageHeader title="Guests" description={<>{scopeNote} Open a guest to see their sessions, end them, or disable the guest.</>}
        actions={<Link href="/guests/devices?status=all" className={button('secondary')}><Icon name="key" className="size-4" />Devices</Link>} />

      {res.ok && res.data.pendingDevices > 0 ? (
        <Notice tone="warning" className="mb-6" title={`${res.data.pendingDevices} device${res.data.pendingDevices === 1 ? '' : 's'} awaiting approval`}>
          <span data-testid="pending-devices-notice">
            Guests opened device-bound shares from a new browser. They are refused there until you approve the device.{' '}
            <Link href="/guests/devices" className="font-medium underline underline-offset-2 hover:no-underline">Review devices</Link>
          </span>
        </Notice>
      ) : null}

      <section aria-labelledby="guests-title" className={card}>
        <h2 id="guests-title" className="sr-only">Guest list</h2>
        <div className="flex flex-col gap-3 border-b border-slate-200 p-4 xl:flex-row xl:items-center xl:justify-between">
          <nav aria-label="Filter by state">
            <ul role="list" className="flex gap-1 rounded-lg bg-slate-100 p-1">
              {STATE_TABS.map((s) => {
                const active = (state ?? '') === s.value;
                return (
                  <li key={s.value}>
                    <Link href={href({}, { q, kind, share: shareId, state: s.value || undefined })} aria-current={active ? 'page' : undefined}
                      className={`block rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                      {s.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <form role="search" action="/guests" method="get" className="flex flex-col gap-2 sm:flex-row sm:items-center">
            {state ? <input type="hidden" name="state" value={state} /> : null}
            {shareId ? <input type="hidden" name="share" value={shareId} /> : null}
            <label htmlFor="guests-kind" className="sr-only">Kind of guest</label>
            <select id="guests-kind" name="kind" defaultValue={kind ?? ''} className={`${select} sm:w-44`}>
              <option value="">All kinds</option>
              {GUEST_KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
            </select>
            <div className="relative">
              <label htmlFor="guests-q" className="sr-only">Search guests</label>
              <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
              <input id="guests-q" name="q" type="search" defaultValue={q} placeholder="Email, name or organisation" maxLength={200} className={`${input} w-full pl-9 sm:w-72`} />
            </div>
            <button type="submit" className={button('secondary')}>Search</button>
            {filtered ? <Link href="/guests" className={button('ghost')}>Clear</Link> : null}
          </form>
        </div>

        {shareId ? (
          <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 bg-slate-50/70 px-4 py-2.5 text-sm text-slate-600">
            <span>Guests of <Link href={`/shares/${shareId}`} className="font-medium text-indigo-600 hover:text-indigo-500">one share</Link> only</span>
            <Link href={href({}, { q, state, kind })} className={button('ghost', 'sm')}><Icon name="x" className="size-4" />Every share</Link>
          </div>
        ) : null}

        {!res.ok ? (
          <div className="p-4"><LoadError error={res} what="Seeing guests is not part of your role." /></div>
        ) : res.data.nodes.length === 0 ? (
          <EmptyState icon={filtered ? 'search' : 'users'} title={filtered ? 'No matching guests' : 'No guests yet'}
            action={filtered ? <Link href="/guests" className={button('secondary', 'sm')}>Show every guest</Link> : <Link href="/shares/new" className={button('primary', 'sm')}><Icon name="plus" className="size-4" />New share</Link>}>
            {filtered ? 'Nobody matches this search and filter.' : 'A guest appears here when someone opens a share, proves their email address or accepts an invitation.'}
          </EmptyState>
        ) : (
          <>
            <div className="max-h-[70vh] overflow-auto">
              <table className="min-w-full border-separate border-spacing-0" data-testid="guests-table">
                <thead>
                  <tr>
                    <th scope="col" className={th}>Guest</th>
                    <th scope="col" className={th}>Kind</th>
                    <th scope="col" className={th}>Organisation</th>
                    <th scope="col" className={th}>Shares</th>
                    <th scope="col" className={cx(th, 'whitespace-nowrap')}>Last seen</th>
                    <th scope="col" className={th}>State</th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {res.data.nodes.map((g) => {
                    const name = guestName(g);
                    const muted = g.state !== 'ACTIVE';
                    return (
                      <tr key={g.id} className={muted ? 'bg-slate-50/60' : 'hover:bg-slate-50/80'} data-testid={`guest-row-${g.id}`}>
                        <td className={cell}>
                          <div className="flex min-w-0 items-center gap-3">
                            <span aria-hidden="true" className={`flex size-9 shrink-0 items-center justify-center rounded-full ring-1 ring-inset ${muted ? 'bg-slate-100 text-slate-400 ring-slate-200' : 'bg-indigo-50 text-indigo-600 ring-indigo-200'}`}>
                              <Icon name={g.kind === 'ANONYMOUS' ? 'link' : g.kind === 'FEDERATED' ? 'shieldCheck' : 'mail'} className="size-4" />
                            </span>
                            <div className="min-w-0">
                              <Link href={`/guests/${g.id}`} className={`block max-w-[18rem] truncate font-medium hover:text-indigo-600 ${muted ? 'text-slate-600' : 'text-slate-900'}`} title={name}>{name}</Link>
                              <p className="max-w-[18rem] truncate text-xs text-slate-500">
                                {g.email && g.displayName ? g.displayName : g.kind === 'ANONYMOUS' ? <span className="font-mono">{g.id.slice(-8)}</span> : `Since ${formatDateTime(g.createdAt).slice(0, 10)}`}
                              </p>
                            </div>
                          </div>
                        </td>
                        <td className={cell}><GuestKindBadge kind={g.kind} /></td>
                        <td className={cx(cell, 'max-w-[12rem]')}>{g.partnerOrg ? <span className="block truncate" title={g.partnerOrg.name}>{g.partnerOrg.name}</span> : <span className="text-slate-400">—</span>}</td>
                        <td className={cx(cell, 'max-w-[16rem]')}>
                          {g.shares.length ? (
                            <>
                              <Link href={`/shares/${g.shares[0].id}`} className="block truncate text-slate-700 hover:text-indigo-600" title={g.shares[0].title}>{g.shares[0].title}</Link>
                              {g.shares.length > 1 ? <span className="text-xs text-slate-500">and {g.shares.length - 1} more</span> : null}
                            </>
                          ) : <span className="text-slate-400">None</span>}
                        </td>
                        <td className={cx(cell, 'whitespace-nowrap')}>
                          {g.lastSeenAt ? (
                            <>
                              <time dateTime={g.lastSeenAt.toISOString()} className="block text-slate-900">{relativeTime(g.lastSeenAt, now)}</time>
                              <span className="block text-xs text-slate-500">{g.liveSessionCount ? `${g.liveSessionCount} open session${g.liveSessionCount === 1 ? '' : 's'}` : 'No open session'}</span>
                            </>
                          ) : <span className="text-slate-400">Never</span>}
                        </td>
                        <td className={cx(cell, 'whitespace-nowrap')}><GuestStateBadge state={g.state} disabledAt={g.disabledAt} expiresAt={g.expiresAt} /></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager
              summary={<>Showing {res.data.nodes.length} of {res.data.total.toLocaleString('en-US')} guest{res.data.total === 1 ? '' : 's'}{trail.length ? `, page ${trail.length + 1}` : ''}</>}
              prevHref={trail.length ? href({ after: trail[trail.length - 1] === '-' ? undefined : trail[trail.length - 1], trail: trail.slice(0, -1).join(',') || undefined }) : null}
              nextHref={res.data.hasNextPage && res.data.endCursor ? href({ after: res.data.endCursor, trail: [...trail, after ?? '-'].join(',') }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
