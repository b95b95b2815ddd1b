'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Icon } from '../ui/icons';

export function SignOutButton({ compact = false }: { compact?: boolean }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => { setPending(true); void signOut({ callbackUrl: '/signin' }); }}
      className={`flex items-center gap-2 rounded-md text-sm font-medium text-slate-300 transition-colors hover:bg-white/5 hover:text-white focus-visible:outline-indigo-400 disabled:opacity-60 ${compact ? 'px-2 py-1.5' : 'w-full px-3 py-2'}`}
      aria-label="Sign out"
    >
      <Icon name="logOut" className="size-[18px] text-slate-400" />
      {compact ? null : pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
