import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listStaffSessions } from '@/lib/staff/sessions';
import { Avatar } from '@/components/staff/avatar';
import { SessionCells } from '@/components/staff/session-cells';
import { EndAllSessionsButton, EndSessionButton } from '@/components/staff/end-session-buttons';
import { roleLabel } from '@/components/staff/labels';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, cx, td, th } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { endSessionAction, endUserSessionsAction } from './actions';

export const metadata: Metadata = { title: 'Sessions' };

// Live sessions of one organisation are few; the page groups them by person, so it shows them on one page.
const LIMIT = 200;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SessionsPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Staff sessions are managed by administrators. Your own sessions are under Your account." scope="admin" />;
  const userId = one((await searchParams).user);
  const res = await load(() => listStaffSessions(p, { userId, first: LIMIT }));
  const now = Date.now();

  if (!res.ok) return <><Header /><LoadError error={res} /></>;
  const sessions = res.data.nodes;
  // One group per person, in order of their newest session.
  const groups = new Map<string, { user: (typeof sessions)[number]['user']; sessions: typeof sessions }>();
  for (const s of sessions) {
    const g = groups.get(s.userId) ?? { user: s.user, sessions: [] };
    g.sessions.push(s);
    groups.set(s.userId, g);
  }
  const filteredTo = userId ? sessions[0]?.user ?? null : null;
  const cell = cx(td, 'border-b border-slate-100 align-middle');

  return (
    <>
      <Header />
      {userId ? (
        <div className="mb-4 flex flex-wrap items-center gap-3 text-sm text-slate-600">
          <span>Showing the sessions of <span className="font-medium text-slate-900">{filteredTo?.name ?? 'one person'}</span></span>
          <Link href="/settings/sessions" className={button('ghost', 'sm')}><Icon name="x" className="size-4" />Show everyone</Link>
        </div>
      ) : null}
      {res.data.hasNextPage ? <Notice tone="info" className="mb-4" title={`Showing the ${LIMIT} newest sessions`}>Open a person from the Staff page to see all of theirs.</Notice> : null}

      <section aria-labelledby="sessions-title" className={card}>
        <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-5 py-4">
          <h2 id="sessions-title" className="text-sm font-semibold text-slate-900">Signed in now</h2>
          <p className="text-sm text-slate-500">{sessions.length} session{sessions.length === 1 ? '' : 's'} · {groups.size} {groups.size === 1 ? 'person' : 'people'}</p>
        </div>
        {sessions.length === 0 ? (
          <EmptyState icon="monitor" title={userId ? 'No live sessions' : 'Nobody is signed in'}>
            {userId ? 'This person is not signed in anywhere.' : 'Sessions appear here when staff sign in, and disappear when they sign out or expire.'}
          </EmptyState>
        ) : (
          <div className="max-h-[75vh] overflow-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="sessions-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Browser</th>
                  <th scope="col" className={th}>IP address</th>
                  <th scope="col" className={th}>Signed in</th>
                  <th scope="col" className={th}>Last seen</th>
                  <th scope="col" className={th}>Expires</th>
                  <th scope="col" className={th}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              {[...groups.values()].map(({ user, sessions: mine }) => {
                const self = p.kind === 'staff' && p.userId === user.id;
                const others = mine.filter((s) => !s.current).length;
                return (
                  <tbody key={user.id} data-testid={`sessions-of-${user.email}`}>
                    <tr>
                      <th scope="rowgroup" colSpan={6} className="border-b border-slate-200 bg-slate-50/70 px-4 py-2.5 text-left font-normal">
                        <div className="flex flex-wrap items-center justify-between gap-3">
                          <div className="flex min-w-0 items-center gap-3">
                            <Avatar name={user.name} email={user.email} />
                            <div className="min-w-0">
                              <p className="flex items-center gap-2 text-sm font-medium text-slate-900">{user.name}{self ? <Badge tone="indigo">You</Badge> : null}<span className="text-xs font-normal text-slate-500">{roleLabel(user.role)}</span></p>
                              <p className="truncate text-xs text-slate-500">{user.email} · {mine.length} session{mine.length === 1 ? '' : 's'}</p>
                            </div>
                          </div>
                          {others > 0 ? <EndAllSessionsButton userId={user.id} whose={user.name} count={others} self={self} action={endUserSessionsAction} variant="secondary" /> : null}
                        </div>
                      </th>
                    </tr>
                    {mine.map((s) => (
                      <tr key={s.id} className={s.current ? 'bg-indigo-50/40' : 'hover:bg-slate-50/80'} data-testid={`session-${s.id}`}>
                        <SessionCells session={s} now={now} cell={cell} />
                        <td className={cx(cell, 'text-right whitespace-nowrap')}>
                          {s.current ? <span className="text-xs text-slate-500">Sign out to end</span>
                            : <EndSessionButton id={s.id} whose={self ? null : user.name} device={s.device.label} action={endSessionAction} />}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                );
              })}
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function Header() {
  return (
    <PageHeader
      title="Sessions"
      description="Everyone signed in to the console right now, with the browser and address they signed in from. Ending a session signs that browser out at once; sessions also end on sign-out, a password or role change, and after 8 hours."
    />
  );
}
