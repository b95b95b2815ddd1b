'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/http/action';
import type { PortalGrantInput } from '@/lib/portals/input';
import { fieldErrors, formLevelError, type ActionError } from '../shares/field-errors';
import { DeviceChoice, Field, FormSection, PermissionChoice, textarea, ToggleCard } from '../shares/fields';
import { fromUtcInput, splitCodes, splitLines } from '../shares/format';
import { KEEP_APART_HINT, KEEP_APART_LABEL, SHOW_PRESENCE_HINT, SHOW_PRESENCE_LABEL } from '../shares/labels';
import type { ExpiryPolicy, TermsOption } from '../shares/create-share-form';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, input, select } from '../ui/styles';

export interface PartnerOption { id: string; name: string; domains: string[] }
export type GrantAction = (input: PortalGrantInput) => Promise<ActionResult<{ id: string }>>;

const words = (s: string) => splitLines(s).flatMap((l) => l.split(/[,;\s]+/)).filter(Boolean);

/** Who may enter the portal, which sections they see and under which conditions; the same controls as a share. */
export function GrantForm({ action, sections, partners, terms, expiry, onDone }: {
  action: GrantAction; sections: { id: string; name: string }[]; partners: PartnerOption[]; terms: TermsOption[]; expiry: ExpiryPolicy; onDone: () => void;
}) {
  const id = useId();
  const router = useRouter();
  const [scope, setScope] = useState<'all' | 'some'>('all');
  const [partner, setPartner] = useState('');
  const [error, setError] = useState<ActionError | null>(null);
  const [lists, setLists] = useState<Record<string, string[]>>({});
  const [pending, start] = useTransition();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '');
    const expiresAt = text('expiresAt') ? fromUtcInput(text('expiresAt')) : null;
    const grant: PortalGrantInput = {
      emails: words(text('emails')),
      domains: words(text('domains')).map((d) => d.replace(/^@/, '').toLowerCase()),
      partnerOrgId: partner || null,
      groups: splitLines(text('groups')).flatMap((l) => l.split(',')).map((g) => g.trim()).filter(Boolean),
      sectionIds: scope === 'all' ? [] : f.getAll('sectionIds').map(String),
      permission: text('permission') as 'VIEW' | 'COMMENT' | 'EDIT',
      allowDownload: f.get('allowDownload') === 'on',
      allowPrint: f.get('allowPrint') === 'on',
      watermark: f.get('watermark') === 'on',
      requireDevice: f.get('requireDevice') === 'on',
      showGuestPresence: f.get('showGuestPresence') === 'on',
      keepPartiesApart: f.get('keepPartiesApart') === 'on',
      expiresAt: expiresAt?.toISOString(),
      termsVersionId: text('termsVersionId') || null,
      allowedIpRanges: splitLines(text('allowedIpRanges')),
      allowedCountries: splitCodes(text('allowedCountries')),
      allowedDevices: f.getAll('allowedDevices').map(String) as ('desktop' | 'mobile' | 'tablet')[],
      needToKnow: text('needToKnow').trim() || undefined,
    };
    if (scope === 'some' && !grant.sectionIds?.length) { setError({ code: 'validation_failed', message: 'Check the highlighted fields.', fields: { sectionIds: 'Choose at least one section, or grant every section.' } }); return; }
    setLists({ emails: grant.emails ?? [], domains: grant.domains ?? [], allowedIpRanges: grant.allowedIpRanges ?? [], allowedCountries: grant.allowedCountries ?? [] });
    start(async () => {
      setError(null);
      const r = await action(grant);
      if (!r.ok) { setError(r.error); return; }
      router.refresh();
      onDone();
    });
  }

  const fe = fieldErrors(error, lists);
  const top = formLevelError(error, fe);
  const err = (k: string) => fe[k];
  const described = (k: string) => ({ 'aria-invalid': Boolean(err(k)) || undefined, 'aria-describedby': `${id}-${k}-hint` });

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="divide-y divide-slate-200 px-6 sm:px-8" data-testid="grant-form">
      {top ? <div className="pt-6"><Notice tone="error" title="Access was not granted">{top}</Notice></div> : null}
      <FormSection title="Who" description="Anyone matching one of these may sign in: a listed address, an address at a listed domain (after an emailed code), or a member of the partner organisation signing in through its identity provider.">
        <Field htmlFor={`${id}-emails`} label="Email addresses" optional error={err('emails')} hint="One a line, or separated by commas.">
          <textarea id={`${id}-emails`} name="emails" rows={3} spellCheck={false} placeholder={'j.doe@counsel.example\nm.ng@counsel.example'} className={`${textarea} sm:max-w-md`} {...described('emails')} />
        </Field>
        <Field htmlFor={`${id}-domains`} label="Email domains" optional error={err('domains')} hint="Everyone with an address at these domains, e.g. counsel.example.">
          <input id={`${id}-domains`} name="domains" type="text" spellCheck={false} placeholder="counsel.example" className={`${input} font-mono sm:max-w-md`} {...described('domains')} />
        </Field>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field htmlFor={`${id}-partner`} label="Partner organisation" optional error={err('partnerOrgId')}
            hint={partners.length ? 'Its members sign in with their own identity provider.' : <>None yet. Administrators add them under <Link href="/settings/partners" className="font-medium text-indigo-600 hover:text-indigo-500">Partner organisations</Link>.</>}>
            <select id={`${id}-partner`} value={partner} onChange={(e) => setPartner(e.target.value)} disabled={!partners.length} className={select} {...described('partnerOrgId')}>
              <option value="">None</option>
              {partners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </Field>
          <Field htmlFor={`${id}-groups`} label="SSO groups" optional error={err('groups')} hint="Only members of these groups at the partner, e.g. liaison-officers. Empty: every member.">
            <input id={`${id}-groups`} name="groups" type="text" spellCheck={false} disabled={!partner} placeholder={partner ? 'liaison-officers, legal' : 'Choose a partner first'} className={`${input} font-mono`} {...described('groups')} />
          </Field>
        </div>
      </FormSection>

      <FormSection title="Sections" description="Which parts of the portal this grant opens.">
        <fieldset aria-describedby={`${id}-sectionIds-hint`}>
          <legend className="sr-only">Sections</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {(['all', 'some'] as const).map((v) => (
              <label key={v} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-2 has-[:checked]:ring-indigo-500 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-600">
                <input type="radio" name="scope" value={v} checked={scope === v} onChange={() => setScope(v)} className="mt-0.5 size-4 accent-indigo-600 focus-visible:outline-none" />
                <span>
                  <span className="block text-sm font-medium text-slate-900">{v === 'all' ? 'Every section' : 'Chosen sections'}</span>
                  <span className="block text-xs text-slate-600">{v === 'all' ? 'Including sections added later.' : 'Only the sections ticked below.'}</span>
                </span>
              </label>
            ))}
          </div>
          {scope === 'some' ? (
            sections.length ? (
              <div className="mt-3 flex flex-wrap gap-2">
                {sections.map((s) => (
                  <label key={s.id} className="inline-flex cursor-pointer items-center gap-2 rounded-md px-3 py-2 text-sm text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-400">
                    <input type="checkbox" name="sectionIds" value={s.id} className="size-4 rounded border-slate-300 accent-indigo-600" />{s.name}
                  </label>
                ))}
              </div>
            ) : <p className="mt-3 text-sm text-slate-500">This portal has no sections yet.</p>
          ) : null}
          {err('sectionIds') ? <p id={`${id}-sectionIds-hint`} className="mt-1.5 text-xs text-red-700">{err('sectionIds')}</p> : null}
        </fieldset>
      </FormSection>

      <FormSection title="What they may do" description="Secure by default: view only, no printing, watermarked.">
        <PermissionChoice />
        <div className="grid gap-2 lg:grid-cols-2 2xl:grid-cols-4">
          <ToggleCard name="allowDownload" icon="download" title="Allow download" description="Guests may save a copy. When off, they read in the viewer only." />
          <ToggleCard name="allowPrint" icon="file" title="Allow printing" description="When off, the viewer blocks printing." />
          <ToggleCard name="watermark" icon="shield" defaultChecked title="Watermark" description="Pages carry the guest's identity, IP address and the time." />
          <ToggleCard name="requireDevice" icon="monitor" title="Require an approved device" description="Each browser registers a key; requests must prove it. Copied cookies stop working elsewhere." />
        </div>
        <div className="grid gap-2 lg:grid-cols-2">
          <ToggleCard name="showGuestPresence" icon="users" title={SHOW_PRESENCE_LABEL} description={SHOW_PRESENCE_HINT} />
          <ToggleCard name="keepPartiesApart" icon="shield" title={KEEP_APART_LABEL} description={KEEP_APART_HINT} />
        </div>
      </FormSection>

      <FormSection title="Criminal intelligence" description="A section holding documents marked as criminal intelligence (28 CFR Part 23) may be granted only to law-enforcement partners, with a need-to-know and right-to-know statement. Each release is logged with it.">
        <Field htmlFor={`${id}-needToKnow`} label="Need-to-know and right-to-know statement" optional error={err('needToKnow')} hint="Required when a covered section holds criminal intelligence.">
          <textarea id={`${id}-needToKnow`} name="needToKnow" rows={3} maxLength={2000} className={`${input} min-h-[5rem] resize-y`} {...described('needToKnow')} />
        </Field>
      </FormSection>

      <FormSection title="Expiry, terms and conditions" description="Checked on every request; a guest outside them is refused and the attempt is logged.">
        <div className="grid gap-5 sm:grid-cols-2">
          <Field htmlFor={`${id}-expiresAt`} label="Expires at (UTC)" error={err('expiresAt')} hint={<>Defaults to {expiry.defaultDays} days; at most {expiry.maxDays}.</>}>
            <input id={`${id}-expiresAt`} name="expiresAt" type="datetime-local" defaultValue={expiry.defaultValue} min={expiry.min} max={expiry.max} required className={`${input} tabular`} {...described('expiresAt')} />
          </Field>
          <Field htmlFor={`${id}-terms`} label="Terms of use" optional error={err('termsVersionId')} hint="Accepted once before the first document.">
            <select id={`${id}-terms`} name="termsVersionId" defaultValue="" className={select} {...described('termsVersionId')}>
              <option value="">None</option>
              {terms.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
            </select>
          </Field>
        </div>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field htmlFor={`${id}-ips`} label="Allowed IP ranges" optional error={err('allowedIpRanges')} hint="One address or CIDR range a line.">
            <textarea id={`${id}-ips`} name="allowedIpRanges" rows={2} spellCheck={false} placeholder="203.0.113.0/24" className={textarea} {...described('allowedIpRanges')} />
          </Field>
          <Field htmlFor={`${id}-countries`} label="Allowed countries" optional error={err('allowedCountries')} hint="Two-letter codes, e.g. GB, IE.">
            <input id={`${id}-countries`} name="allowedCountries" type="text" spellCheck={false} placeholder="GB, IE" className={`${input} font-mono uppercase`} {...described('allowedCountries')} />
          </Field>
        </div>
        <DeviceChoice error={err('allowedDevices')} />
      </FormSection>

      <div className="flex flex-col-reverse gap-3 py-6 sm:flex-row sm:items-center sm:justify-end">
        <button type="button" onClick={onDone} className={button('ghost')}>Cancel</button>
        <button type="submit" disabled={pending} className={button('primary')} data-testid="create-grant"><Icon name="userCheck" className="size-4" />{pending ? 'Granting…' : 'Grant access'}</button>
      </div>
    </form>
  );
}
