import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listStaffUsers } from '@/lib/staff/users';
import { Avatar } from '@/components/staff/avatar';
import { CreateStaffDialog } from '@/components/staff/create-staff-dialog';
import { roleLabel } from '@/components/staff/labels';
import { StaffRowActions } from '@/components/staff/staff-row-actions';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, cx, input, td, th } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { createStaffUserAction, resetStaffPasswordAction, updateStaffUserAction } from './actions';

export const metadata: Metadata = { title: 'Staff' };

const PAGE_SIZE = 50;
const STATES = [{ value: '', label: 'All' }, { value: 'active', label: 'Active' }, { value: 'disabled', label: 'Disabled' }] as const;
const ROLE_TONE = { ADMIN: 'indigo', MEMBER: 'slate', AUDITOR: 'blue' } as const;
// Six columns and three actions must fit beside the sidebar on a 1440px screen.
const tdTight = `${td.replace('px-4', 'px-3')} first:pl-4 last:pr-4`;
const thTight = `${th.replace('px-4', 'px-3')} first:pl-4 last:pr-4`;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function StaffPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Staff accounts are managed by administrators." scope="admin" />;
  const sp = await searchParams;
  const q = one(sp.q)?.slice(0, 100);
  const state = STATES.find((s) => s.value && s.value === one(sp.state))?.value as 'active' | 'disabled' | undefined;
  const after = one(sp.after);
  const trail = (one(sp.trail) ?? '').split(',').filter(Boolean).slice(-50);
  const res = await load(async () => {
    const page = await listStaffUsers(p, { q, state, after, first: PAGE_SIZE });
    return { ...page, activeAdmins: await page.activeAdmins() };
  });

  const href = (extra: Record<string, string | undefined>, base: { q?: string; state?: string } = { q, state }) => {
    const u = new URLSearchParams();
    if (base.state) u.set('state', base.state);
    if (base.q) u.set('q', base.q);
    for (const [k, v] of Object.entries(extra)) if (v) u.set(k, v);
    const s = u.toString();
    return `/settings/staff${s ? `?${s}` : ''}`;
  };
  const filtered = Boolean(q || state);
  const now = Date.now();
  const selfId = p.kind === 'staff' ? p.userId : null;
  const cell = cx(tdTight, 'border-b border-slate-100 align-middle');

  return (
    <>
      <PageHeader
        title="Staff"
        description="People who can sign in to the console. Their role decides what they can do. Changing a role, disabling an account or resetting a password signs that person out everywhere at once."
        actions={<CreateStaffDialog action={createStaffUserAction} />}
      />

      <section aria-labelledby="staff-title" className={card}>
        <h2 id="staff-title" className="sr-only">Staff accounts</h2>
        <div className="flex flex-col gap-3 border-b border-slate-200 p-4 lg:flex-row lg:items-center lg:justify-between">
          <nav aria-label="Filter by state">
            <ul role="list" className="flex gap-1 rounded-lg bg-slate-100 p-1">
              {STATES.map((s) => {
                const active = (state ?? '') === s.value;
                return (
                  <li key={s.value}>
                    <Link href={href({}, { q, state: s.value || undefined })} aria-current={active ? 'page' : undefined}
                      className={`block rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                      {s.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <form role="search" action="/settings/staff" method="get" className="flex flex-col gap-2 sm:flex-row sm:items-center">
            {state ? <input type="hidden" name="state" value={state} /> : null}
            <div className="relative">
              <label htmlFor="staff-q" className="sr-only">Search names and email addresses</label>
              <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
              <input id="staff-q" name="q" type="search" defaultValue={q} placeholder="Name or email" maxLength={100} className={`${input} w-full pl-9 sm:w-64`} />
            </div>
            <button type="submit" className={button('secondary')}>Search</button>
            {filtered ? <Link href="/settings/staff" className={button('ghost')}>Clear</Link> : null}
          </form>
        </div>

        {!res.ok ? (
          <div className="p-4"><LoadError error={res} /></div>
        ) : res.data.nodes.length === 0 ? (
          <EmptyState icon={filtered ? 'search' : 'users'} title={filtered ? 'No matching staff' : 'No staff yet'}
            action={filtered ? <Link href="/settings/staff" className={button('secondary', 'sm')}>Show everyone</Link> : null}>
            {filtered ? 'Nobody matches this search and filter.' : 'Add the people who need the console.'}
          </EmptyState>
        ) : (
          <>
            <div className="max-h-[70vh] overflow-auto">
              <table className="min-w-full border-separate border-spacing-0" data-testid="staff-table">
                <thead>
                  <tr>
                    <th scope="col" className={thTight}>Person</th>
                    <th scope="col" className={thTight}>Role</th>
                    <th scope="col" className={thTight}>State</th>
                    <th scope="col" className={cx(thTight, 'whitespace-nowrap')}>Last sign-in</th>
                    <th scope="col" className={thTight}>Sessions</th>
                    <th scope="col" className={thTight}><span className="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {res.data.nodes.map((u) => {
                    const disabled = u.disabledAt !== null;
                    const self = u.id === selfId;
                    const lastAdmin = u.role === 'ADMIN' && !disabled && res.data.activeAdmins <= 1;
                    return (
                      <tr key={u.id} className={disabled ? 'bg-slate-50/60' : 'hover:bg-slate-50/80'} data-testid={`staff-row-${u.email}`}>
                        <td className={cell}>
                          <div className="flex min-w-0 items-center gap-3">
                            <Avatar name={u.name} email={u.email} muted={disabled} />
                            <div className="min-w-0">
                              <p className={`flex items-center gap-2 truncate font-medium ${disabled ? 'text-slate-500' : 'text-slate-900'}`}>
                                <span className="truncate" title={u.name}>{u.name}</span>
                                {self ? <Badge tone="indigo">You</Badge> : null}
                              </p>
                              <p className="max-w-[15rem] truncate text-xs text-slate-500" title={u.email}>{u.email}</p>
                            </div>
                          </div>
                        </td>
                        <td className={cell}><Badge tone={ROLE_TONE[u.role]}>{roleLabel(u.role)}</Badge></td>
                        <td className={cx(cell, 'whitespace-nowrap')}>
                          {disabled ? <Badge tone="red" title={`Disabled ${formatDateTime(u.disabledAt)}`}>Disabled</Badge>
                            : u.mustChangePassword ? <Badge tone="amber" title="Signed in with a one-time password, or has not signed in yet">One-time password</Badge>
                            : <Badge tone="green">Active</Badge>}
                        </td>
                        <td className={cx(cell, 'whitespace-nowrap')}>
                          {u.lastSignInAt ? (
                            <>
                              <time dateTime={u.lastSignInAt.toISOString()} className="block text-slate-900">{relativeTime(u.lastSignInAt, now)}</time>
                              <span className="tabular block text-xs text-slate-500">{formatDateTime(u.lastSignInAt)}</span>
                            </>
                          ) : <span className="text-slate-400">Never</span>}
                        </td>
                        <td className={cx(cell, 'whitespace-nowrap')}>
                          {u.activeSessions > 0 ? (
                            <Link href={`/settings/sessions?user=${u.id}`} className="inline-flex items-center gap-1.5 font-medium text-indigo-600 hover:text-indigo-500">
                              <span className="size-2 rounded-full bg-emerald-500" aria-hidden="true" />
                              {u.activeSessions} active<span className="sr-only"> sessions of {u.name}</span>
                            </Link>
                          ) : <span className="text-slate-400">None</span>}
                        </td>
                        <td className={cell}>
                          <StaffRowActions user={{ id: u.id, name: u.name, email: u.email, role: u.role, disabled }} self={self} lastAdmin={lastAdmin}
                            update={updateStaffUserAction} reset={resetStaffPasswordAction} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager
              summary={<>Showing {res.data.nodes.length} {res.data.nodes.length === 1 ? 'person' : 'people'}{trail.length ? `, page ${trail.length + 1}` : ''} · {res.data.activeAdmins} active administrator{res.data.activeAdmins === 1 ? '' : 's'}</>}
              prevHref={trail.length ? href({ after: trail[trail.length - 1] === '-' ? undefined : trail[trail.length - 1], trail: trail.slice(0, -1).join(',') || undefined }) : null}
              nextHref={res.data.hasNextPage && res.data.endCursor ? href({ after: res.data.endCursor, trail: [...trail, after ?? '-'].join(',') }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
