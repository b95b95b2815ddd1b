'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { Icon } from './ui/icons';
import { button } from './ui/styles';

const RETRY_SECONDS = 10;

/**
 * Shown when the server could not reach PostgreSQL. It re-renders the page on a timer, so the
 * console comes back by itself when the database does, without losing the URL the user was on.
 */
export function DatabaseUnavailable({ fullPage = false }: { fullPage?: boolean }) {
  const router = useRouter();
  const [left, setLeft] = useState(RETRY_SECONDS);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const t = setInterval(() => {
      setLeft((s) => {
        if (s > 1) return s - 1;
        startTransition(() => router.refresh());
        return RETRY_SECONDS;
      });
    }, 1000);
    return () => clearInterval(t);
  }, [router]);

  const retry = () => { setLeft(RETRY_SECONDS); startTransition(() => router.refresh()); };

  return (
    <div className={fullPage ? 'flex min-h-screen items-center justify-center bg-slate-50 px-6' : 'px-6 py-16'}>
      <div role="alert" aria-live="assertive" className="mx-auto max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
        <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-amber-50 text-amber-600 ring-8 ring-amber-50/50">
          <Icon name="database" className="size-6" />
        </div>
        <p className="font-mono text-xs font-semibold tracking-widest text-amber-700 uppercase">503 · Service unavailable</p>
        <h1 className="mt-1 text-xl font-semibold tracking-tight text-slate-900">The database is unavailable</h1>
        <p className="mt-2 text-sm text-slate-600">
          Liaison cannot reach its database right now, so nothing can be shown or changed. No data has been lost.
          This page retries by itself.
        </p>
        <p className="mt-4 text-sm text-slate-500" aria-live="polite">
          {pending ? 'Retrying…' : `Retrying in ${left} s`}
        </p>
        <button type="button" onClick={retry} disabled={pending} className={button('secondary', 'md', 'mt-4')}>
          <Icon name="refresh" className={`size-4 ${pending ? 'animate-spin' : ''}`} />
          Retry now
        </button>
      </div>
    </div>
  );
}
