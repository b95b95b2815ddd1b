'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { button, input, label } from '@/components/ui/styles';
import { Notice } from '@/components/ui/notice';
import { changePasswordAction } from './actions';

export function PasswordForm({ currentLabel = 'Current password' }: { currentLabel?: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; message: string; fields?: Record<string, string> } | null>(null);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        if (data.get('next') !== data.get('confirm')) {
          setResult({ ok: false, message: 'The new passwords do not match.', fields: { confirm: 'Does not match' } });
          return;
        }
        start(async () => {
          const r = await changePasswordAction({ current: String(data.get('current')), next: String(data.get('next')) });
          if (r.ok) {
            form.reset();
            const others = r.data.endedSessions;
            setResult({ ok: true, message: `Your password has been changed.${others ? ` ${others === 1 ? 'Your other session was' : `Your ${others} other sessions were`} signed out.` : ''}` });
            // The session list below, and a console locked behind a one-time password, reflect the change.
            router.refresh();
          }
          else setResult({ ok: false, message: r.error.message, fields: r.error.fields });
        });
      }}
    >
      {result ? <Notice tone={result.ok ? 'success' : 'error'} title={result.ok ? 'Password changed' : 'Password not changed'}>{result.message}</Notice> : null}
      {(['current', 'next', 'confirm'] as const).map((name) => (
        <div key={name}>
          <label htmlFor={`pw-${name}`} className={label}>{name === 'current' ? currentLabel : name === 'next' ? 'New password (at least 12 characters)' : 'Repeat the new password'}</label>
          <input id={`pw-${name}`} name={name} type="password" required autoComplete={name === 'current' ? 'current-password' : 'new-password'}
            aria-invalid={Boolean(result?.fields?.[name])} className={`${input} mt-1`} />
          {result?.fields?.[name] ? <p className="mt-1 text-sm text-red-700">{result.fields[name]}</p> : null}
        </div>
      ))}
      <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Changing…' : 'Change password'}</button>
    </form>
  );
}
