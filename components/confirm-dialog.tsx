'use client';

import { useId, useRef, useState, useTransition } from 'react';
import { Icon, type IconName } from './ui/icons';
import { button } from './ui/styles';

export type ConfirmOutcome = { ok: true } | { ok: false; message: string } | void;

/**
 * A confirmation step for irreversible actions, on the native <dialog>: it traps focus, closes on
 * Escape and returns focus to the trigger. Focus starts on Cancel so Enter never destroys by accident.
 */
export function ConfirmDialog({
  triggerLabel, triggerIcon, triggerClassName, title, children, confirmLabel, pendingLabel = 'Working…', onConfirm, tone = 'danger',
}: {
  triggerLabel: React.ReactNode;
  triggerIcon?: IconName;
  triggerClassName?: string;
  title: string;
  children?: React.ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  onConfirm: () => Promise<ConfirmOutcome>;
  tone?: 'danger' | 'primary';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const titleId = useId();
  const descId = useId();

  const close = () => { if (!pending) ref.current?.close(); };
  const confirm = () => startTransition(async () => {
    setError(null);
    const r = await onConfirm();
    if (r && !r.ok) setError(r.message);
    else ref.current?.close();
  });

  return (
    <>
      <button type="button" className={triggerClassName ?? button('danger-ghost', 'sm')} onClick={() => { setError(null); ref.current?.showModal(); }}>
        {triggerIcon ? <Icon name={triggerIcon} className="size-4" /> : null}
        {triggerLabel}
      </button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        aria-describedby={descId}
        onCancel={(e) => { if (pending) e.preventDefault(); }}
        onClick={(e) => { if (e.target === ref.current) close(); }}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl bg-white p-0 text-left shadow-2xl ring-1 ring-slate-900/10"
      >
        <div className="p-6">
          <div className="flex gap-4">
            <div className={`flex size-10 shrink-0 items-center justify-center rounded-full ${tone === 'danger' ? 'bg-red-100 text-red-600' : 'bg-indigo-100 text-indigo-600'}`}>
              <Icon name={tone === 'danger' ? 'alert' : 'info'} className="size-5" />
            </div>
            <div className="min-w-0">
              <h2 id={titleId} className="text-base font-semibold text-slate-900">{title}</h2>
              <div id={descId} className="mt-2 text-sm break-words text-slate-600">{children}</div>
              {error ? <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset">{error}</p> : null}
            </div>
          </div>
        </div>
        <div className="flex justify-end gap-2 rounded-b-xl bg-slate-50 px-6 py-3">
          <button type="button" autoFocus onClick={close} disabled={pending} className={button('secondary')}>Cancel</button>
          <button type="button" onClick={confirm} disabled={pending} className={button(tone === 'danger' ? 'danger' : 'primary')}>
            {pending ? pendingLabel : confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
