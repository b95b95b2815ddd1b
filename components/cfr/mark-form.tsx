'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/http/action';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, input, label, select } from '../ui/styles';
import { RELIABILITY_LABEL, VALIDITY_LABEL } from './labels';

export type MarkAction = (i: { documentId: string; fields: Record<string, unknown> }) => Promise<ActionResult<unknown>>;
export interface MarkDefaults { submittingAgency: string; sourceReliability: string; contentValidity: string; criminalActivity: string; submittedAt: string }

/**
 * Marks a document as criminal intelligence, or edits its marking, in a dialog: the submitting agency,
 * the source's reliability (A–D), the content's validity (1–4), the criminal-activity basis and the
 * submission date (the five-year review runs from it).
 */
export function MarkCriminalIntelButton({ documentId, action, current, title }: { documentId: string; action: MarkAction; current?: MarkDefaults; title: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const ids = { title: useId(), agency: useId(), rel: useId(), val: useId(), basis: useId(), at: useId() };
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [pending, start] = useTransition();
  const today = new Date().toISOString().slice(0, 10);

  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '');
    start(async () => {
      setError(null); setFields({});
      const r = await action({ documentId, fields: {
        submittingAgency: s('submittingAgency'), sourceReliability: s('sourceReliability'), contentValidity: s('contentValidity'),
        criminalActivity: s('criminalActivity'), ...(s('submittedAt') ? { submittedAt: `${s('submittedAt')}T00:00:00Z` } : {}),
      } });
      if (!r.ok) { setError(r.error.message); setFields(r.error.fields ?? {}); return; }
      ref.current?.close();
      router.refresh();
    });
  };

  return (
    <>
      <button type="button" data-testid="cji-mark" className={current ? button('secondary', 'sm') : button('secondary')}
        onClick={() => { setError(null); ref.current?.showModal(); }}>
        <Icon name={current ? 'pencil' : 'shieldAlert'} className="size-4" />{current ? 'Edit marking' : 'Mark as criminal intelligence'}
      </button>
      <dialog ref={ref} aria-labelledby={ids.title} onClick={(e) => { if (e.target === ref.current && !pending) ref.current?.close(); }}
        className="m-auto w-[calc(100%-2rem)] max-w-xl rounded-xl bg-white p-0 text-left shadow-2xl ring-1 ring-slate-900/10">
        <form onSubmit={submit} noValidate>
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
            <div className="min-w-0">
              <h2 id={ids.title} className="text-base font-semibold text-slate-900">{current ? 'Edit the criminal-intelligence marking' : 'Mark as criminal intelligence'}</h2>
              <p className="mt-0.5 text-sm break-words text-slate-500">“{title}” will be released only to law-enforcement partners with a need-to-know statement, every release logged, and reviewed every five years.</p>
            </div>
            <button type="button" onClick={() => ref.current?.close()} className={button('ghost', 'sm', 'px-2')} aria-label="Close"><Icon name="x" className="size-4" /></button>
          </div>
          <div className="space-y-4 px-6 py-5">
            {error ? <Notice tone="error">{error}</Notice> : null}
            <div>
              <label htmlFor={ids.agency} className={label}>Submitting agency</label>
              <input id={ids.agency} name="submittingAgency" required maxLength={200} defaultValue={current?.submittingAgency} className={`${input} mt-1.5`} aria-invalid={Boolean(fields.submittingAgency)} />
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <div>
                <label htmlFor={ids.rel} className={label}>Source reliability</label>
                <select id={ids.rel} name="sourceReliability" defaultValue={current?.sourceReliability ?? 'D'} className={`${select} mt-1.5`}>
                  {Object.entries(RELIABILITY_LABEL).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                </select>
              </div>
              <div>
                <label htmlFor={ids.val} className={label}>Content validity</label>
                <select id={ids.val} name="contentValidity" defaultValue={current?.contentValidity ?? 'CANNOT_BE_JUDGED'} className={`${select} mt-1.5`}>
                  {Object.entries(VALIDITY_LABEL).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                </select>
              </div>
            </div>
            <div>
              <label htmlFor={ids.basis} className={label}>Criminal-activity basis</label>
              <textarea id={ids.basis} name="criminalActivity" required maxLength={2000} rows={3} defaultValue={current?.criminalActivity} className={`${input} mt-1.5`}
                aria-describedby={`${ids.basis}-hint`} aria-invalid={Boolean(fields.criminalActivity)} />
              <p id={`${ids.basis}-hint`} className="mt-1 text-xs text-slate-500">The reasonable suspicion of criminal conduct or activity that justifies keeping this record.</p>
            </div>
            <div>
              <label htmlFor={ids.at} className={label}>Submitted on</label>
              <input id={ids.at} name="submittedAt" type="date" max={today} defaultValue={current?.submittedAt ?? today} className={`${input} mt-1.5 sm:w-48`} aria-describedby={`${ids.at}-hint`} />
              <p id={`${ids.at}-hint`} className="mt-1 text-xs text-slate-500">The review falls due five years after this date, or after the last validation.</p>
            </div>
          </div>
          <div className="flex justify-end gap-3 border-t border-slate-200 bg-slate-50 px-6 py-4">
            <button type="button" className={button('secondary')} onClick={() => ref.current?.close()} disabled={pending}>Cancel</button>
            <button type="submit" className={button('primary')} disabled={pending}>{pending ? 'Saving…' : current ? 'Save marking' : 'Mark document'}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
