'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ConfirmDialog } from '../confirm-dialog';
import { Icon } from '../ui/icons';
import type { Act } from '../staff/types';
import { button } from '../ui/styles';

type DeviceAct = Act<{ id: string }, unknown>;

/** Approving lets a device in; it is reversible at once (Revoke), so it needs no confirmation step. */
export function ApproveDeviceButton({ id, what, action }: { id: string; what: string; action: DeviceAct }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button type="button" className={button('primary', 'sm')} disabled={pending}
        onClick={() => start(async () => {
          setError(null);
          const r = await action({ id });
          if (r.ok) router.refresh();
          else setError(r.error.message);
        })}>
        <Icon name="check" className="size-4" />{pending ? 'Approving…' : <>Approve<span className="sr-only"> device {what}</span></>}
      </button>
      {error ? <span role="alert" className="max-w-[14rem] text-right text-xs text-red-700">{error}</span> : null}
    </span>
  );
}

/** Revoking refuses the device from the next request on and cuts the guest's open connections. */
export function RevokeDeviceButton({ id, what, pending, action }: { id: string; what: string; pending: boolean; action: DeviceAct }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel={<>{pending ? 'Decline' : 'Revoke'}<span className="sr-only"> device {what}</span></>}
      triggerIcon="ban"
      triggerClassName={button('danger-ghost', 'sm')}
      title={pending ? 'Decline this device?' : 'Revoke this device?'}
      confirmLabel={pending ? 'Decline device' : 'Revoke device'}
      pendingLabel="Revoking…"
      onConfirm={async () => {
        const r = await action({ id });
        if (!r.ok) return { ok: false, message: r.error.message };
        router.refresh();
        return { ok: true };
      }}
    >
      {/* The trigger sits in a nowrap table cell; the dialog's text must wrap all the same. */}
      <p className="whitespace-normal">
        {what} is refused on every share and portal that requires an approved device, from its next request on, and the
        guest&rsquo;s open connections are cut. Registering the same browser again does not bring it back; only an approval does.
      </p>
    </ConfirmDialog>
  );
}
