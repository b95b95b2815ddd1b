'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { ConfirmDialog } from '../confirm-dialog';
import { Modal, ModalActions } from '../shares/modal';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button } from '../ui/styles';
import { roleLabel, type Role } from './labels';
import { OneTimePassword } from './one-time-password';
import { RoleFieldset } from './role-fieldset';
import type { Act, IssuedPasswordResult } from './types';

export interface RowUser { id: string; name: string; email: string; role: Role; disabled: boolean }

type UpdateInput = { id: string; role?: Role; disabled?: boolean };

/**
 * Change role, disable or re-enable, reset password: each says what it ends before it does it. The
 * last active administrator's demote and disable controls are off, and the server refuses them anyway.
 */
export function StaffRowActions({ user, self, lastAdmin, update, reset }: {
  user: RowUser; self: boolean; lastAdmin: boolean;
  update: Act<UpdateInput, unknown>; reset: Act<{ id: string }, IssuedPasswordResult>;
}) {
  return (
    <div className="flex items-center gap-0.5">
      {!user.disabled ? <ChangeRole user={user} self={self} lastAdmin={lastAdmin} update={update} /> : null}
      {user.disabled ? (
        <ConfirmDialog tone="primary" triggerLabel={<>Enable<span className="sr-only"> {user.name}</span></>} triggerIcon="check" triggerClassName={button('ghost', 'sm', 'px-2')}
          title={`Enable ${user.name}?`} confirmLabel="Enable account" pendingLabel="Enabling…"
          onConfirm={async () => { const r = await update({ id: user.id, disabled: false }); return r.ok ? { ok: true } : { ok: false, message: r.error.message }; }}>
          <p>They can sign in again with their password. Sessions ended when the account was disabled stay ended.</p>
        </ConfirmDialog>
      ) : lastAdmin ? (
        <span className={`${button('ghost', 'sm', 'px-2')} cursor-not-allowed opacity-50`} title="The last active administrator cannot be disabled" aria-disabled="true">
          <Icon name="ban" className="size-4" />Disable
        </span>
      ) : (
        <ConfirmDialog triggerLabel={<>Disable<span className="sr-only"> {user.name}</span></>} triggerIcon="ban" triggerClassName={button('danger-ghost', 'sm', 'px-2')}
          title={self ? 'Disable your own account?' : `Disable ${user.name}?`} confirmLabel="Disable account" pendingLabel="Disabling…"
          onConfirm={async () => {
            const r = await update({ id: user.id, disabled: true });
            if (r.ok && self) window.location.assign('/signin');
            return r.ok ? { ok: true } : { ok: false, message: r.error.message };
          }}>
          <p>{self ? 'You' : <span className="font-medium text-slate-900">{user.name}</span>} will be signed out of every session at once and cannot sign in until an administrator enables the account again.</p>
          <p className="mt-2">Their documents, shares and audit history stay as they are.</p>
        </ConfirmDialog>
      )}
      {!self ? <ResetPassword user={user} reset={reset} /> : null}
    </div>
  );
}

function ChangeRole({ user, self, lastAdmin, update }: { user: RowUser; self: boolean; lastAdmin: boolean; update: Act<UpdateInput, unknown> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const locked = lastAdmin && user.role === 'ADMIN';
  return (
    <>
      <button type="button" className={button('ghost', 'sm', 'px-2')} onClick={() => { setError(null); ref.current?.showModal(); }}>
        <Icon name="users" className="size-4" />Role<span className="sr-only"> of {user.name}</span>
      </button>
      <Modal ref={ref} title={`Change the role of ${user.name}`} description={`Currently ${roleLabel(user.role)}.`} busy={pending}>
        <form className="flex min-h-0 flex-col" onSubmit={(e) => {
          e.preventDefault();
          const role = String(new FormData(e.currentTarget).get('role')) as Role;
          start(async () => {
            setError(null);
            if (role === user.role) { ref.current?.close(); return; }
            const r = await update({ id: user.id, role });
            if (r.ok) ref.current?.close();
            else setError(r.error.message);
          });
        }}>
          <div className="space-y-4 overflow-y-auto px-6 py-5">
            {locked ? (
              <Notice tone="warning" title="The last active administrator">Make someone else an administrator before changing this role.</Notice>
            ) : (
              <Notice tone="info">{self ? 'Your other sessions will be signed out; this one continues with the new role.' : `${user.name} will be signed out of every session and signs in again with the new role.`}</Notice>
            )}
            <RoleFieldset name="role" defaultValue={user.role} legend="New role" />
          </div>
          <ModalActions error={error}>
            <button type="button" className={button('secondary')} onClick={() => ref.current?.close()} disabled={pending}>Cancel</button>
            <button type="submit" className={button('primary')} disabled={pending || locked}>{pending ? 'Saving…' : 'Change role'}</button>
          </ModalActions>
        </form>
      </Modal>
    </>
  );
}

function ResetPassword({ user, reset }: { user: RowUser; reset: Act<{ id: string }, IssuedPasswordResult> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [issued, setIssued] = useState<IssuedPasswordResult | null>(null);
  useEffect(() => { if (issued) ref.current?.showModal(); }, [issued]);
  return (
    <>
      <ConfirmDialog triggerLabel={<>Reset<span className="sr-only"> password of {user.name}</span></>} triggerIcon="key" triggerClassName={button('ghost', 'sm', 'px-2')}
        title={`Reset the password of ${user.name}?`} confirmLabel="Reset password" pendingLabel="Resetting…"
        onConfirm={async () => {
          const r = await reset({ id: user.id });
          if (!r.ok) return { ok: false, message: r.error.message };
          setIssued(r.data);
          return { ok: true };
        }}>
        <p>Their current password stops working and every session of theirs ends now. You will get a one-time password to hand over; they choose their own at first sign-in.</p>
      </ConfirmDialog>
      <Modal ref={ref} title="New one-time password" description={issued ? `For ${issued.user.name}.` : undefined}>
        {issued ? (
          <>
            <div className="overflow-y-auto px-6 py-5"><OneTimePassword name={issued.user.name} email={issued.user.email} password={issued.oneTimePassword} /></div>
            <ModalActions><button type="button" className={button('primary')} onClick={() => { ref.current?.close(); setIssued(null); }}>I have copied the password</button></ModalActions>
          </>
        ) : null}
      </Modal>
    </>
  );
}
