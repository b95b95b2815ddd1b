'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Icon } from '@/components/ui/icons';
import { button, input, label } from '@/components/ui/styles';

// next-auth hands back our stable codes (lib/auth/next-auth.ts); these are what people read.
const MESSAGES: Record<string, { title: string; body: string }> = {
  invalid_credentials: { title: 'Email or password is incorrect', body: 'Check both and try again. After several failed attempts, sign-in is paused for a while.' },
  rate_limited: { title: 'Too many attempts', body: 'Sign-in is paused for this account or network. Wait a few minutes before trying again.' },
  database_unavailable: { title: 'The service is temporarily unavailable', body: 'Liaison cannot reach its database. Try again in a minute.' },
  internal: { title: 'Something went wrong on our side', body: 'Your sign-in could not be completed. Try again; if it keeps happening, contact your administrator.' },
  SessionRequired: { title: 'Please sign in', body: 'Your session has ended. Sign in to continue.' },
  CredentialsSignin: { title: 'Email or password is incorrect', body: 'Check both and try again.' },
};
const messageFor = (code: string) => MESSAGES[code] ?? MESSAGES.internal;

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await signIn('credentials', {
        redirect: false,
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        callbackUrl,
      });
      if (!res || res.error || !res.ok) {
        setError(res?.error ?? 'internal');
        setPending(false);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      // A non-JSON answer (proxy error page, server restarting) lands here.
      setError('internal');
      setPending(false);
    }
  }

  const msg = error ? messageFor(error) : null;
  return (
    <form onSubmit={onSubmit} className="mt-8 space-y-5">
      {msg ? (
        <div role="alert" className="flex gap-3 rounded-md bg-red-50 px-4 py-3 text-sm text-red-900 ring-1 ring-red-200 ring-inset" data-testid="signin-error">
          <Icon name="alert" className="mt-0.5 size-4 shrink-0 text-red-600" />
          <div><p className="font-medium">{msg.title}</p><p className="mt-0.5 text-red-800">{msg.body}</p></div>
        </div>
      ) : null}
      <div>
        <label htmlFor="email" className={label}>Email address</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus spellCheck={false} className={`${input} mt-1.5 h-10`} aria-invalid={error === 'invalid_credentials' || undefined} />
      </div>
      <div>
        <label htmlFor="password" className={label}>Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={`${input} mt-1.5 h-10`} aria-invalid={error === 'invalid_credentials' || undefined} />
      </div>
      <button type="submit" disabled={pending} className={button('primary', 'md', 'h-10 w-full')}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
