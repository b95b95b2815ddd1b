'use client';

import { useId, useRef, useState, useTransition } from 'react';
import { CopyButton } from '@/components/copy-button';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { button, input, label } from '@/components/ui/styles';
import { createWebhookAction } from './actions';

const FORMATS = [
  { value: 'JSON', title: 'JSON, signed', hint: 'Your own endpoint; verify the Liaison-Signature header.' },
  { value: 'SLACK', title: 'Slack', hint: 'A Slack incoming-webhook URL (hooks.slack.com/services/…).' },
  { value: 'TEAMS', title: 'Microsoft Teams', hint: 'A Teams Workflows webhook URL; posts an Adaptive Card.' },
] as const;

type Created = { id: string; url: string; format: string; secret: string };

export function CreateWebhookForm({ events }: { events: Array<{ type: string; description: string }> }) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [pending, start] = useTransition();
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  if (created) {
    return (
      <div className="space-y-4" data-testid="new-webhook">
        <Notice tone="warning" title="Copy the signing secret now. It will not be shown again.">
          {created.format === 'JSON' ? 'Your endpoint uses it to check the Liaison-Signature header of every delivery.' : 'Slack and Teams do not check signatures; keep it in case you later put a relay in front of them.'}
        </Notice>
        <div>
          <p className={label}>Signing secret for <span className="font-mono text-xs break-all">{created.url}</span></p>
          <div className="mt-1.5 flex flex-col gap-2 sm:flex-row sm:items-center">
            <code className="block flex-1 rounded-md bg-slate-900 px-3 py-2.5 font-mono text-sm break-all text-emerald-300 select-all" data-testid="webhook-secret">{created.secret}</code>
            <CopyButton value={created.secret} label="Copy secret" size="md" />
          </div>
        </div>
        <button type="button" className={button('secondary')} onClick={() => setCreated(null)}>I have stored the secret</button>
      </div>
    );
  }

  const fieldError = (k: string) => error?.fields?.[k] ?? (k === 'url' && error?.message.startsWith('url:') ? error.message.slice(5) : undefined) ?? (k === 'events' && error?.message.startsWith('events:') ? error.message.slice(8) : undefined);
  const generalError = error && !error.fields && !/^(url|events):/.test(error.message) ? error.message : null;
  return (
    <form ref={form} noValidate className="space-y-6" onSubmit={(e) => {
      e.preventDefault();
      const f = new FormData(e.currentTarget);
      const v = { url: String(f.get('url') ?? ''), format: String(f.get('format') ?? 'JSON'), events: f.getAll('events').map(String) };
      start(async () => {
        setError(null);
        const r = await createWebhookAction(v);
        if (!r.ok) { setError(r.error); return; }
        setCreated(r.data);
        form.current?.reset();
      });
    }}>
      {generalError ? <Notice tone="error" title="The webhook was not added">{generalError}</Notice> : null}
      <div className="max-w-2xl">
        <label htmlFor={`${id}-url`} className={label}>Endpoint URL</label>
        <input id={`${id}-url`} name="url" type="url" required placeholder="https://hooks.slack.com/services/…" className={`${input} mt-1.5 font-mono`}
          aria-invalid={Boolean(fieldError('url')) || undefined} aria-describedby={`${id}-url-hint`} />
        <p id={`${id}-url-hint`} className={`mt-1 text-xs ${fieldError('url') ? 'text-red-700' : 'text-slate-500'}`}>{fieldError('url') ?? 'https:// recommended. No user name or password in the URL; private and loopback addresses are refused.'}</p>
      </div>
      <fieldset>
        <legend className={label}>Format</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {FORMATS.map((f) => (
            <label key={f.value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 transition-colors ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300">
              <input type="radio" name="format" value={f.value} defaultChecked={f.value === 'JSON'} className="mt-0.5 size-4 shrink-0 accent-indigo-600" />
              <span className="min-w-0"><span className="block text-sm font-medium text-slate-900">{f.title}</span><span className="block text-xs text-slate-600">{f.hint}</span></span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className={label}>Events</legend>
        <p className={`mt-0.5 text-xs ${fieldError('events') ? 'text-red-700' : 'text-slate-500'}`}>{fieldError('events') ?? 'Deliveries are queued and retried with backoff when the endpoint fails.'}</p>
        <div className="mt-2 grid gap-2 sm:grid-cols-2 xl:grid-cols-3">
          {events.map((e) => (
            <label key={e.type} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 transition-colors ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300">
              <input type="checkbox" name="events" value={e.type} defaultChecked={e.type === 'share.revoked' || e.type === 'guest.access'} className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600" />
              <span className="min-w-0"><span className="block font-mono text-xs font-semibold text-slate-900">{e.type}</span><span className="block text-xs text-slate-600">{e.description}</span></span>
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={pending} className={button('primary')}><Icon name="plus" className="size-4" />{pending ? 'Adding…' : 'Add webhook'}</button>
    </form>
  );
}
