import type { Metadata } from 'next';
import { listOwnSessions } from '@/lib/staff/sessions';
import { EndAllSessionsButton, EndSessionButton } from '@/components/staff/end-session-buttons';
import { roleLabel } from '@/components/staff/labels';
import { SessionCells } from '@/components/staff/session-cells';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { card, cx, td, th } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { endSessionAction, endUserSessionsAction } from '../sessions/actions';
import { PasswordForm } from './password-form';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const p = await consolePrincipal();
  const sessions = p.kind === 'staff' ? await load(() => listOwnSessions(p)) : null;
  const now = Date.now();
  const cell = cx(td, 'border-b border-slate-100 align-middle');
  const others = sessions?.ok ? sessions.data.filter((s) => !s.current).length : 0;
  return (
    <>
      <PageHeader title="Your account" description={p.kind === 'staff' ? `${p.name} · ${p.email} · ${roleLabel(p.role)}` : undefined} />
      <div className="space-y-8">
        <section className={`${card} max-w-xl p-6`} aria-labelledby="password-title">
          <h2 id="password-title" className="text-base font-semibold text-slate-900">Change password</h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">Your other sessions are signed out when you change it; this one stays.</p>
          <PasswordForm />
        </section>

        {p.kind === 'staff' && sessions ? (
          <section className={card} aria-labelledby="own-sessions-title">
            <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-4">
              <div>
                <h2 id="own-sessions-title" className="text-base font-semibold text-slate-900">Where you are signed in</h2>
                <p className="mt-0.5 text-sm text-slate-600">End any session you do not recognise, then change your password.</p>
              </div>
              {others > 0 ? <EndAllSessionsButton userId={p.userId} whose={p.name} count={others} self action={endUserSessionsAction} variant="secondary" /> : null}
            </div>
            {!sessions.ok ? (
              <div className="p-4"><LoadError error={sessions} /></div>
            ) : sessions.data.length === 0 ? (
              <EmptyState icon="monitor" title="No sessions">This page was opened without a console session.</EmptyState>
            ) : (
              <div className="overflow-x-auto">
                <table className="min-w-full border-separate border-spacing-0" data-testid="own-sessions-table">
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
                  <tbody className="[&>tr:last-child>td]:border-b-0">
                    {sessions.data.map((s) => (
                      <tr key={s.id} className={s.current ? 'bg-indigo-50/40' : 'hover:bg-slate-50/80'}>
                        <SessionCells session={s} now={now} cell={cell} />
                        <td className={cx(cell, 'text-right whitespace-nowrap')}>
                          {s.current ? <span className="text-xs text-slate-500">Sign out to end</span> : <EndSessionButton id={s.id} whose={null} device={s.device.label} action={endSessionAction} />}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}
