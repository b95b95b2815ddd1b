'use client';

import { useId, useState, useTransition } from 'react';
import { Notice } from '@/components/ui/notice';
import { button, input } from '@/components/ui/styles';
import { updateNotificationSettingsAction } from './actions';

interface Settings { notifyFirstAccess: boolean; reminderDays: number; notifyGuestOnRevoke: boolean }

function Switch({ id, name, title, description, defaultChecked }: { id: string; name: string; title: string; description: React.ReactNode; defaultChecked: boolean }) {
  return (
    <div className="flex items-start justify-between gap-6 py-5">
      <div className="min-w-0">
        <label htmlFor={id} className="text-sm font-medium text-slate-900">{title}</label>
        <p id={`${id}-desc`} className="mt-1 text-sm text-slate-500">{description}</p>
      </div>
      <span className="relative mt-0.5 inline-flex shrink-0">
        <input id={id} name={name} type="checkbox" role="switch" defaultChecked={defaultChecked} aria-describedby={`${id}-desc`}
          className="peer h-6 w-11 cursor-pointer appearance-none rounded-full bg-slate-300 transition-colors checked:bg-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600" />
        <span aria-hidden="true" className="pointer-events-none absolute top-0.5 left-0.5 size-5 rounded-full bg-white shadow transition-transform peer-checked:translate-x-5" />
      </span>
    </div>
  );
}

export function NotificationSettingsForm({ settings }: { settings: Settings }) {
  const id = useId();
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const daysError = error?.fields?.reminderDays;

  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const f = new FormData(e.currentTarget);
      const v = { notifyFirstAccess: f.get('notifyFirstAccess') === 'on', reminderDays: String(f.get('reminderDays') ?? ''), notifyGuestOnRevoke: f.get('notifyGuestOnRevoke') === 'on' };
      start(async () => {
        setError(null);
        setSaved(false);
        const r = await updateNotificationSettingsAction(v);
        if (!r.ok) setError(r.error);
        else setSaved(true);
      });
    }}>
      {saved ? <Notice tone="success" title="Notification settings saved" className="mb-2">They apply to everything from now on.</Notice> : null}
      {error && !error.fields ? <Notice tone="error" title="The settings were not saved" className="mb-2">{error.message}</Notice> : null}
      <div className="divide-y divide-slate-100">
        <Switch id={`${id}-first`} name="notifyFirstAccess" defaultChecked={settings.notifyFirstAccess} title="Tell owners about first access"
          description="Mail the staff member who shared when a guest opens the share for the first time (once per guest; once for all anonymous link openings)." />
        <div className="flex items-start justify-between gap-6 py-5">
          <div className="min-w-0">
            <label htmlFor={`${id}-days`} className="text-sm font-medium text-slate-900">Expiry reminders</label>
            <p id={`${id}-days-hint`} className={`mt-1 text-sm ${daysError ? 'text-red-700' : 'text-slate-500'}`}>
              {daysError ?? 'Remind the owner and each recipient this many days before a share (or a guest account) expires. Each reminder is sent once; 0 turns reminders off.'}
            </p>
          </div>
          <div className="flex shrink-0 items-center gap-2">
            <input id={`${id}-days`} name="reminderDays" type="number" inputMode="numeric" min={0} max={90} step={1} defaultValue={settings.reminderDays}
              className={`${input.replace('w-full', '')} tabular w-20 text-right`} aria-invalid={Boolean(daysError) || undefined} aria-describedby={`${id}-days-hint`} />
            <span className="text-sm text-slate-600">days before</span>
          </div>
        </div>
        <Switch id={`${id}-revoke`} name="notifyGuestOnRevoke" defaultChecked={settings.notifyGuestOnRevoke} title="Tell guests when their access is revoked"
          description="Mail each recipient, and each identified guest who opened it, when a share is revoked. The reason you give stays internal." />
      </div>
      <div className="border-t border-slate-100 pt-5">
        <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Saving…' : 'Save settings'}</button>
      </div>
    </form>
  );
}
