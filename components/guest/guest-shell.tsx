import type { ReactNode } from 'react';

/** The frame of every guest page: quiet, branded, and clear that this is a controlled share. */
export function GuestShell({ children, orgName }: { children: ReactNode; orgName?: string }) {
  return (
    <div className="min-h-screen bg-slate-100">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between px-6 py-4">
          <div className="flex items-center gap-3">
            <span aria-hidden className="grid h-8 w-8 place-items-center rounded-md bg-indigo-700 text-sm font-bold text-white">L</span>
            <div>
              <p className="text-sm font-semibold text-slate-900">Liaison secure share</p>
              {orgName ? <p className="text-xs text-slate-600">from {orgName}</p> : null}
            </div>
          </div>
          <p className="text-xs text-slate-600">Access is logged and may be revoked at any time.</p>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-6 py-10">{children}</main>
    </div>
  );
}

export function GuestNotice({ title, children, tone = 'neutral' }: { title: string; children: ReactNode; tone?: 'neutral' | 'danger' }) {
  return (
    <section role={tone === 'danger' ? 'alert' : undefined} className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <div aria-hidden className={`mx-auto mb-4 grid h-12 w-12 place-items-center rounded-full ${tone === 'danger' ? 'bg-red-50 text-red-700' : 'bg-slate-100 text-slate-700'}`}>
        {tone === 'danger' ? '!' : 'i'}
      </div>
      <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
      <div className="mt-2 text-sm leading-6 text-slate-600">{children}</div>
    </section>
  );
}
