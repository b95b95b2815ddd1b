'use client';

import { CopyButton } from '../copy-button';
import { Notice } from '../ui/notice';

/** The one-time password, shown once, with what to do with it. */
export function OneTimePassword({ name, email, password }: { name: string; email: string; password: string }) {
  return (
    <div className="space-y-4" data-testid="one-time-password">
      <Notice tone="warning" title="Copy this password now. It will not be shown again.">
        Give it to {name} through a channel you trust. At first sign-in they must replace it with their own, and until then their session opens nothing else.
      </Notice>
      <dl className="grid gap-3 text-sm">
        <div>
          <dt className="font-medium text-slate-700">Sign-in email</dt>
          <dd className="mt-0.5 font-mono text-slate-900 break-all">{email}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">One-time password</dt>
          <dd className="mt-1 flex flex-col gap-2 sm:flex-row sm:items-center">
            <code className="block flex-1 rounded-md bg-slate-900 px-3 py-2.5 font-mono text-sm whitespace-nowrap text-emerald-300 select-all" data-testid="one-time-password-value">{password}</code>
            <CopyButton value={password} label="Copy password" size="md" />
          </dd>
        </div>
      </dl>
    </div>
  );
}
