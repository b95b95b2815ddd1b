'use client';

import { useId, useState, useTransition } from 'react';
import { Notice } from '@/components/ui/notice';
import { button, input } from '@/components/ui/styles';
import type { ActionResult } from '@/lib/http/action';

interface Rules {
  downloads: { enabled: boolean; count: number; minutes: number };
  newCountry: { enabled: boolean };
  shareRefusals: { enabled: boolean; count: number; minutes: number };
  guestIps: { enabled: boolean; count: number };
}
type Values = {
  downloads: { enabled: boolean; count: string; minutes: string };
  newCountry: { enabled: boolean };
  shareRefusals: { enabled: boolean; count: string; minutes: string };
  guestIps: { enabled: boolean; count: string };
};

const box = `${input.replace('w-full', '')} tabular w-20 text-right`;

function Toggle({ id, name, checked, disabled, describedBy }: { id: string; name: string; checked: boolean; disabled: boolean; describedBy: string }) {
  return (
    <span className="relative mt-0.5 inline-flex shrink-0">
      <input id={id} name={name} type="checkbox" role="switch" defaultChecked={checked} disabled={disabled} aria-describedby={describedBy}
        className="peer h-6 w-11 cursor-pointer appearance-none rounded-full bg-slate-300 transition-colors checked:bg-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed" />
      <span aria-hidden="true" className="pointer-events-none absolute top-0.5 left-0.5 size-5 rounded-full bg-white shadow transition-transform peer-checked:translate-x-5" />
    </span>
  );
}

function Num({ id, name, value, label, unit, error, disabled }: { id: string; name: string; value: number; label: string; unit: string; error?: string; disabled: boolean }) {
  return (
    <span className="inline-flex items-center gap-2">
      <input id={id} name={name} type="number" inputMode="numeric" min={1} step={1} defaultValue={value} aria-label={label} disabled={disabled}
        aria-invalid={Boolean(error) || undefined} className={box} />
      <span className="text-sm text-slate-600">{unit}</span>
    </span>
  );
}

