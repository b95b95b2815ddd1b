import type { Gate } from '@/lib/guest/landing';
import { Icon } from '../ui/icons';
import { button, input } from '../ui/styles';

const ERRORS: Record<string, string> = {
  invalid_password: 'That password is not correct.',
  password_required: 'Enter the password you were given for this share.',
  terms_required: 'You need to accept the terms to continue.',
  rate_limited: 'Too many attempts. Wait a while and try again.',
  bad_request: 'Something was wrong with the form. Try again.',
  invalid_token: 'Your session has ended. Enter the password again.',
  invalid_code: 'That code is not correct, or it has expired. Check the latest mail, or ask for a new code.',
  email_required: 'Confirm your email address to open this share.',
  invitation_required: 'This share is for invited people. Sign in with the email address and password of your invitation.',
  totp_required: 'Enter the 6-digit code from your authenticator app as well.',
  guest_disabled: 'Your access has been disabled or has expired. Ask the person who shared this with you.',
  device_denied: 'These documents open only on a device the sender has approved. If this browser is new, it is now waiting for approval: sign in again once it has been approved. A browser that cannot keep a device key (a private window, say) cannot open them.',
  validation_failed: 'Check the email address and try again.',
  audit_unavailable: 'We could not record your access just now, so nothing was opened. Try again in a moment.',
  database_unavailable: 'The service is briefly unavailable. Try again in a moment.',
  internal: 'Something went wrong on our side. Try again shortly.',
};

const HEADINGS: Record<Gate['step'], { title: string; icon: 'lock' | 'shieldCheck' | 'mail' }> = {
  password: { title: 'This share is protected', icon: 'lock' },
  email: { title: 'Confirm your email address', icon: 'mail' },
  code: { title: 'Check your email', icon: 'mail' },
  signin: { title: 'Sign in to open this share', icon: 'lock' },
  terms: { title: 'Before you continue', icon: 'shieldCheck' },
  enter: { title: 'Confidential documents', icon: 'shieldCheck' },
};

/**
 * One step of the gate. Plain HTML forms, so it works without JavaScript. The password step shows
 * nothing about the share beyond the fact that a password (and then terms) are needed.
 */
