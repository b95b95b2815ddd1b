'use client';

import { useState, useTransition } from 'react';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { button, card } from '@/components/ui/styles';
import { verifyChainAction } from './actions';

type Result = Awaited<ReturnType<typeof verifyChainAction>>;

/** Recomputes the organisation's hash chain on demand and says plainly whether it holds. */
export function VerifyChain() {
  const [result, setResult] = useState<Result | null>(null);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = () => startTransition(async () => {
    setResult(await verifyChainAction());
    setCheckedAt(new Date().toISOString().slice(0, 19).replace('T', ' ') + 'Z');
  });

  return (
    <section aria-labelledby="integrity-title" className={`${card} mb-6 p-5`}>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
        <div className="flex gap-3">
          <span className="flex size-9 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-indigo-600"><Icon name="link" className="size-4" /></span>
          <div>
            <h2 id="integrity-title" className="text-sm font-semibold text-slate-900">Integrity</h2>
            <p className="mt-0.5 max-w-2xl text-sm text-slate-600">
              Events are append-only: nobody, administrators included, can edit or delete them. Each stores the SHA-256 of its
              content and of the event before it, so any tampering breaks the chain.
            </p>
          </div>
        </div>
        <button type="button" onClick={run} disabled={pending} className={button('secondary', 'md', 'shrink-0')} data-testid="verify-chain">
          <Icon name={pending ? 'refresh' : 'shieldCheck'} className={`size-4 ${pending ? 'animate-spin' : ''}`} />
          {pending ? 'Verifying…' : 'Verify chain'}
        </button>
      </div>
      {result ? (
        <div className="mt-4" data-testid="verify-result">
          {!result.ok ? (
            <Notice tone="error" title="Verification could not run">{result.error.message}</Notice>
          ) : result.data.ok ? (
            <Notice tone="success" title={`Chain intact: ${result.data.count.toLocaleString('en-US')} event${result.data.count === 1 ? '' : 's'}`}>
              Every hash was recomputed and matches, and every event links to the one before it. Checked {checkedAt}.
            </Notice>
          ) : (
            <Notice tone="error" title={`Chain broken at event #${result.data.brokenAt.seq}`}>
              Event <code className="font-mono text-xs">{result.data.brokenAt.id}</code>: {result.data.brokenAt.problem}.{' '}
              {result.data.count.toLocaleString('en-US')} earlier event{result.data.count === 1 ? '' : 's'} verified. Preserve the database as it is and alert your security team.
            </Notice>
          )}
        </div>
      ) : null}
    </section>
  );
}
