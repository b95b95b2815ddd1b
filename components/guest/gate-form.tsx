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
  audit_unavailable: 'We could not record your access just now, so nothing was opened. Try again in a moment.',
  database_unavailable: 'The service is briefly unavailable. Try again in a moment.',
  internal: 'Something went wrong on our side. Try again shortly.',
};

const HEADINGS: Record<Gate['step'], { title: string; icon: 'lock' | 'shieldCheck' }> = {
  password: { title: 'This share is protected', icon: 'lock' },
  terms: { title: 'Before you continue', icon: 'shieldCheck' },
  enter: { title: 'Confidential documents', icon: 'shieldCheck' },
};

/**
 * One step of the gate. Plain HTML forms, so it works without JavaScript. The password step shows
 * nothing about the share beyond the fact that a password (and then terms) are needed.
 */
export function GateForm({ token, gate, error, retry }: { token: string; gate: Gate; error?: string; retry?: string }) {
  const message = error ? (ERRORS[error] ?? 'Access was refused.') + (error === 'rate_limited' && retry ? ` (about ${Math.ceil(Number(retry) / 60)} min)` : '') : null;
  const action = gate.step === 'terms' && gate.sessionOpen ? `/s/${token}/terms` : `/s/${token}/session`;
  const h = HEADINGS[gate.step];
  const intro = gate.step === 'password'
    ? `Enter the password the sender gave you.${gate.termsFollow ? ' You will then be asked to accept the terms of use.' : ''}`
    : gate.step === 'terms' ? 'Review and accept the terms of use to open the documents.'
      : 'Access to these documents is logged. Continue to open them.';
  return (
    <form method="post" action={action} className="mx-auto max-w-lg space-y-6 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
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
        <Icon name={gate.step === 'password' ? 'lock' : 'check'} className="size-4" />
        {gate.step === 'password' ? 'Unlock' : gate.step === 'terms' ? 'Accept and continue' : 'View documents'}
      </button>
    </form>
  );
}
