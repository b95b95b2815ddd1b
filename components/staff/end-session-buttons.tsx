'use client';

import { ConfirmDialog } from '../confirm-dialog';
import { button } from '../ui/styles';
import type { Act } from './types';

/** Ends one console session, after saying whose and what happens to them. */
export function EndSessionButton({ id, whose, device, action }: { id: string; whose: string | null; device: string; action: Act<{ id: string }, unknown> }) {
  return (
    <ConfirmDialog
      triggerLabel={<>End session<span className="sr-only"> {device}{whose ? ` of ${whose}` : ''}</span></>}
      triggerIcon="logOut"
      triggerClassName={button('danger-ghost', 'sm')}
      title="End this session?"
      confirmLabel="End session"
      pendingLabel="Ending…"
      onConfirm={async () => {
        const r = await action({ id });
        return r.ok ? { ok: true } : { ok: false, message: r.error.message };
      }}
    >
      <p>{whose ? <><span className="font-medium text-slate-900">{whose}</span> is</> : 'That browser is'} signed out at once ({device}). Their next click goes to the sign-in page, and open pages stop receiving updates.</p>
    </ConfirmDialog>
  );
}

/** Ends every session of one person except the one making the request. */
export function EndAllSessionsButton({ userId, whose, count, self, action, variant = 'danger-ghost' }: {
  userId: string; whose: string; count: number; self: boolean; action: Act<{ userId: string }, { endedCount: number }>; variant?: 'danger-ghost' | 'secondary';
}) {
  const label = self ? 'Sign out other sessions' : 'End all sessions';
  return (
    <ConfirmDialog
      triggerLabel={<>{label}<span className="sr-only">{self ? '' : ` of ${whose}`}</span></>}
      triggerIcon="ban"
      triggerClassName={button(variant, 'sm')}
      title={self ? 'Sign out your other sessions?' : `End all sessions of ${whose}?`}
      confirmLabel={label}
      pendingLabel="Ending…"
      onConfirm={async () => {
        const r = await action({ userId });
        return r.ok ? { ok: true } : { ok: false, message: r.error.message };
      }}
    >
      <p>
        {self
          ? `Every other browser signed in as you (${count}) is signed out at once. This one stays signed in.`
          : `${whose} is signed out of ${count === 1 ? 'their session' : `all ${count} sessions`} at once. They can sign in again unless you also disable the account.`}
      </p>
    </ConfirmDialog>
  );
}
