'use client';

import { useRouter } from 'next/navigation';
import type { ActionResult } from '@/lib/http/action';
import { ConfirmDialog } from '../confirm-dialog';
import { button } from '../ui/styles';

/** Archive (with confirmation) or restore a portal. */
export function ArchivePortalButton({ portalId, archived, action }: { portalId: string; archived: boolean; action: (id: string, archived: boolean) => Promise<ActionResult<{ id: string }>> }) {
  const router = useRouter();
  const run = async () => {
    const r = await action(portalId, !archived);
    if (!r.ok) return { ok: false as const, message: r.error.message };
    router.refresh();
    return { ok: true as const };
  };
  if (archived) {
    return (
      <ConfirmDialog tone="primary" triggerLabel="Restore portal" triggerIcon="refresh" triggerClassName={button('primary')} title="Restore this portal?"
        confirmLabel="Restore portal" pendingLabel="Restoring…" onConfirm={run}>
        <p>The portal comes back online at its address. Guests whose grants are still active can sign in again; sessions ended by archiving stay ended.</p>
      </ConfirmDialog>
    );
  }
  return (
    <ConfirmDialog triggerLabel="Archive portal" triggerIcon="archive" triggerClassName={button('secondary', 'md', 'text-red-700 hover:bg-red-50')} title="Archive this portal?"
      confirmLabel="Archive portal" pendingLabel="Archiving…" onConfirm={run}>
      <p>The portal goes offline at once, and every guest signed in to it is signed out. Its sections, grants and history are kept.</p>
    </ConfirmDialog>
  );
}
