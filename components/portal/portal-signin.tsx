import { Icon } from '../ui/icons';
import { input } from '../ui/styles';
import { portalButton, portalLink } from './portal-shell';

const ERRORS: Record<string, string> = {
  invalid_code: 'That code is not correct, or it has expired. Check the latest mail, or ask for a new code.',
  invalid_password: 'That email address and password do not match.',
  totp_required: 'Enter the 6-digit code from your authenticator app as well.',
  rate_limited: 'Too many attempts. Wait a while and try again.',
  email_required: 'This address has no access to this portal. Check the address, or ask your contact for access.',
  validation_failed: 'Check the email address and try again.',
  invalid_token: 'Your session has ended. Sign in again.',
  device_denied: 'This portal opens only on a device your contact has approved. If this browser is new, it is now waiting for approval: sign in again once it has been approved. A browser that cannot keep a device key (a private window, say) cannot open it.',
  not_found: 'This portal is not available here.',
  terms_required: 'You need to accept the terms to continue.',
  audit_unavailable: 'We could not record your sign-in just now, so nothing was opened. Try again in a moment.',
  database_unavailable: 'The service is briefly unavailable. Try again in a moment.',
};

export type SignInStep = 'email' | 'code' | 'password' | 'sso';

/** Signing in to a portal: a one-time code by mail, or a registered guest's password. Plain forms, no script needed. */
export function PortalSignIn({ base, step, email, welcome, portalName, error, retry, sso }: {
  base: string; step: SignInStep; email: string | null; welcome: string; portalName: string; error?: string; retry?: string;
  /** A partner's address: where its people sign in (step 'sso'). */
  sso?: { url: string; partnerName: string } | null;
}) {
  const message = error ? (ERRORS[error] ?? 'Access was refused.') + (error === 'rate_limited' && retry ? ` (about ${Math.ceil(Number(retry) / 60)} min)` : '') : null;
  const home = base || '/';
  return (
    <div className="mx-auto grid max-w-5xl gap-10 lg:grid-cols-[1fr_26rem] lg:items-start">
      <section className="pt-2">
        <p className="text-sm font-semibold tracking-wide text-[var(--portal-accent)] uppercase">Welcome</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900">{portalName}</h1>
        <p className="mt-4 max-w-xl text-base leading-7 whitespace-pre-wrap text-slate-700 [overflow-wrap:anywhere]">
          {welcome || 'Documents shared with you are available here once you sign in.'}
        </p>
        <ul className="mt-8 space-y-3 text-sm text-slate-700">
          <li className="flex gap-3"><Icon name="shieldCheck" className="size-5 shrink-0 text-[var(--portal-accent)]" />Every document you open is recorded, and copies carry your identity.</li>
          <li className="flex gap-3"><Icon name="lock" className="size-5 shrink-0 text-[var(--portal-accent)]" />Your access follows the conditions your contact set, and may be withdrawn at any time.</li>
        </ul>
      </section>
      {step === 'sso' && sso ? (
        <div className="space-y-5 rounded-xl bg-white p-7 shadow-sm ring-1 ring-slate-200">
          <div>
            <h2 className="text-lg font-semibold tracking-tight text-slate-900">Sign in through your organisation</h2>
            <p className="mt-1 text-sm text-slate-600 [overflow-wrap:anywhere]">{sso.partnerName} signs its people in to this portal itself. Continue to its sign-in page; you will come back here signed in.</p>
          </div>
          <a href={sso.url} className={`${portalButton} h-11 w-full`}><Icon name="lock" className="size-4" />Continue to {sso.partnerName}</a>
          <p className="text-center text-sm"><a href={home} className={portalLink}>Use another address</a></p>
        </div>
      ) : (
      <div>
        <form method="post" action={`${base}/${step === 'email' ? 'code' : 'session'}${step === 'password' ? '?method=password' : ''}`}
          className="space-y-5 rounded-xl bg-white p-7 shadow-sm ring-1 ring-slate-200">
          <div>
            <h2 className="text-lg font-semibold tracking-tight text-slate-900">{step === 'code' ? 'Check your email' : 'Sign in'}</h2>
            <p className="mt-1 text-sm text-slate-600">
              {step === 'email' ? 'Enter your work email address. If it has access, we will send you a one-time code; if your organisation signs you in itself, we will take you to its sign-in page.'
                : step === 'code' ? `If ${email ?? 'your address'} has access, a 6-digit code is on its way. It is valid for 10 minutes.`
                  : 'Sign in with the email address and password you chose when you accepted your invitation.'}
            </p>
          </div>
          {message ? <p role="alert" className="flex items-start gap-2 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200 ring-inset"><Icon name="alert" className="mt-0.5 size-4 shrink-0 text-red-600" />{message}</p> : null}
          {step === 'code' ? <input type="hidden" name="email" value={email ?? ''} /> : (
            <Field id="email" label="Email address" type="email" autoComplete={step === 'password' ? 'username' : 'email'} invalid={error === 'validation_failed'} />
          )}
          {step === 'code' ? <Field id="code" label="6-digit code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,9}" invalid={error === 'invalid_code'} /> : null}
          {step === 'password' ? (
            <>
              <Field id="password" label="Password" type="password" autoComplete="current-password" invalid={error === 'invalid_password'} />
              <Field id="totp" label="Authenticator code" required={false} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" invalid={error === 'totp_required'} />
            </>
          ) : null}
          <button type="submit" className={`${portalButton} h-11 w-full`}>
            <Icon name={step === 'email' ? 'mail' : 'lock'} className="size-4" />
            {step === 'email' ? 'Continue' : step === 'code' ? 'Verify and sign in' : 'Sign in'}
          </button>
        </form>
        <div className="mt-4 flex flex-wrap items-center justify-center gap-x-6 gap-y-2 text-sm">
          {step === 'code' ? (
            <form method="post" action={`${base}/code`}>
              <input type="hidden" name="email" value={email ?? ''} />
              <button type="submit" className={portalLink}>Send a new code</button>
            </form>
          ) : null}
          {step === 'password'
            ? <a href={home} className={portalLink}>Sign in with a code instead</a>
            : <a href={`${home}?method=password`} className={portalLink}>I have a password</a>}
        </div>
      </div>
      )}
    </div>
  );
}

function Field({ id, label, invalid, required = true, ...rest }: { id: string; label: string; invalid?: boolean; required?: boolean } & Pick<React.InputHTMLAttributes<HTMLInputElement>, 'type' | 'autoComplete' | 'inputMode' | 'pattern'>) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}{required ? null : <span className="font-normal text-slate-500"> (optional)</span>}</label>
      <input id={id} name={id} required={required} aria-invalid={invalid || undefined} className={`${input} mt-1.5 py-2.5`} {...rest} />
    </div>
  );
}
