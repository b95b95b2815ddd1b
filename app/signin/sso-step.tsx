'use client';

import { useState } from 'react';
import { Icon } from '@/components/ui/icons';
import { button, input, label } from '@/components/ui/styles';

/**
 * "Sign in with single sign-on": the person types their work address; the server answers with the
 * organisation's identity provider for that address, or with the same "not available" for any other.
 */
export function SsoStep({ offer, unavailable }: { offer: { providerId: string; name: string; email: string } | null; unavailable: boolean }) {
  const [open, setOpen] = useState(unavailable);
  if (offer) {
    return (
      <div className="space-y-3" data-testid="sso-offer">
        <a href={`/sso/${encodeURIComponent(offer.providerId)}/start?purpose=staff&login_hint=${encodeURIComponent(offer.email)}`} className={button('secondary', 'md', 'h-10 w-full')}>
          <Icon name="shield" className="size-4 text-indigo-600" />Sign in with {offer.name}
        </a>
        <p className="text-center text-xs text-slate-500">as <span className="font-medium text-slate-700">{offer.email}</span> · <a href="/signin" className="text-indigo-700 hover:underline">use another address</a></p>
      </div>
    );
  }
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className={button('secondary', 'md', 'h-10 w-full')}>
        <Icon name="shield" className="size-4 text-indigo-600" />Sign in with single sign-on
      </button>
    );
  }
  return (
    <form method="post" action="/sso/staff" className="space-y-3" data-testid="sso-step">
      {unavailable ? (
        <p role="status" className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200 ring-inset">Single sign-on is not set up for that address. Sign in with your password, or ask your administrator.</p>
      ) : null}
      <div>
        <label htmlFor="sso-email" className={label}>Work email address</label>
        <input id="sso-email" name="email" type="email" autoComplete="username" required autoFocus={!unavailable} spellCheck={false} className={`${input} mt-1.5 h-10`} />
      </div>
      <button type="submit" className={button('secondary', 'md', 'h-10 w-full')}>Continue with single sign-on</button>
    </form>
  );
}
