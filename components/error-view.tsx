'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { Icon } from './ui/icons';
import { button } from './ui/styles';

/**
 * What error boundaries show. In production the browser receives only a digest, never the server's
 * message; the digest is displayed so support can find the matching server log line.
 */
export function ErrorView({ error, retry, fullPage = false }: { error: unknown; retry: () => void; fullPage?: boolean }) {
  const digest = error && typeof error === 'object' && 'digest' in error ? String((error as { digest?: unknown }).digest ?? '') : '';
  useEffect(() => { console.error(error); }, [error]);
  return (
    <div className={fullPage ? 'flex min-h-screen items-center justify-center bg-slate-50 px-6' : 'px-6 py-16'}>
      <div role="alert" className="mx-auto max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
        <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-red-50 text-red-600 ring-8 ring-red-50/50">
          <Icon name="alert" className="size-6" />
        </div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
        <p className="mt-2 text-sm text-slate-600">
          This page could not be shown. It may be a passing problem, such as the server restarting or the database
          being briefly unreachable. Nothing you saved has been lost.
        </p>
        {digest ? <p className="mt-3 text-xs text-slate-500">Reference for support: <code className="font-mono">{digest}</code></p> : null}
        <div className="mt-6 flex justify-center gap-2">
          <button type="button" onClick={() => retry()} className={button('primary')}><Icon name="refresh" className="size-4" />Try again</button>
          <Link href="/" className={button('secondary')}>Go to dashboard</Link>
        </div>
      </div>
    </div>
  );
}
