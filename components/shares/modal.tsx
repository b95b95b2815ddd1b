'use client';

import { forwardRef, useId } from 'react';
import { Icon } from '../ui/icons';
import { button } from '../ui/styles';

/**
 * A form dialog on the native <dialog>: focus is trapped, Escape closes, and focus returns to the
 * trigger. The body scrolls while the header and the actions stay in view.
 */
export const Modal = forwardRef<HTMLDialogElement, { title: string; description?: React.ReactNode; children: React.ReactNode; wide?: boolean; busy?: boolean }>(
  function Modal({ title, description, children, wide, busy }, ref) {
    const titleId = useId();
    const close = () => { if (!busy && ref && typeof ref !== 'function') ref.current?.close(); };
    return (
      <dialog ref={ref} aria-labelledby={titleId}
        onCancel={(e) => { if (busy) e.preventDefault(); }}
        onClick={(e) => { if (e.target === e.currentTarget) close(); }}
        className={`m-auto max-h-[min(92vh,56rem)] w-[calc(100%-2rem)] ${wide ? 'max-w-2xl' : 'max-w-md'} overflow-hidden rounded-xl bg-white p-0 text-left shadow-2xl ring-1 ring-slate-900/10 open:flex open:flex-col`}>
        <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
          <div className="min-w-0">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">{title}</h2>
            {description ? <p className="mt-0.5 text-sm text-slate-500">{description}</p> : null}
          </div>
          <button type="button" onClick={close} className={button('ghost', 'sm', 'px-2')} aria-label="Close"><Icon name="x" className="size-4" /></button>
        </div>
        {children}
      </dialog>
    );
  },
);

/** The sticky footer of a Modal form. */
export function ModalActions({ children, error }: { children: React.ReactNode; error?: string | null }) {
  return (
    <div className="border-t border-slate-200 bg-slate-50 px-6 py-3">
      {error ? <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset">{error}</p> : null}
      <div className="flex justify-end gap-2">{children}</div>
    </div>
  );
}
