'use client';

import { useId, useState, useTransition } from 'react';
import { Icon } from '@/components/ui/icons';
import { button, input } from '@/components/ui/styles';
import type { ActionResult } from '@/lib/http/action';

/** "Acknowledge" with an optional note (kept in the audit trail), for administrators. */
export function AcknowledgeAlert({ id, title, acknowledge }: { id: string; title: string; acknowledge: (v: { id: string; note?: string }) => Promise<ActionResult<{ id: string }>> }) {
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (!open) {
    return (
      <button type="button" className={button('secondary', 'sm')} onClick={() => setOpen(true)} data-testid="acknowledge-alert">
        <Icon name="check" className="size-4" />Acknowledge<span className="sr-only">: {title}</span>
      </button>
    );
  }
  return (
    <form className="flex w-full max-w-md flex-col gap-2" onSubmit={(e) => {
      e.preventDefault();
      const note = String(new FormData(e.currentTarget).get('note') ?? '').trim();
      start(async () => {
        setError(null);
        const r = await acknowledge({ id, note: note || undefined });
        if (!r.ok) setError(r.error.fields ? Object.values(r.error.fields).join('. ') : r.error.message);
      });
    }}>
      <label htmlFor={`${uid}-note`} className="text-xs font-medium text-slate-700">Note for the audit trail (optional)</label>
      <input id={`${uid}-note`} name="note" maxLength={500} className={input} placeholder="What you checked, what you did" autoFocus />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={button('primary', 'sm')}>{pending ? 'Saving…' : 'Acknowledge'}</button>
        <button type="button" disabled={pending} className={button('ghost', 'sm')} onClick={() => { setOpen(false); setError(null); }}>Cancel</button>
      </div>
      {error ? <p role="alert" className="text-xs text-red-700">{error}</p> : null}
    </form>
  );
}
