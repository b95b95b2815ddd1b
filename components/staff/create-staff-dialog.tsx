'use client';

import { useId, useRef, useState, useTransition } from 'react';
import { Modal, ModalActions } from '../shares/modal';
import { Icon } from '../ui/icons';
import { button, input, label } from '../ui/styles';
import { OneTimePassword } from './one-time-password';
import { RoleFieldset } from './role-fieldset';
import type { Act, IssuedPasswordResult } from './types';

type Input = { email: string; name: string; role: string };

export function CreateStaffDialog({ action }: { action: Act<Input, IssuedPasswordResult> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const [pending, start] = useTransition();
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [created, setCreated] = useState<IssuedPasswordResult | null>(null);

  const open = () => { setError(null); setCreated(null); formRef.current?.reset(); ref.current?.showModal(); };
  const close = () => ref.current?.close();
  const fieldError = (k: string) => error?.fields?.[k];

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const data = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), role: String(form.get('role') ?? 'MEMBER') };
    start(async () => {
      setError(null);
      const r = await action(data);
      if (r.ok) setCreated(r.data);
      else setError(r.error);
    });
  }

  return (
    <>
      <button type="button" onClick={open} className={button('primary')} data-testid="add-staff">
        <Icon name="userPlus" className="size-4" />Add staff member
      </button>
      <Modal ref={ref} title={created ? 'Account created' : 'Add a staff member'} busy={pending}
        description={created ? `${created.user.name} can now sign in.` : 'They sign in with a one-time password that you hand over, and choose their own at first sign-in.'}>
        {created ? (
          <>
            <div className="overflow-y-auto px-6 py-5"><OneTimePassword name={created.user.name} email={created.user.email} password={created.oneTimePassword} /></div>
            <ModalActions><button type="button" className={button('primary')} onClick={close} autoFocus>I have copied the password</button></ModalActions>
          </>
        ) : (
          <form ref={formRef} onSubmit={onSubmit} noValidate className="flex min-h-0 flex-col">
            <div className="space-y-5 overflow-y-auto px-6 py-5">
              {error && !error.fields ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset">{error.message}</p> : null}
              <div>
                <label htmlFor={`${id}-name`} className={label}>Full name</label>
                <input id={`${id}-name`} name="name" type="text" required maxLength={100} autoComplete="off" className={`${input} mt-1.5`}
                  aria-invalid={Boolean(fieldError('name')) || undefined} aria-describedby={fieldError('name') ? `${id}-name-error` : undefined} />
                {fieldError('name') ? <p id={`${id}-name-error`} className="mt-1 text-xs text-red-700">{fieldError('name')}</p> : null}
              </div>
              <div>
                <label htmlFor={`${id}-email`} className={label}>Work email</label>
                <input id={`${id}-email`} name="email" type="email" required maxLength={254} autoComplete="off" spellCheck={false} className={`${input} mt-1.5`}
                  aria-invalid={Boolean(fieldError('email')) || undefined} aria-describedby={`${id}-email-hint`} />
                <p id={`${id}-email-hint`} className={`mt-1 text-xs ${fieldError('email') ? 'text-red-700' : 'text-slate-500'}`}>{fieldError('email') ?? 'They sign in with this address.'}</p>
              </div>
              <RoleFieldset name="role" defaultValue="MEMBER" />
            </div>
            <ModalActions error={null}>
              <button type="button" className={button('secondary')} onClick={close} disabled={pending}>Cancel</button>
              <button type="submit" className={button('primary')} disabled={pending}>{pending ? 'Creating…' : 'Create account'}</button>
            </ModalActions>
          </form>
        )}
      </Modal>
    </>
  );
}
