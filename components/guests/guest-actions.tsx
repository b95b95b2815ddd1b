'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../confirm-dialog';
import type { Act } from '../staff/types';
import { button, input } from '../ui/styles';

const outcome = (r: { ok: true } | { ok: false; error: { message: string } }) => (r.ok ? { ok: true as const } : { ok: false as const, message: r.error.message });

/** Ends one guest session; the guest's next request is refused, whichever way it comes. */
export function RevokeSessionButton({ id, what, action }: { id: string; what: string; action: Act<{ id: string }, unknown> }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel={<>End<span className="sr-only"> session {what}</span></>}
      triggerIcon="logOut"
      triggerClassName={button('danger-ghost', 'sm')}
      title="End this session?"
      confirmLabel="End session"
      pendingLabel="Ending…"
      onConfirm={async () => {
        const r = outcome(await action({ id }));
        if (r.ok) router.refresh();
        return r;
      }}
    >
      <p>The guest is signed out of {what} at once: their next page, download or API call is refused, and open viewers stop. They can open the share again only if its conditions still let them in.</p>
    </ConfirmDialog>
  );
}

/** Ends every session of a guest (an admin: all of them; a member: those on their own shares). */
export function RevokeAllSessionsButton({ guestId, who, count, everywhere, action }: {
  guestId: string; who: string; count: number; everywhere: boolean; action: Act<{ guestId: string }, { revokedCount: number }>;
}) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel="End all sessions"
      triggerIcon="ban"
      triggerClassName={button('secondary')}
      title={`End all sessions of ${who}?`}
      confirmLabel="End all sessions"
      pendingLabel="Ending…"
      onConfirm={async () => {
        const r = outcome(await action({ guestId }));
        if (r.ok) router.refresh();
        return r;
      }}
    >
      <p>
        {count === 0 ? 'No session is open right now; ' : `${count === 1 ? 'The open session ends' : `All ${count} open sessions end`} at once; `}
        {everywhere ? 'every token issued to this guest before now stops working, on every share.' : 'this covers the shares you created. Sessions on colleagues\u2019 shares are theirs to end.'}
        {' '}The guest is not blocked: to keep them out, disable them.
      </p>
    </ConfirmDialog>
  );
}

/** Disables a guest, with a reason kept on the guest and in the audit trail. */
export function DisableGuestButton({ guestId, who, action }: { guestId: string; who: string; action: Act<{ guestId: string; reason?: string }, unknown> }) {
  const router = useRouter();
  const id = useId();
  const [reason, setReason] = useState('');
  return (
    <ConfirmDialog
      triggerLabel="Disable guest"
      triggerIcon="shieldAlert"
      triggerClassName={button('danger')}
      title={`Disable ${who}?`}
      confirmLabel="Disable guest"
      pendingLabel="Disabling…"
      onConfirm={async () => {
        const r = outcome(await action({ guestId, reason: reason.trim() || undefined }));
        if (r.ok) { setReason(''); router.refresh(); }
        return r;
      }}
    >
      <p>Every open session ends now, and no share or portal lets this guest in until you enable them again.</p>
      <label htmlFor={`${id}-reason`} className="mt-4 block text-sm font-medium text-slate-700">Reason <span className="font-normal text-slate-400">Optional</span></label>
      <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={500}
        placeholder="e.g. Engagement ended; forwarded a document" className={`${input} mt-1.5 resize-y`} data-testid="disable-reason" />
      <p className="mt-1 text-xs text-slate-500">Kept with the guest and in the audit trail. Up to 500 characters.</p>
    </ConfirmDialog>
  );
}

export function EnableGuestButton({ guestId, who, action }: { guestId: string; who: string; action: Act<{ guestId: string }, unknown> }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel="Enable guest"
      triggerIcon="check"
      triggerClassName={button('secondary')}
      tone="primary"
      title={`Enable ${who}?`}
      confirmLabel="Enable guest"
      pendingLabel="Enabling…"
      onConfirm={async () => {
        const r = outcome(await action({ guestId }));
        if (r.ok) router.refresh();
        return r;
      }}
    >
      <p>The guest may open their shares again, under each share&rsquo;s own conditions. Sessions that were ended stay ended.</p>
    </ConfirmDialog>
  );
}
