'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/http/action';
import { Icon, type IconName } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, input, label } from '../ui/styles';

export type ReasonAction = (i: { documentId: string; fields: Record<string, string> }) => Promise<ActionResult<unknown>>;

/**
 * A decision on a criminal-intelligence record that must say why (re-validate, purge, unmark): a dialog
 * with the consequences, a required text, and the action's own error when it is refused.
 */
export function ReasonDialog({ documentId, action, field, trigger, icon, title, fieldLabel, confirmLabel, tone = 'primary', children, testId }: {
  documentId: string; action: ReasonAction; field: 'note' | 'reason'; trigger: string; icon: IconName; title: string; fieldLabel: string;
  confirmLabel: string; tone?: 'primary' | 'danger'; children?: React.ReactNode; testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const titleId = useId();
  const textId = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get('text') ?? '');
    start(async () => {
      setError(null);
      const r = await action({ documentId, fields: { [field]: text } });
      if (!r.ok) { setError(r.error.message); return; }
      ref.current?.close();
      router.refresh();
    });
  };
  return (
    <>
      <button type="button" data-testid={testId} className={tone === 'danger' ? button('secondary', 'sm', 'text-red-700 hover:bg-red-50') : button('secondary', 'sm')}
        onClick={() => { setError(null); ref.current?.showModal(); }}>
        <Icon name={icon} className="size-4" />{trigger}
      </button>
      <dialog ref={ref} aria-labelledby={titleId} onCancel={(e) => { if (pending) e.preventDefault(); }}
        onClick={(e) => { if (e.target === ref.current && !pending) ref.current?.close(); }}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl bg-white p-0 text-left shadow-2xl ring-1 ring-slate-900/10">
        <form onSubmit={submit} noValidate>
          <div className="flex gap-4 p-6">
            <div className={`flex size-10 shrink-0 items-center justify-center rounded-full ${tone === 'danger' ? 'bg-red-100 text-red-600' : 'bg-indigo-100 text-indigo-600'}`}>
              <Icon name={tone === 'danger' ? 'alert' : 'info'} className="size-5" />
            </div>
            <div className="min-w-0 flex-1">
              <h2 id={titleId} className="text-base font-semibold text-slate-900">{title}</h2>
              <div className="mt-2 text-sm text-slate-600">{children}</div>
              {error ? <Notice tone="error" className="mt-3">{error}</Notice> : null}
              <label htmlFor={textId} className={`${label} mt-4`}>{fieldLabel}</label>
              <textarea id={textId} name="text" rows={3} required maxLength={field === 'note' ? 2000 : 500} className={`${input} mt-1.5`} />
            </div>
          </div>
          <div className="flex justify-end gap-3 rounded-b-xl border-t border-slate-200 bg-slate-50 px-6 py-4">
            <button type="button" autoFocus className={button('secondary')} onClick={() => ref.current?.close()} disabled={pending}>Cancel</button>
            <button type="submit" className={button(tone === 'danger' ? 'danger' : 'primary')} disabled={pending}>{pending ? 'Working…' : confirmLabel}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