export function GateForm({ token, gate, error, retry }: { token: string; gate: Gate; error?: string; retry?: string }) {
  const message = error ? (ERRORS[error] ?? 'Access was refused.') + (error === 'rate_limited' && retry ? ` (about ${Math.ceil(Number(retry) / 60)} min)` : '') : null;
  const action = gate.step === 'terms' && gate.sessionOpen ? `/s/${token}/terms` : gate.step === 'email' ? `/s/${token}/code` : `/s/${token}/session`;
  const h = HEADINGS[gate.step];
  const intro = INTROS[gate.step](gate);
  return (
    <div className="mx-auto max-w-lg">
    <form method="post" action={action} className="space-y-6 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-start gap-4">
        <span aria-hidden className="grid size-11 shrink-0 place-items-center rounded-full bg-indigo-50 text-indigo-600 ring-4 ring-indigo-50/50"><Icon name={h.icon} className="size-5" /></span>
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{h.title}</h1>
          <p className="mt-1 text-sm text-slate-600">{intro}</p>
        </div>
      </div>
      {message ? <p role="alert" className="flex items-start gap-2 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200 ring-inset"><Icon name="alert" className="mt-0.5 size-4 shrink-0 text-red-600" />{message}</p> : null}
      {gate.step === 'password' ? (
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">Password</label>
          <input id="password" name="password" type="password" required autoComplete="off" autoFocus
            aria-invalid={error === 'invalid_password' || error === 'password_required' || undefined}
            className={`${input} mt-1.5 py-2.5`} />
        </div>
      ) : null}
      {gate.step === 'email' ? (
        <Field id="email" label="Work email address" type="email" autoComplete="email" hint="If your organisation signs you in with its own account, you will be taken to its sign-in page." invalid={error === 'validation_failed'} />
      ) : null}
      {gate.step === 'code' ? (
        <>
          <input type="hidden" name="email" value={gate.email} />
          <Field id="code" label="6-digit code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,9}" hint="The code is valid for 10 minutes and can be used once." invalid={error === 'invalid_code'} />
        </>
      ) : null}
      {gate.step === 'signin' ? (
        <>
          <Field id="email" label="Email address" type="email" autoComplete="username" />
          <Field id="password" label="Password" type="password" autoComplete="current-password" invalid={error === 'invalid_password'} />
          <Field id="totp" label="Authenticator code" required={false} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" hint="Only if you set up an authenticator app when you accepted your invitation." invalid={error === 'totp_required'} />
        </>
      ) : null}
      {gate.step === 'terms' ? (
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium text-slate-800">{gate.terms.title} <span className="font-normal text-slate-500">(version {gate.terms.version})</span></legend>
          <div tabIndex={0} aria-label="Terms of use" className="max-h-64 overflow-y-auto rounded-lg bg-slate-50 p-4 text-sm leading-6 whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200 ring-inset [overflow-wrap:anywhere] focus:ring-2 focus:ring-indigo-600 focus:outline-none">
            {gate.terms.body}
          </div>
          <input type="hidden" name="termsVersionId" value={gate.terms.id} />
          <label className="flex cursor-pointer items-start gap-3 rounded-lg p-3 text-sm text-slate-800 ring-1 ring-slate-200 ring-inset has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300">
            <input type="checkbox" name="accept" required className="mt-0.5 size-4 shrink-0 rounded border-slate-400 accent-indigo-600" />
            <span>I have read and accept these terms. My acceptance, IP address and browser are recorded.</span>
          </label>
        </fieldset>
      ) : null}
      <button type="submit" className={button('primary', 'md', 'h-11 w-full text-sm font-semibold')}>
        <Icon name={gate.step === 'password' || gate.step === 'signin' ? 'lock' : gate.step === 'email' ? 'mail' : 'check'} className="size-4" />
        {SUBMIT[gate.step]}
      </button>
    </form>
    {gate.step === 'code' ? (
      <div className="mt-4 flex flex-wrap items-center justify-center gap-x-6 gap-y-2 text-sm">
        <form method="post" action={`/s/${token}/code`}>
          <input type="hidden" name="email" value={gate.email} />
          <button type="submit" className="font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">Send a new code</button>
        </form>
        <form method="post" action={`/s/${token}/code/reset`}>
          <button type="submit" className="font-medium text-slate-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">Use another address</button>
        </form>
      </div>
    ) : null}
    </div>
  );
}

const SUBMIT: Record<Gate['step'], string> = {
  password: 'Unlock', terms: 'Accept and continue', enter: 'View documents', email: 'Send me a code', code: 'Verify and continue', signin: 'Sign in',
};

const INTROS: Record<Gate['step'], (g: Gate) => string> = {
  password: (g) => `Enter the password the sender gave you.${g.step === 'password' && g.termsFollow ? ' You will then be asked to accept the terms of use.' : ''}`,
  terms: () => 'Review and accept the terms of use to open the documents.',
  enter: () => 'Access to these documents is logged. Continue to open them.',
  email: () => 'These documents are shared with named people. Enter your email address and, if it may open them, we will send you a one-time code.',
  code: (g) => `If ${g.step === 'code' ? g.email : 'your address'} may open these documents, a 6-digit code is on its way. Enter it below.`,
  signin: () => 'These documents are shared with invited people. Sign in with the email address and password you chose when you accepted your invitation.',
};

function Field({ id, label, hint, invalid, required = true, ...rest }: { id: string; label: string; hint?: string; invalid?: boolean; required?: boolean } & Pick<React.InputHTMLAttributes<HTMLInputElement>, 'type' | 'autoComplete' | 'inputMode' | 'pattern'>) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}{required ? null : <span className="font-normal text-slate-500"> (optional)</span>}</label>
      <input id={id} name={id} required={required} aria-invalid={invalid || undefined} aria-describedby={hint ? `${id}-hint` : undefined}
        className={`${input} mt-1.5 py-2.5`} {...rest} />
      {hint ? <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}
