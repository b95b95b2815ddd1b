import type { InvitationPage } from '@/lib/guest/invitation-accept';
import { Icon } from '../ui/icons';
import { button, input } from '../ui/styles';
import { utc } from './format';

type Pending = Extract<InvitationPage, { state: 'pending' }>;

const ERRORS: Record<string, string> = {
  invalid_password: 'That password is not correct.',
  conflict: 'This invitation has just been accepted. Sign in with your password instead.',
  rate_limited: 'Too many attempts. Wait a while and try again.',
  expired: 'This invitation has expired. Ask the sender to invite you again.',
  revoked: 'The sender has withdrawn this invitation.',
  bad_request: 'Something was wrong with the form. Try again.',
  internal: 'Something went wrong on our side. Try again shortly.',
};

/**
 * Accepting an invitation: a new guest chooses a password (and may set up an authenticator app); a
 * guest with an account signs in with theirs. Plain HTML form: works without JavaScript.
 */
export function InvitationForm({ secret, invitation: inv, totp, error, why }: { secret: string; invitation: Pending; totp: { secret: string; qr: string }; error?: string; why?: string }) {
  const message = error === 'validation_failed' ? (why ?? 'Check the form and try again.') : error ? (ERRORS[error] ?? 'The invitation could not be accepted.') : null;
  if (inv.ssoUrl) {
    return (
      <section className="mx-auto max-w-lg space-y-5 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <Heading inv={inv} />
        <p className="text-sm text-slate-700">Your organisation signs you in with its own account. Continue to its sign-in page; you will come back to the documents afterwards.</p>
        <a href={inv.ssoUrl} className={button('primary', 'md', 'h-11 w-full text-sm font-semibold')}><Icon name="lock" className="size-4" />Sign in with your organisation</a>
      </section>
    );
  }
  return (
    <form method="post" action={`/i/${secret}/accept`} className="mx-auto max-w-lg space-y-6 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <Heading inv={inv} />
      {inv.message ? (
        <blockquote className="rounded-lg bg-slate-50 px-4 py-3 text-sm whitespace-pre-wrap text-slate-700 ring-1 ring-slate-200 ring-inset [overflow-wrap:anywhere]">
          {inv.message}
          {inv.inviterName ? <footer className="mt-2 text-xs text-slate-500">— {inv.inviterName}</footer> : null}
        </blockquote>
      ) : null}
      {message ? <p role="alert" className="flex items-start gap-2 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200 ring-inset"><Icon name="alert" className="mt-0.5 size-4 shrink-0 text-red-600" />{message}</p> : null}
      {inv.hasAccount ? (
        <div>
          <p className="mb-3 text-sm text-slate-700">You already have an account with {inv.orgName}. Sign in with its password to accept.</p>
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">Password</label>
          <input id="password" name="password" type="password" required autoComplete="current-password" className={`${input} mt-1.5 py-2.5`} />
        </div>
      ) : (
        <>
          <div>
            <label htmlFor="password" className="block text-sm font-medium text-slate-800">Choose a password</label>
            <input id="password" name="password" type="password" required minLength={12} maxLength={256} autoComplete="new-password" aria-describedby="password-hint"
              aria-invalid={error === 'validation_failed' || undefined} className={`${input} mt-1.5 py-2.5`} />
            <p id="password-hint" className="mt-1.5 text-xs text-slate-500">At least 12 characters. Common or breached passwords are refused; a short sentence works well.</p>
          </div>
          <div>
            <label htmlFor="confirm" className="block text-sm font-medium text-slate-800">Repeat the password</label>
            <input id="confirm" name="confirm" type="password" required minLength={12} maxLength={256} autoComplete="new-password" className={`${input} mt-1.5 py-2.5`} />
          </div>
          <details className="group rounded-lg ring-1 ring-slate-200 ring-inset open:bg-slate-50/60">
            <summary className="flex cursor-pointer items-center gap-2 rounded-lg px-4 py-3 text-sm font-medium text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
              <Icon name="shieldCheck" className="size-4 text-indigo-600" />Also protect it with an authenticator app <span className="font-normal text-slate-500">(optional)</span>
            </summary>
            <div className="space-y-4 px-4 pb-4">
              <p className="text-sm text-slate-600">Scan this code with an authenticator app (or type the key), then enter the 6-digit code it shows. You will be asked for a code each time you sign in.</p>
              <div className="flex flex-wrap items-center gap-4">
                <div aria-label="QR code for your authenticator app" role="img" className="size-36 shrink-0 rounded-md bg-white p-1 ring-1 ring-slate-200 [&>svg]:size-full" dangerouslySetInnerHTML={{ __html: totp.qr }} />
                <div className="min-w-0 text-xs text-slate-600">
                  <p className="font-medium text-slate-800">Key</p>
                  <code className="mt-1 block font-mono text-sm tracking-wider break-all text-slate-900">{totp.secret.match(/.{1,4}/g)?.join(' ')}</code>
                </div>
              </div>
              <input type="hidden" name="totpSecret" value={totp.secret} />
              <div>
                <label htmlFor="totpCode" className="block text-sm font-medium text-slate-800">Code from the app</label>
                <input id="totpCode" name="totpCode" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" className={`${input} mt-1.5 w-40 py-2.5 font-mono tracking-widest`} />
              </div>
            </div>
          </details>
        </>
      )}
      <button type="submit" className={button('primary', 'md', 'h-11 w-full text-sm font-semibold')}>
        <Icon name="check" className="size-4" />{inv.hasAccount ? 'Sign in and accept' : 'Accept and open the documents'}
      </button>
      <p className="text-center text-xs text-slate-500">Invitation for {inv.email} · valid until {utc(inv.expiresAt)}</p>
    </form>
  );
}

function Heading({ inv }: { inv: Pending }) {
  return (
    <div className="flex items-start gap-4">
      <span aria-hidden className="grid size-11 shrink-0 place-items-center rounded-full bg-indigo-50 text-indigo-600 ring-4 ring-indigo-50/50"><Icon name="mail" className="size-5" /></span>
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">You have been invited</h1>
        <p className="mt-1 text-sm text-slate-600">{inv.inviterName ? `${inv.inviterName} of ` : ''}{inv.orgName} shared <span className="font-medium text-slate-800">{inv.what}</span> with <span className="font-medium break-all text-slate-800">{inv.email}</span>.</p>
      </div>
    </div>
  );
}
