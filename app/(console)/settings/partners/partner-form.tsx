'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { fieldErrors } from '@/components/sso/field-errors';
import { IdpFields, splitDomains, type IdpDefaults } from '@/components/sso/idp-fields';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { TLP_OPTIONS } from '@/components/ui/tlp-badge';
import { button, input, label, select } from '@/components/ui/styles';
import { createPartnerAction, updatePartnerAction } from './actions';

export interface PartnerDefaults { id: string; name: string; domains: string[]; tlpCeiling: string | null; lawEnforcement: boolean; idp: IdpDefaults | null }

/** Create or edit a partner organisation with its identity provider. */
export function PartnerForm({ partner }: { partner?: PartnerDefaults }) {
  const id = useId();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({ fields: {}, general: null });
  const [saved, setSaved] = useState(false);
  const editing = Boolean(partner);
  const e = errors.fields;

  return (
    <form noValidate className="space-y-8" onSubmit={(ev) => {
      ev.preventDefault();
      const f = new FormData(ev.currentTarget);
      const s = (k: string) => String(f.get(k) ?? '');
      const v = {
        name: s('name'), domains: splitDomains(s('domains')), tlpCeiling: s('tlpCeiling'), lawEnforcement: f.get('lawEnforcement') === 'on',
        kind: (s('kind') || 'OIDC') as 'OIDC' | 'SAML', issuer: s('issuer'), clientId: s('clientId'), clientSecret: s('clientSecret'), requireMfa: f.get('requireMfa') === 'on', metadataXml: s('metadataXml'),
      };
      start(async () => {
        setErrors({ fields: {}, general: null });
        setSaved(false);
        const r = partner ? await updatePartnerAction({ ...v, id: partner.id }) : await createPartnerAction(v);
        if (!r.ok) {
          const parsed = r.error.fields ? { fields: r.error.fields, general: null } : fieldErrors(r.error.message);
          setErrors(parsed);
          return;
        }
        if (partner) { setSaved(true); router.refresh(); } else router.push(`/settings/partners/${r.data.id}?created=1`);
      });
    }}>
      {errors.general ? <Notice tone="error" title={editing ? 'The changes were not saved' : 'The partner organisation was not added'}>{errors.general}</Notice> : null}
      {Object.keys(e).length && !errors.general ? <Notice tone="error" title="Check the highlighted fields" /> : null}
      {saved ? <Notice tone="success" title="Saved" /> : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-name`} className={label}>Name</label>
          <input id={`${id}-name`} name="name" defaultValue={partner?.name ?? ''} required placeholder="Acme Forensics" className={`${input} mt-1.5`} aria-invalid={Boolean(e.name) || undefined} aria-describedby={`${id}-name-hint`} />
          <p id={`${id}-name-hint`} className={`mt-1 text-xs ${e.name ? 'text-red-700' : 'text-slate-500'}`}>{e.name ?? 'Shown to your staff, and to the partner’s people on the sign-in step.'}</p>
        </div>
        <div>
          <label htmlFor={`${id}-domains`} className={label}>Email domains</label>
          <input id={`${id}-domains`} name="domains" defaultValue={partner?.domains.join(', ') ?? ''} required placeholder="acme.example, acme-labs.example" spellCheck={false} className={`${input} mt-1.5 font-mono`} aria-invalid={Boolean(e.domains) || undefined} aria-describedby={`${id}-domains-hint`} />
          <p id={`${id}-domains-hint`} className={`mt-1 text-xs ${e.domains ? 'text-red-700' : 'text-slate-500'}`}>{e.domains ?? 'Separated by commas. Exact match: subdomains are not included. Guests with these addresses must sign in through the provider.'}</p>
        </div>
        <div>
          <label htmlFor={`${id}-tlp`} className={label}>TLP ceiling</label>
          <select id={`${id}-tlp`} name="tlpCeiling" defaultValue={partner?.tlpCeiling ?? ''} className={`${select} mt-1.5`}>
            <option value="">No ceiling of its own</option>
            {TLP_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
          <p className="mt-1 text-xs text-slate-500">The highest marking this partner’s people may see, whatever a share allows.</p>
        </div>
        <label className="flex gap-3 self-center rounded-md p-3 ring-1 ring-slate-200 ring-inset has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300">
          <input type="checkbox" name="lawEnforcement" defaultChecked={partner?.lawEnforcement ?? false} className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600" />
          <span><span className="block text-sm font-medium text-slate-900">Law enforcement</span><span className="block text-xs text-slate-600">Marks this partner as a law-enforcement agency in shares and the audit trail.</span></span>
        </label>
      </div>
      <div className="border-t border-slate-200 pt-6">
        <IdpFields defaults={partner?.idp ?? undefined} errors={e} editing={editing} />
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" disabled={pending} className={button('primary')}><Icon name={editing ? 'check' : 'plus'} className="size-4" />{pending ? (editing ? 'Saving…' : 'Adding…') : editing ? 'Save changes' : 'Add partner organisation'}</button>
        {pending ? <span className="text-sm text-slate-500" role="status">Checking the identity provider…</span> : null}
      </div>
    </form>
  );
}
