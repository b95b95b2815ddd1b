'use client';

import { useId, useRef, useState, useTransition } from 'react';
import { CopyButton } from '@/components/copy-button';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { button, input, label } from '@/components/ui/styles';
import { createApiKeyAction } from './actions';

type Created = { key: string; name: string; prefix: string; scopes: string[] };

export function CreateKeyForm({ scopes }: { scopes: { value: string; label: string }[] }) {
  const formRef = useRef<HTMLFormElement>(null);
  const nameId = useId();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = { name: String(form.get('name') ?? ''), scopes: form.getAll('scopes').map(String) };
    startTransition(async () => {
      setError(null);
      const r = await createApiKeyAction(input);
      if (!r.ok) { setError(r.error); return; }
      setCreated(r.data);
      formRef.current?.reset();
    });
  }

  if (created) {
    return (
      <div className="space-y-4" data-testid="new-key">
        <Notice tone="warning" title="Copy this key now. It will not be shown again.">
          Liaison keeps only a hash of it. Store it in your secret manager; if it is lost, revoke it and create another.
        </Notice>
        <div>
          <p className={label}>New key “{created.name}”</p>
          <div className="mt-1.5 flex flex-col gap-2 sm:flex-row sm:items-center">
            <code className="block flex-1 rounded-md bg-slate-900 px-3 py-2.5 font-mono text-sm break-all text-emerald-300 select-all" data-testid="new-key-value">{created.key}</code>
            <CopyButton value={created.key} label="Copy key" size="md" />
          </div>
          <p className="mt-2 text-xs text-slate-500">Send it as <code className="font-mono">Authorization: Bearer {created.prefix}_…</code> · Scopes: {created.scopes.join(', ')}</p>
        </div>
        <button type="button" className={button('secondary')} onClick={() => setCreated(null)}>I have stored the key</button>
      </div>
    );
  }

  const fieldError = (k: string) => error?.fields?.[k];
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-5" noValidate>
      {error && !error.fields ? <Notice tone="error" title="The key was not created">{error.message}</Notice> : null}
      <div className="max-w-md">
        <label htmlFor={nameId} className={label}>Name</label>
        <input id={nameId} name="name" type="text" required maxLength={100} placeholder="e.g. Case management sync" className={`${input} mt-1.5`}
          aria-invalid={Boolean(fieldError('name')) || undefined} aria-describedby={`${nameId}-hint`} />
        <p id={`${nameId}-hint`} className={`mt-1 text-xs ${fieldError('name') ? 'text-red-700' : 'text-slate-500'}`}>{fieldError('name') ?? 'Say which system or person uses it, so it can be revoked with confidence later.'}</p>
      </div>
      <fieldset>
        <legend className={label}>Permissions</legend>
        <p className={`mt-0.5 text-xs ${fieldError('scopes') ? 'text-red-700' : 'text-slate-500'}`}>{fieldError('scopes') ?? 'Grant only what the integration needs.'}</p>
        <div className="mt-3 grid gap-2 sm:grid-cols-2 xl:grid-cols-3">
          {scopes.map((s) => (
            <label key={s.value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 transition-colors ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300">
              <input type="checkbox" name="scopes" value={s.value} defaultChecked={s.value === 'documents:read'} className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600" />
              <span className="min-w-0">
                <span className="block font-mono text-xs font-semibold text-slate-900">{s.value}</span>
                <span className="block text-xs text-slate-600">{s.label}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={pending} className={button('primary')}>
        <Icon name="plus" className="size-4" />{pending ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}
