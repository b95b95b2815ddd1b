'use client';

import { getCsrfToken } from 'next-auth/react';
import { useState } from 'react';
import { Icon } from '../ui/icons';

/**
 * Signs out through next-auth's own route (POST /api/auth/signout), which ends the server-side
 * session. Only a confirmed sign-out leaves the console: if the session could not be ended (the
 * database is down), the cookie is kept and the person is told, rather than shown a sign-in page
 * while their session lives on.
 */
async function signOutNow(): Promise<string | null> {
  try {
    const csrfToken = await getCsrfToken();
    const res = await fetch('/api/auth/signout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: csrfToken ?? '', callbackUrl: '/signin', json: 'true' }),
    });
    const body = (await res.json().catch(() => null)) as { url?: string; error_description?: string } | null;
    // A failed CSRF check comes back as a redirect to next-auth's own sign-out page.
    if (!res.ok || !body?.url || body.url.includes('/api/auth/signout')) return body?.error_description ?? 'You were not signed out. Try again.';
  } catch {
    return 'You were not signed out: Liaison could not be reached. Try again.';
  }
  window.location.assign('/signin');
  return null;
}

export function SignOutButton({ compact = false }: { compact?: boolean }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          const failure = await signOutNow();
          if (failure) { setError(failure); setPending(false); }
        }}
        className={`flex items-center gap-2 rounded-md text-sm font-medium text-slate-300 transition-colors hover:bg-white/5 hover:text-white focus-visible:outline-indigo-400 disabled:opacity-60 ${compact ? 'px-2 py-1.5' : 'w-full px-3 py-2'}`}
        aria-label="Sign out"
        title={compact && error ? error : undefined}
      >
        <Icon name="logOut" className={`size-[18px] ${error ? 'text-red-300' : 'text-slate-400'}`} />
        {compact ? null : pending ? 'Signing out…' : 'Sign out'}
      </button>
      {error && !compact ? <p role="alert" className="px-3 pt-1 text-xs text-red-300">{error}</p> : null}
      {error && compact ? <span role="alert" className="sr-only">{error}</span> : null}
    </>
  );
}