/** The four anomaly rules, each on or off with its thresholds. "More than" everywhere: count 20 raises on the 21st. */
export function AlertRulesForm({ rules, canEdit, save }: { rules: Rules; canEdit: boolean; save: (v: Values) => Promise<ActionResult<unknown>> }) {
  const id = useId();
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const fe = (k: string) => error?.fields?.[k];
  const errs = error?.fields ? Object.values(error.fields) : [];

  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const f = new FormData(e.currentTarget);
      const on = (k: string) => f.get(k) === 'on';
      const g = (k: string) => String(f.get(k) ?? '');
      const v: Values = {
        downloads: { enabled: on('downloads.enabled'), count: g('downloads.count'), minutes: g('downloads.minutes') },
        newCountry: { enabled: on('newCountry.enabled') },
        shareRefusals: { enabled: on('shareRefusals.enabled'), count: g('shareRefusals.count'), minutes: g('shareRefusals.minutes') },
        guestIps: { enabled: on('guestIps.enabled'), count: g('guestIps.count') },
      };
      start(async () => {
        setError(null);
        setSaved(false);
        const r = await save(v);
        if (!r.ok) setError(r.error);
        else setSaved(true);
      });
    }}>
      {saved ? <Notice tone="success" title="Alert rules saved" className="mb-2">Rules apply to activity from now on; they are checked every minute.</Notice> : null}
      {error ? <Notice tone="error" title="The rules were not saved" className="mb-2">{errs.length ? errs.join('. ') : error.message}</Notice> : null}
      <div className="divide-y divide-slate-100">
        <div className="flex flex-col gap-3 py-5 sm:flex-row sm:items-start sm:justify-between sm:gap-6">
          <div className="flex min-w-0 gap-4">
            <Toggle id={`${id}-dl`} name="downloads.enabled" checked={rules.downloads.enabled} disabled={!canEdit} describedBy={`${id}-dl-d`} />
            <div><label htmlFor={`${id}-dl`} className="text-sm font-medium text-slate-900">Many downloads by one guest</label>
              <p id={`${id}-dl-d`} className="mt-1 text-sm text-slate-500">A guest downloads more than this many documents within the window.</p></div>
          </div>
          <div className="flex shrink-0 flex-wrap items-center gap-3 pl-15 sm:pl-0">
            <Num id={`${id}-dl-n`} name="downloads.count" value={rules.downloads.count} label="Downloads: more than" unit="downloads in" error={fe('downloads.count')} disabled={!canEdit} />
            <Num id={`${id}-dl-m`} name="downloads.minutes" value={rules.downloads.minutes} label="Downloads: window in minutes" unit="minutes" error={fe('downloads.minutes')} disabled={!canEdit} />
          </div>
        </div>
        <div className="flex flex-col gap-3 py-5 sm:flex-row sm:items-start sm:justify-between sm:gap-6">
          <div className="flex min-w-0 gap-4">
            <Toggle id={`${id}-nc`} name="newCountry.enabled" checked={rules.newCountry.enabled} disabled={!canEdit} describedBy={`${id}-nc-d`} />
            <div><label htmlFor={`${id}-nc`} className="text-sm font-medium text-slate-900">Access from a new country</label>
              <p id={`${id}-nc-d`} className="mt-1 text-sm text-slate-500">A guest opens a session from a country none of their earlier sessions came from. Needs a country database (LIAISON_GEOIP_DB).</p></div>
          </div>
        </div>
        <div className="flex flex-col gap-3 py-5 sm:flex-row sm:items-start sm:justify-between sm:gap-6">
          <div className="flex min-w-0 gap-4">
            <Toggle id={`${id}-rf`} name="shareRefusals.enabled" checked={rules.shareRefusals.enabled} disabled={!canEdit} describedBy={`${id}-rf-d`} />
            <div><label htmlFor={`${id}-rf`} className="text-sm font-medium text-slate-900">Many refusals on one share</label>
              <p id={`${id}-rf-d`} className="mt-1 text-sm text-slate-500">Wrong passwords, blocked networks or countries, expired links: more than this many refusals within the window.</p></div>
          </div>
          <div className="flex shrink-0 flex-wrap items-center gap-3 pl-15 sm:pl-0">
            <Num id={`${id}-rf-n`} name="shareRefusals.count" value={rules.shareRefusals.count} label="Refusals: more than" unit="refusals in" error={fe('shareRefusals.count')} disabled={!canEdit} />
            <Num id={`${id}-rf-m`} name="shareRefusals.minutes" value={rules.shareRefusals.minutes} label="Refusals: window in minutes" unit="minutes" error={fe('shareRefusals.minutes')} disabled={!canEdit} />
          </div>
        </div>
        <div className="flex flex-col gap-3 py-5 sm:flex-row sm:items-start sm:justify-between sm:gap-6">
          <div className="flex min-w-0 gap-4">
            <Toggle id={`${id}-ip`} name="guestIps.enabled" checked={rules.guestIps.enabled} disabled={!canEdit} describedBy={`${id}-ip-d`} />
            <div><label htmlFor={`${id}-ip`} className="text-sm font-medium text-slate-900">One guest from many addresses</label>
              <p id={`${id}-ip-d`} className="mt-1 text-sm text-slate-500">A guest is seen from more than this many IP addresses in one day (UTC): a shared link or stolen session.</p></div>
          </div>
          <div className="flex shrink-0 items-center gap-3 pl-15 sm:pl-0">
            <Num id={`${id}-ip-n`} name="guestIps.count" value={rules.guestIps.count} label="Addresses: more than" unit="addresses a day" error={fe('guestIps.count')} disabled={!canEdit} />
          </div>
        </div>
      </div>
      {canEdit ? (
        <div className="border-t border-slate-100 pt-5">
          <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Saving…' : 'Save rules'}</button>
        </div>
      ) : <p className="border-t border-slate-100 pt-4 text-sm text-slate-500">Only administrators change the rules.</p>}
    </form>
  );
}
