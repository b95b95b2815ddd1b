'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Icon } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';
import { deleteWebhookAction, setWebhookEnabledAction, testWebhookAction } from './actions';

export function WebhookActions({ id, url, enabled, afterDelete }: { id: string; url: string; enabled: boolean; afterDelete?: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const run = (fn: () => Promise<{ ok: boolean; error?: { message: string } }>, done: string) => start(async () => {
    setMessage(null);
    const r = await fn();
    setMessage(r.ok ? { tone: 'ok', text: done } : { tone: 'error', text: r.error?.message ?? 'Failed' });
  });
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-nowrap justify-end gap-1">
        <button type="button" className={button('ghost', 'sm')} disabled={pending || !enabled} title={enabled ? undefined : 'Enable the webhook first'}
          onClick={() => run(() => testWebhookAction({ id }), 'Test event queued')}>
          <Icon name="send" className="size-4" />Send test<span className="sr-only"> event to {url}</span>
        </button>
        <button type="button" className={button('ghost', 'sm')} disabled={pending}
          onClick={() => run(() => setWebhookEnabledAction({ id, enabled: !enabled }), enabled ? 'Disabled' : 'Enabled')}>
          <Icon name={enabled ? 'ban' : 'check'} className="size-4" />{enabled ? 'Disable' : 'Enable'}<span className="sr-only"> webhook {url}</span>
        </button>
        <ConfirmDialog
          triggerLabel={<>Delete<span className="sr-only"> webhook {url}</span></>}
          triggerIcon="trash"
          title="Delete this webhook?"
          confirmLabel="Delete webhook"
          pendingLabel="Deleting…"
          onConfirm={async () => {
            const r = await deleteWebhookAction({ id });
            if (r.ok && afterDelete) router.push(afterDelete);
            return r.ok ? { ok: true } : { ok: false, message: r.error.message };
          }}
        >
          <p><span className="font-mono text-xs break-all text-slate-900">{url}</span> stops receiving events at once. Its delivery history and any deliveries still queued are deleted.</p>
          <p className="mt-2">The deletion is recorded in the audit trail.</p>
        </ConfirmDialog>
      </div>
      {message ? <span role={message.tone === 'error' ? 'alert' : 'status'} className={`text-xs ${message.tone === 'error' ? 'text-red-700' : 'text-emerald-700'}`}>{message.text}</span> : null}
    </div>
  );
}
