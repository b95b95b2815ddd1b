'use client';

import { useRouter } from 'next/navigation';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { button } from '@/components/ui/styles';
import { deletePartnerAction } from '../actions';

export function DeletePartner({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel={<>Delete<span className="sr-only"> partner organisation {name}</span></>}
      triggerIcon="trash"
      triggerClassName={button('secondary', 'md', 'text-red-700')}
      title={`Delete ${name}?`}
      confirmLabel="Delete partner"
      pendingLabel="Deleting…"
      onConfirm={async () => {
        const r = await deletePartnerAction({ id });
        if (r.ok) router.push('/settings/partners');
        return r.ok ? { ok: true } : { ok: false, message: r.error.message };
      }}
    >
      <p>Its identity provider is removed at once: its people can no longer sign in through it. Their guest records stay, for the audit trail.</p>
      <p className="mt-2">The deletion is recorded in the audit trail.</p>
    </ConfirmDialog>
  );
}
