'use client';

import { useState, useTransition } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Icon } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';
import type { DomainAction } from './domain-types';

/** "Verify now" and "Remove" for one domain, with the outcome announced beside them. */
export function DomainActions({ portalId, id, hostname, verified, verify, remove }: {
  portalId: string; id: string; hostname: string; verified: boolean; verify: DomainAction; remove: DomainAction;
}) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-nowrap justify-end gap-1">
        <button type="button" className={button(verified ? 'ghost' : 'primary', 'sm')} disabled={pending}
          onClick={() => start(async () => {
            setMessage(null);
            const r = await verify({ portalId, id });
            if (!r.ok) setMessage({ tone: 'error', text: r.error.message });
            else setMessage(r.data.verified ? { tone: 'ok', text: verified ? 'Record still in place' : 'Verified: the domain now serves the portal' } : { tone: 'error', text: 'Not verified yet: see the reason below' });
          })}>
          <Icon name="refresh" className={`size-4 ${pending ? 'animate-spin' : ''}`} />{pending ? 'Checking…' : verified ? 'Check now' : 'Verify now'}<span className="sr-only"> {hostname}</span>
        </button>
        <ConfirmDialog
          triggerLabel={<>Remove<span className="sr-only"> {hostname}</span></>}
          triggerIcon="trash"
          title={`Remove ${hostname}?`}
          confirmLabel="Remove domain"
          pendingLabel="Removing…"
          onConfirm={async () => {
            const r = await remove({ portalId, id });
            return r.ok ? { ok: true } : { ok: false, message: r.error.message };
          }}
        >
          <p>{verified ? <>Guests who open <span className="font-mono text-xs text-slate-900">https://{hostname}/</span> will see a page that says nothing is served there, from the next request on. The portal stays reachable at its other addresses.</> : <>The claim and its verification value are deleted. Adding the domain again gives a new value.</>}</p>
          <p className="mt-2">You can then delete the TXT record. The removal is recorded in the audit trail.</p>
        </ConfirmDialog>
      </div>
      {message ? <span role={message.tone === 'error' ? 'alert' : 'status'} className={`text-xs ${message.tone === 'error' ? 'text-red-700' : 'text-emerald-700'}`}>{message.text}</span> : null}
    </div>
  );
}
