import type { ReactNode } from 'react';
import { Icon, type IconName } from '../ui/icons';

/** The frame of every guest page: quiet, branded, and clear that this is a controlled share. */
export function GuestShell({ children, orgName, wide }: { children: ReactNode; orgName?: string; wide?: boolean }) {
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className={`mx-auto flex ${wide ? 'max-w-7xl' : 'max-w-5xl'} flex-wrap items-center justify-between gap-3 px-6 py-3.5`}>
          <div className="flex items-center gap-3">
            <span aria-hidden className="grid size-9 place-items-center rounded-lg bg-indigo-600 text-white shadow-sm ring-1 ring-indigo-700/20"><Icon name="shield" className="size-5" /></span>
            <div className="leading-tight">
              <p className="text-sm font-semibold tracking-tight text-slate-900">Liaison secure share</p>
              {orgName ? <p className="text-xs text-slate-600">from {orgName}</p> : <p className="text-xs text-slate-500">Confidential documents</p>}
            </div>
          </div>
          <p className="flex items-center gap-1.5 text-xs text-slate-600"><Icon name="eye" className="size-3.5 text-slate-400" />Access is logged and may be revoked at any time.</p>
        </div>
      </header>
      <main className={`mx-auto ${wide ? 'max-w-7xl py-6' : 'max-w-5xl py-10'} px-6`}>{children}</main>
    </div>
  );
}

const TONES: Record<'neutral' | 'danger', { ring: string; icon: IconName }> = {
  neutral: { ring: 'bg-slate-100 text-slate-600 ring-slate-50', icon: 'info' },
  danger: { ring: 'bg-red-50 text-red-600 ring-red-50/60', icon: 'ban' },
};

export function GuestNotice({ title, children, tone = 'neutral', icon }: { title: string; children: ReactNode; tone?: 'neutral' | 'danger'; icon?: IconName }) {
  const t = TONES[tone];
  return (
    <section role={tone === 'danger' ? 'alert' : undefined} className="mx-auto max-w-lg rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <div aria-hidden className={`mx-auto mb-5 grid size-12 place-items-center rounded-full ring-8 ${t.ring}`}>
        <Icon name={icon ?? t.icon} className="size-6" />
      </div>
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <div className="mt-2 text-sm leading-6 text-slate-600">{children}</div>
    </section>
  );
}
