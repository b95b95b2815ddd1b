'use client';

import { useState, useTransition } from 'react';
import { Icon } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';
import { retryMailAction } from './actions';

/** "Retry now" for a failed mail: it goes back into the queue with a fresh allowance of attempts. */
export function RetryMailButton({ id, to, size = 'sm' }: { id: string; to: string; size?: 'sm' | 'md' }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button type="button" disabled={pending} className={button('secondary', size)} data-testid="retry-mail"
        onClick={() => start(async () => {
          setError(null);
          const r = await retryMailAction({ id });
          if (!r.ok) setError(r.error.message);
        })}>
        <Icon name="refresh" className={`size-4 ${pending ? 'animate-spin' : ''}`} />{pending ? 'Queuing…' : 'Retry now'}<span className="sr-only"> (mail to {to})</span>
      </button>
      {error ? <span role="alert" className="max-w-[16rem] text-right text-xs text-red-700">{error}</span> : null}
    </span>
  );
}
