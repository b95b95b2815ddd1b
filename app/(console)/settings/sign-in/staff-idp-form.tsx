'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { fieldErrors } from '@/components/sso/field-errors';
import { IdpFields, splitDomains, type IdpDefaults } from '@/components/sso/idp-fields';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { button, input, label } from '@/components/ui/styles';
import { removeStaffIdpAction, setStaffIdpAction } from './actions';

export interface StaffIdpDefaults { name: string; domains: string[]; enabled: boolean; idp: IdpDefaults }

export function StaffIdpForm({ current }: { current: StaffIdpDefaults | null }) {
  const id = useId();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({ fields: {}, general: null });
  const [saved, setSaved] = useState(false);
  const e = errors.fields;
  return (
    <form noValidate className="space-y-8" onSubmit={(ev) => {
      ev.preventDefault();
      const f = new FormData(ev.currentTarget);
      const s = (k: string) => String(f.get(k) ?? '');
      start(async () => {
        setErrors({ fields: {}, general: null });
        setSaved(false);
        const r = await setStaffIdpAction({
          name: s('name'), domains: splitDomains(s('domains')), enabled: f.get('enabled') === 'on', kind: (s('kind') || 'OIDC') as 'OIDC' | 'SAML',
          issuer: s('issuer'), clientId: s('clientId'), clientSecret: s('clientSecret'), requireMfa: f.get('requireMfa') === 'on', metadataXml: s('metadataXml'),
        });
        if (!r.ok) { setErrors(r.error.fields ? { fields: r.error.fields, general: null } : fieldErrors(r.error.message)); return; }
        setSaved(true);
        router.refresh();
      });
    }}>
      {errors.general ? <Notice tone="error" title="Single sign-on was not saved">{errors.general}</Notice> : null}
      {Object.keys(e).length && !errors.general ? <Notice tone="error" title="Check the highlighted fields" /> : null}
      {saved ? <Notice tone="success" title="Saved">Staff with these domains now see “Sign in with {current?.name ?? 'single sign-on'}” after typing their address.</Notice> : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-name`} className={label}>Button label</label>
          <input id={`${id}-name`} name="name" defaultValue={current?.name ?? ''} placeholder="Harbour Entra ID" className={`${input} mt-1.5`} aria-invalid={Boolean(e.name) || undefined} aria-describedby={`${id}-name-hint`} />
          <p id={`${id}-name-hint`} className={`mt-1 text-xs ${e.name ? 'text-red-700' : 'text-slate-500'}`}>{e.name ?? 'People see “Sign in with <label>”.'}</p>
        </div>
        <div>
          <label htmlFor={`${id}-domains`} className={label}>Staff email domains</label>
          <input id={`${id}-domains`} name="domains" defaultValue={current?.domains.join(', ') ?? ''} placeholder="harbour.example" spellCheck={false} className={`${input} mt-1.5 font-mono`} aria-invalid={Boolean(e.domains) || undefined} aria-describedby={`${id}-domains-hint`} />
          <p id={`${id}-domains-hint`} className={`mt-1 text-xs ${e.domains ? 'text-red-700' : 'text-slate-500'}`}>{e.domains ?? 'Addresses in these domains are offered single sign-on.'}</p>
        </div>
        <label className="flex gap-3 sm:col-span-2">
          <input type="checkbox" name="enabled" defaultChecked={current?.enabled ?? true} className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600" />
          <span><span className="block text-sm font-medium text-slate-900">Offer single sign-on</span><span className="block text-xs text-slate-600">Turn off to pause it without losing the settings. Passwords keep working either way.</span></span>
        </label>
      </div>
      <div className="border-t border-slate-200 pt-6"><IdpFields defaults={current?.idp} errors={e} editing={Boolean(current)} /></div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={button('primary')}><Icon name="check" className="size-4" />{pending ? 'Saving…' : current ? 'Save changes' : 'Set up single sign-on'}</button>
        {current ? (
          <ConfirmDialog triggerLabel="Remove single sign-on" triggerIcon="trash" title="Remove single sign-on?" confirmLabel="Remove" pendingLabel="Removing…"
            onConfirm={async () => { const r = await removeStaffIdpAction(); if (r.ok) router.refresh(); return r.ok ? { ok: true } : { ok: false, message: r.error.message }; }}>
            <p>Staff sign in with their email and password only. Sessions already open stay open until they end.</p>
          </ConfirmDialog>
        ) : null}
      </div>
    </form>
  );
}
