'use client';

import { useId, useState, useTransition } from 'react';
import { Notice } from '@/components/ui/notice';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { button, cx, input, td, th } from '@/components/ui/styles';
import type { ActionResult } from '@/lib/http/action';

const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
type TlpName = (typeof TLPS)[number];
type Days = number | null;

export interface RetentionFormPolicy {
  enabled: boolean;
  tlpRules: Record<TlpName, { documentDays: Days; shareDays: Days }>;
  guestDays: Days;
  sessionDays: Days;
}

type Values = { enabled: boolean; tlpRules: Record<TlpName, { documentDays: string; shareDays: string }>; guestDays: string; sessionDays: string };

const str = (d: Days) => (d === null ? '' : String(d));
const box = `${input.replace('w-full', '')} tabular w-24 text-right`;

function DaysInput({ id, name, value, error, label, disabled }: { id: string; name: string; value: Days; error?: string; label: string; disabled: boolean }) {
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <span className="inline-flex items-center gap-2">
        <input id={id} name={name} type="text" inputMode="numeric" defaultValue={str(value)} placeholder="Never" aria-label={label} disabled={disabled}
          aria-invalid={Boolean(error) || undefined} aria-describedby={error ? `${id}-err` : undefined} className={box} />
        <span className="text-sm text-slate-500">days</span>
      </span>
      {error ? <span id={`${id}-err`} className="max-w-[14rem] text-right text-xs text-red-700">{error}</span> : null}
    </span>
  );
}

/**
 * The retention policy: per TLP marking, how long documents and ended shares are kept; how long guests
 * and sessions keep identifying data. Empty means "never". Saving replaces the whole policy.
 */
export function RetentionPolicyForm({ policy, canEdit, save }: { policy: RetentionFormPolicy; canEdit: boolean; save: (v: Values) => Promise<ActionResult<{ enabled: boolean }>> }) {
  const id = useId();
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const fe = (k: string) => error?.fields?.[k];

  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const f = new FormData(e.currentTarget);
      const g = (k: string) => String(f.get(k) ?? '');
      const v: Values = {
        enabled: f.get('enabled') === 'on',
        tlpRules: Object.fromEntries(TLPS.map((t) => [t, { documentDays: g(`${t}.documentDays`), shareDays: g(`${t}.shareDays`) }])) as Values['tlpRules'],
        guestDays: g('guestDays'), sessionDays: g('sessionDays'),
      };
      start(async () => {
        setError(null);
        setSaved(false);
        const r = await save(v);
        if (!r.ok) setError(r.error);
        else setSaved(true);
      });
    }}>
      {saved ? <Notice tone="success" title="Retention policy saved" className="mb-4">The next scheduled run applies it (hourly, when the policy is on). Preview it below first.</Notice> : null}
      {error ? <Notice tone="error" title="The policy was not saved" className="mb-4">{error.fields ? 'Check the highlighted periods.' : error.message}</Notice> : null}

      <div className="flex items-start justify-between gap-6 pb-5">
        <div className="min-w-0">
          <label htmlFor={`${id}-enabled`} className="text-sm font-medium text-slate-900">Apply the policy automatically</label>
          <p id={`${id}-enabled-desc`} className="mt-1 text-sm text-slate-500">When on, a job runs every hour and purges or anonymises what is past its period. When off, nothing is deleted; the preview still shows what would go.</p>
        </div>
        <span className="relative mt-0.5 inline-flex shrink-0">
          <input id={`${id}-enabled`} name="enabled" type="checkbox" role="switch" defaultChecked={policy.enabled} disabled={!canEdit} aria-describedby={`${id}-enabled-desc`}
            className="peer h-6 w-11 cursor-pointer appearance-none rounded-full bg-slate-300 transition-colors checked:bg-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed" />
          <span aria-hidden="true" className="pointer-events-none absolute top-0.5 left-0.5 size-5 rounded-full bg-white shadow transition-transform peer-checked:translate-x-5" />
        </span>
      </div>

      <div className="-mx-6 overflow-x-auto border-y border-slate-200">
        <table className="min-w-full border-separate border-spacing-0" data-testid="retention-rules">
          <caption className="sr-only">Retention periods per TLP marking</caption>
          <thead>
            <tr>
              <th scope="col" className={cx(th, 'static pl-6')}>Marking</th>
              <th scope="col" className={cx(th, 'static text-right')}>Documents<span className="block font-normal normal-case tracking-normal text-slate-500">after the last upload</span></th>
              <th scope="col" className={cx(th, 'static pr-6 text-right')}>Ended shares<span className="block font-normal normal-case tracking-normal text-slate-500">after expiry or revocation</span></th>
            </tr>
          </thead>
          <tbody className="[&>tr:last-child>td]:border-b-0">
            {TLPS.map((t) => (
              <tr key={t}>
                <th scope="row" className={cx(td, 'border-b border-slate-100 pl-6 text-left align-middle font-normal')}><TlpBadge tlp={t} /></th>
                <td className={cx(td, 'border-b border-slate-100 text-right')}>
                  <DaysInput id={`${id}-${t}-d`} name={`${t}.documentDays`} value={policy.tlpRules[t].documentDays} error={fe(`tlpRules.${t}.documentDays`)} label={`Documents marked ${t}: days after the last upload`} disabled={!canEdit} />
                </td>
                <td className={cx(td, 'border-b border-slate-100 pr-6 text-right')}>
                  <DaysInput id={`${id}-${t}-s`} name={`${t}.shareDays`} value={policy.tlpRules[t].shareDays} error={fe(`tlpRules.${t}.shareDays`)} label={`Shares of ${t} documents: days after they ended`} disabled={!canEdit} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="divide-y divide-slate-100">
        <div className="flex items-start justify-between gap-6 py-5">
          <div className="min-w-0">
            <label htmlFor={`${id}-guests`} className="text-sm font-medium text-slate-900">Anonymise inactive guests</label>
            <p className="mt-1 text-sm text-slate-500">Address, name and sign-in details are replaced by a pseudonym, and the guest is disabled, after this many days without activity.</p>
          </div>
          <DaysInput id={`${id}-guests`} name="guestDays" value={policy.guestDays} error={fe('guestDays')} label="Guests: days without activity" disabled={!canEdit} />
        </div>
        <div className="flex items-start justify-between gap-6 py-5">
          <div className="min-w-0">
            <label htmlFor={`${id}-sessions`} className="text-sm font-medium text-slate-900">Anonymise old guest sessions</label>
            <p className="mt-1 text-sm text-slate-500">A session&apos;s IP address and browser are replaced by a pseudonym this many days after it was last used.</p>
          </div>
          <DaysInput id={`${id}-sessions`} name="sessionDays" value={policy.sessionDays} error={fe('sessionDays')} label="Sessions: days after last use" disabled={!canEdit} />
        </div>
      </div>
      {canEdit ? (
        <div className="border-t border-slate-100 pt-5">
          <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Saving…' : 'Save policy'}</button>
        </div>
      ) : <p className="border-t border-slate-100 pt-4 text-sm text-slate-500">Only administrators change the policy.</p>}
    </form>
  );
}
