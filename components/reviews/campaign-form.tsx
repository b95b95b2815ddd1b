'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import type { Act } from '../staff/types';
import { Icon } from '../ui/icons';
import { button, input, label, select } from '../ui/styles';

type StartInput = { name: string; scope: Record<string, unknown>; deadline: string; sponsorId?: string | null; autoRevoke: boolean };

/** Starts a review campaign over the filters the page shows (admins), in a dialog. */
export function CampaignForm({ scope, total, staff, action }: {
  scope: Record<string, unknown>; total: number; staff: { id: string; name: string; email: string }[]; action: Act<StartInput, { id: string; itemCount: number }>;
}) {
  const router = useRouter();
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const defaultDeadline = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 16);

  const submit = (form: FormData) => start(async () => {
    setError(null);
    const deadline = String(form.get('deadline') ?? '');
    const r = await action({
      name: String(form.get('name') ?? ''), scope, deadline: deadline ? new Date(deadline).toISOString() : '',
      sponsorId: String(form.get('sponsorId') ?? '') || null, autoRevoke: form.get('autoRevoke') === 'on',
    });
    if (!r.ok) { setError(r.error.fields ? Object.entries(r.error.fields).map(([k, v]) => `${k}: ${v}`).join(' ') : r.error.message); return; }
    ref.current?.close();
    router.push(`/reviews/campaigns/${r.data.id}`);
  });

  return (
    <>
      <button type="button" className={button('primary', 'sm')} onClick={() => { setError(null); ref.current?.showModal(); }}>
        <Icon name="list" className="size-4" />Start a review of these {total.toLocaleString('en-US')}
      </button>
      <dialog ref={ref} aria-labelledby={`${ids}-title`} className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-xl bg-white p-0 text-left shadow-2xl ring-1 ring-slate-900/10"
        onCancel={(e) => { if (pending) e.preventDefault(); }}>
        <form action={submit} className="space-y-4 p-6">
          <h2 id={`${ids}-title`} className="text-base font-semibold text-slate-900">Start an access review</h2>
          <p className="text-sm text-slate-600">
            The {total.toLocaleString('en-US')} grants that match the current filters go to their owners, who keep, revoke or change each one with a reason.
            Grants without an owner go to the sponsor, or to you.
          </p>
          <div>
            <label htmlFor={`${ids}-name`} className={label}>Name</label>
            <input id={`${ids}-name`} name="name" required maxLength={200} className={`${input} mt-1`} placeholder="Q4 external access review" />
          </div>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor={`${ids}-deadline`} className={label}>Deadline</label>
              <input id={`${ids}-deadline`} name="deadline" type="datetime-local" required defaultValue={defaultDeadline} className={`${input} mt-1`} />
            </div>
            <div>
              <label htmlFor={`${ids}-sponsor`} className={label}>Sponsor <span className="font-normal text-slate-500">(optional)</span></label>
              <select id={`${ids}-sponsor`} name="sponsorId" defaultValue="" className={`${select} mt-1`}>
                <option value="">None: you decide what has no owner</option>
                {staff.map((s) => <option key={s.id} value={s.id}>{s.name || s.email}</option>)}
              </select>
            </div>
          </div>
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" name="autoRevoke" defaultChecked className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600" />
            <span>Revoke whatever is not decided by the deadline <span className="block text-xs text-slate-500">Otherwise undecided grants stay as they are and the campaign closes with them marked undecided.</span></span>
          </label>
          {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{error}</p> : null}
          <div className="flex justify-end gap-2 pt-2">
            <button type="button" className={button('secondary')} onClick={() => ref.current?.close()} disabled={pending}>Cancel</button>
            <button type="submit" className={button('primary')} disabled={pending}>{pending ? 'Starting…' : 'Start review'}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
