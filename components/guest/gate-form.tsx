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
    <form method="post" action={`/s/${token}/session`} className="mx-auto max-w-lg space-y-6 rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">{needsPassword ? 'This share is protected' : 'Before you continue'}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {needsPassword ? 'Enter the password the sender gave you.' : 'Review and accept the terms of use to open the documents.'}
        </p>
      </div>
      {message ? <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{message}</p> : null}
      {needsPassword ? (
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">Password</label>
          <input id="password" name="password" type="password" required autoComplete="off" autoFocus
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/30" />
        </div>
      ) : null}
      {terms ? (
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium text-slate-800">{terms.title} <span className="font-normal text-slate-500">(version {terms.version})</span></legend>
          <div tabIndex={0} aria-label="Terms of use" className="max-h-64 overflow-y-auto whitespace-pre-wrap rounded-md border border-slate-200 bg-slate-50 p-4 text-sm leading-6 text-slate-800 focus:outline-none focus:ring-2 focus:ring-indigo-600/30">
            {terms.body}
          </div>
          <input type="hidden" name="termsVersionId" value={terms.id} />
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input type="checkbox" name="accept" required className="mt-0.5 h-4 w-4 rounded border-slate-400 text-indigo-700 focus:ring-indigo-600" />
            <span>I have read and accept these terms. My acceptance, IP address and browser are recorded.</span>
          </label>
        </fieldset>
      ) : null}
      <button type="submit" className="w-full rounded-md bg-indigo-700 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800 focus:outline-none focus:ring-2 focus:ring-indigo-600 focus:ring-offset-2">
        {needsPassword ? 'Unlock documents' : terms ? 'Accept and continue' : 'View documents'}
      </button>
    </form>
  );
}
