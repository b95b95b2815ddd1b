'use client';

import { ConfirmDialog } from '@/components/confirm-dialog';
import { button } from '@/components/ui/styles';
import { revokeApiKeyAction } from './actions';

export function RevokeKeyButton({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  return (
    <ConfirmDialog
      triggerLabel={<>Revoke<span className="sr-only"> key {name}</span></>}
      triggerIcon="ban"
      triggerClassName={button('danger-ghost', 'sm')}
      title="Revoke this API key?"
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      onConfirm={async () => {
        const r = await revokeApiKeyAction({ id });
        return r.ok ? { ok: true } : { ok: false, message: r.error.message };
      }}
    >
      <p>“<span className="font-medium text-slate-900">{name}</span>” (<code className="font-mono text-xs">{prefix}</code>) stops working immediately. Integrations that use it will get <code className="font-mono text-xs">401 invalid_token</code>.</p>
      <p className="mt-2">Revocation is recorded in the audit trail and cannot be undone.</p>
    </ConfirmDialog>
  );
}
