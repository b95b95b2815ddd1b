import { Icon } from '../ui/icons';
import { button, input } from '../ui/styles';

const ERRORS: Record<string, string> = {
  invalid_password: 'That password is not correct.',
  password_required: 'Enter the password you were given for this share.',
  terms_required: 'You need to accept the terms to continue.',
  rate_limited: 'Too many attempts. Wait a while and try again.',
  bad_request: 'Something was wrong with the form. Try again.',
  internal: 'Something went wrong on our side. Try again shortly.',
};

export interface GateTerms { id: string; title: string; body: string; version: number }

/** Password and terms in one form, so a guest passes both in a single step. Plain HTML: works without JS. */
export function GateForm({ token, needsPassword, terms, error, retry }: { token: string; needsPassword: boolean; terms: GateTerms | null; error?: string; retry?: string }) {
  const message = error ? (ERRORS[error] ?? 'Access was refused.') + (error === 'rate_limited' && retry ? ` (about ${Math.ceil(Number(retry) / 60)} min)` : '') : null;
  return (
    <form method="post" action={`/s/${token}/session`} className="mx-auto max-w-lg space-y-6 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-start gap-4">
        <span aria-hidden className="grid size-11 shrink-0 place-items-center rounded-full bg-indigo-50 text-indigo-600 ring-4 ring-indigo-50/50"><Icon name={needsPassword ? 'lock' : 'shieldCheck'} className="size-5" /></span>
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{needsPassword ? 'This share is protected' : 'Before you continue'}</h1>
          <p className="mt-1 text-sm text-slate-600">
            {needsPassword ? `Enter the password the sender gave you${terms ? ', and accept the terms of use' : ''}.` : 'Review and accept the terms of use to open the documents.'}
          </p>
        </div>
      </div>
      {message ? <p role="alert" className="flex items-start gap-2 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200 ring-inset"><Icon name="alert" className="mt-0.5 size-4 shrink-0 text-red-600" />{message}</p> : null}
      {needsPassword ? (
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">Password</label>
          <input id="password" name="password" type="password" required autoComplete="off" autoFocus
            aria-invalid={error === 'invalid_password' || error === 'password_required' || undefined}
            className={`${input} mt-1.5 py-2.5`} />
        </div>
      ) : null}
      {terms ? (
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium text-slate-800">{terms.title} <span className="font-normal text-slate-500">(version {terms.version})</span></legend>
          <div tabIndex={0} aria-label="Terms of use" className="max-h-64 overflow-y-auto rounded-lg bg-slate-50 p-4 text-sm leading-6 whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200 ring-inset [overflow-wrap:anywhere] focus:ring-2 focus:ring-indigo-600 focus:outline-none">
            {terms.body}
          </div>
          <input type="hidden" name="termsVersionId" value={terms.id} />
          <label className="flex cursor-pointer items-start gap-3 rounded-lg p-3 text-sm text-slate-800 ring-1 ring-slate-200 ring-inset has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300">
            <input type="checkbox" name="accept" required className="mt-0.5 size-4 shrink-0 rounded border-slate-400 accent-indigo-600" />
            <span>I have read and accept these terms. My acceptance, IP address and browser are recorded.</span>
          </label>
        </fieldset>
      ) : null}
      <button type="submit" className={button('primary', 'md', 'h-11 w-full text-sm font-semibold')}>
        <Icon name={needsPassword ? 'lock' : 'check'} className="size-4" />
        {needsPassword ? 'Unlock documents' : terms ? 'Accept and continue' : 'View documents'}
      </button>
    </form>
  );
}
