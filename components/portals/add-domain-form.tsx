'use client';

import { useId, useRef, useState, useTransition } from 'react';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { button, input, label } from '@/components/ui/styles';
import type { AddDomainAction } from './domain-types';

/** Adds a custom domain; the new claim appears in the list below with the TXT record to create. */
export function AddDomainForm({ portalId, action }: { portalId: string; action: AddDomainAction }) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [pending, start] = useTransition();
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  return (
    <form ref={form} noValidate className="space-y-3" data-testid="add-domain-form" onSubmit={(e) => {
      e.preventDefault();
      const hostname = String(new FormData(e.currentTarget).get('hostname') ?? '').trim();
      if (!hostname) { setError({ field: 'Enter a host name, such as portal.example.com.', message: '' }); return; }
      start(async () => {
        setError(null);
        setAdded(null);
        const r = await action({ portalId, hostname });
        if (!r.ok) {
          // Messages about the name itself start with "hostname: " (lib/portals/hostname.ts).
          const m = r.error.fields?.hostname ?? (r.error.message.startsWith('hostname: ') ? r.error.message.slice(10) : undefined);
          setError(m ? { field: m.charAt(0).toUpperCase() + m.slice(1), message: '' } : { message: r.error.message });
          return;
        }
        setAdded(r.data.hostname);
        form.current?.reset();
      });
    }}>
      {error?.message ? <Notice tone="error" title="The domain was not added">{error.message}</Notice> : null}
      {added ? <Notice tone="success" title={`${added} added`}>Create the TXT record shown below for it, then choose Verify now.</Notice> : null}
      <div>
        <label htmlFor={`${id}-host`} className={label}>Host name</label>
        <div className="mt-1.5 flex max-w-xl flex-col gap-2 sm:flex-row">
          <input id={`${id}-host`} name="hostname" type="text" inputMode="url" autoComplete="off" autoCapitalize="none" spellCheck={false}
            placeholder="portal.example.com" className={`${input} flex-1 font-mono`}
            aria-invalid={Boolean(error?.field) || undefined} aria-describedby={`${id}-hint`} />
          <button type="submit" disabled={pending} className={button('primary', 'md')}><Icon name="plus" className="size-4" />{pending ? 'Adding…' : 'Add domain'}</button>
        </div>
        <p id={`${id}-hint`} className={`mt-1 text-xs ${error?.field ? 'text-red-700' : 'text-slate-500'}`}>
          {error?.field ?? 'A name you control in DNS, such as portal.example.com. Point it at this Liaison (CNAME or A record) through your TLS proxy.'}
        </p>
      </div>
    </form>
  );
}
