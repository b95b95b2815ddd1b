'use client';

import { useId, useState, useTransition } from 'react';
import { updateSharePolicyAction } from '@/app/(console)/settings/sharing/actions';
import { Notice } from '../ui/notice';
import { button, input } from '../ui/styles';
import type { ActionError } from './field-errors';
import { Field } from './fields';

export function SharePolicyForm({ defaultShareDays, maxShareDays }: { defaultShareDays: number; maxShareDays: number }) {
  const id = useId();
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const values = { defaultShareDays: String(f.get('defaultShareDays') ?? ''), maxShareDays: String(f.get('maxShareDays') ?? '') };
    startTransition(async () => {
      setError(null);
      setSaved(false);
      const r = await updateSharePolicyAction(values);
      if (!r.ok) { setError(r.error); return; }
      setSaved(true);
    });
  }

  const f = error?.fields ?? {};
  return (
    <form method="post" onSubmit={submit} noValidate className="space-y-5">
      {saved ? <Notice tone="success" title="Policy saved">New shares and extensions follow it from now on. Existing shares keep their expiry.</Notice> : null}
      {error && !error.fields ? <Notice tone="error" title="The policy was not saved">{error.message}</Notice> : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <Field htmlFor={`${id}-default`} label="Default share length" error={f.defaultShareDays} hint="Pre-filled when staff create a share.">
          <div className="flex items-center gap-2">
            <input id={`${id}-default`} name="defaultShareDays" type="number" inputMode="numeric" min={1} max={3650} step={1} required defaultValue={defaultShareDays}
              className={`${input.replace("w-full", "")} tabular w-28`} aria-invalid={Boolean(f.defaultShareDays) || undefined} aria-describedby={`${id}-default-hint`} />
            <span className="text-sm text-slate-600">days</span>
          </div>
        </Field>
        <Field htmlFor={`${id}-max`} label="Maximum share length" error={f.maxShareDays} hint="No share, or extension, may run longer than this from the moment it is set.">
          <div className="flex items-center gap-2">
            <input id={`${id}-max`} name="maxShareDays" type="number" inputMode="numeric" min={1} max={3650} step={1} required defaultValue={maxShareDays}
              className={`${input.replace("w-full", "")} tabular w-28`} aria-invalid={Boolean(f.maxShareDays) || undefined} aria-describedby={`${id}-max-hint`} />
            <span className="text-sm text-slate-600">days</span>
          </div>
        </Field>
      </div>
      <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Saving…' : 'Save policy'}</button>
    </form>
  );
}
