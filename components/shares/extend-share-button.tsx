'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { updateShareAction } from '@/app/(console)/shares/[id]/actions';
import { formatDateTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { button, input, label } from '../ui/styles';
import { fromUtcInput, toUtcInput } from './format';
import { Modal, ModalActions } from './modal';

const DAY = 86_400_000;

/** Picks a new expiry, within the organisation's maximum counted from now. An expired share reopens. */
export function ExtendShareButton({ shareId, expiresAt, maxDays, expired }: { shareId: string; expiresAt: string; maxDays: number; expired: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const fieldId = useId();
  const [value, setValue] = useState('');
  const [bounds, setBounds] = useState({ min: '', max: '' });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function open() {
    // Bounds are taken when the dialog opens, not when the page rendered.
    const now = Date.now();
    const max = now + maxDays * DAY;
    const from = Math.max(new Date(expiresAt).getTime(), now);
    setBounds({ min: toUtcInput(new Date(now + 60_000)), max: toUtcInput(new Date(max)) });
    setValue(toUtcInput(new Date(Math.min(from + 7 * DAY, max))));
    setError(null);
    ref.current?.showModal();
  }
  const preset = (days: number) => setValue(toUtcInput(new Date(Math.min(Date.now() + days * DAY, Date.now() + maxDays * DAY))));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const d = fromUtcInput(value);
    if (!d) { setError('Enter a date and time.'); return; }
    startTransition(async () => {
      const r = await updateShareAction(shareId, { expiresAt: d });
      if (!r.ok) { setError(r.error.fields?.expiresAt ?? r.error.message.replace(/^expiresAt: /, '')); return; }
      ref.current?.close();
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" onClick={open} className={button('secondary')}><Icon name="clock" className="size-4" />{expired ? 'Reopen' : 'Extend'}</button>
      <Modal ref={ref} title={expired ? 'Reopen with a new expiry' : 'Extend this share'} busy={pending}
        description={<>Currently {expired ? 'expired since' : 'expires'} {formatDateTime(expiresAt)}.</>}>
        <form method="post" onSubmit={submit} noValidate>
          <div className="space-y-4 px-6 py-5">
            <div>
              <label htmlFor={fieldId} className={label}>New expiry (UTC)</label>
              <input id={fieldId} type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} min={bounds.min} max={bounds.max} required
                className={`${input} tabular mt-1.5`} aria-invalid={Boolean(error) || undefined} aria-describedby={`${fieldId}-hint`} />
              <p id={`${fieldId}-hint`} className="mt-1.5 text-xs text-slate-500">Your organisation allows at most {maxDays} days from now (until {bounds.max.replace('T', ' ')} UTC).</p>
            </div>
            <div className="flex flex-wrap gap-2" aria-label="Quick choices" role="group">
              {[7, 14, 30].filter((d) => d <= maxDays).map((d) => (
                <button key={d} type="button" onClick={() => preset(d)} className={button('secondary', 'sm')}>{d} days from now</button>
              ))}
              <button type="button" onClick={() => preset(maxDays)} className={button('secondary', 'sm')}>Maximum</button>
            </div>
          </div>
          <ModalActions error={error}>
            <button type="button" onClick={() => ref.current?.close()} disabled={pending} className={button('secondary')}>Cancel</button>
            <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Saving…' : 'Save expiry'}</button>
          </ModalActions>
        </form>
      </Modal>
    </>
  );
}
