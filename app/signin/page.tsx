import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/http/next-session';
import { isDatabaseDown } from '@/lib/errors';
import { safeCallbackPath } from '@/components/safe-callback';
import { Icon } from '@/components/ui/icons';
import { staffProviderName } from '@/lib/sso/staff-idp';
import { SignInForm } from './signin-form';
import { SsoStep } from './sso-step';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackPath(sp.callbackUrl);
  let databaseDown = false;
  try {
    if (await currentPrincipal()) redirect(callbackUrl);
  } catch (e) {
    // The form still renders: signing in will say what is wrong, and the page stays usable.
    if (isDatabaseDown(e)) databaseDown = true;
    else throw e;
  }
  const initialError = typeof sp.error === 'string' ? sp.error : null;
  // The single sign-on step's answer (POST /sso/staff): an IdP offered for the address typed, or not.
  const ssoEmail = typeof sp.sso_email === 'string' && sp.sso_email.length <= 254 ? sp.sso_email : null;
  const ssoName = ssoEmail && !databaseDown ? await staffProviderName(sp.sso_provider).catch(() => null) : null;
  const ssoOffer = ssoName && ssoEmail ? { providerId: String(sp.sso_provider), name: ssoName, email: ssoEmail } : null;

  return (
    <main className="grid min-h-screen lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
      <section className="relative hidden overflow-hidden bg-slate-900 lg:flex lg:flex-col lg:justify-between lg:p-12" aria-hidden="true">
        <div className="absolute inset-0 bg-[radial-gradient(ellipse_at_top_left,rgba(99,102,241,0.35),transparent_55%),radial-gradient(ellipse_at_bottom_right,rgba(30,64,175,0.25),transparent_60%)]" />
        <div className="relative flex items-center gap-2.5 text-white">
          <span className="flex size-9 items-center justify-center rounded-lg bg-indigo-500/90 ring-1 ring-white/20"><Icon name="shield" className="size-5" /></span>
          <span className="text-lg font-semibold tracking-tight">Liaison</span>
        </div>
        <div className="relative max-w-md">
          <h2 className="text-3xl font-semibold tracking-tight text-balance text-white">Share sensitive material outside your organisation, on your terms.</h2>
          <ul className="mt-8 space-y-4 text-sm text-slate-300">
            <li className="flex gap-3"><Icon name="clock" className="mt-0.5 size-5 shrink-0 text-indigo-300" />Every share expires and can be revoked at any moment.</li>
            <li className="flex gap-3"><Icon name="history" className="mt-0.5 size-5 shrink-0 text-indigo-300" />Every access is recorded in a tamper-evident audit trail.</li>
            <li className="flex gap-3"><Icon name="lock" className="mt-0.5 size-5 shrink-0 text-indigo-300" />Files are encrypted at rest, each with its own key.</li>
          </ul>
        </div>
        <p className="relative text-xs text-slate-500">Authorised users only. Activity is logged.</p>
      </section>

      <section className="flex items-center justify-center px-6 py-12 sm:px-12">
        <div className="w-full max-w-sm">
          <div className="mb-8 flex items-center gap-2.5 lg:hidden">
            <span className="flex size-9 items-center justify-center rounded-lg bg-indigo-600 text-white"><Icon name="shield" className="size-5" /></span>
            <span className="text-lg font-semibold tracking-tight">Liaison</span>
          </div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sign in to the console</h1>
          <p className="mt-1.5 text-sm text-slate-600">Use the email address and password your administrator gave you.</p>
          <SignInForm callbackUrl={callbackUrl} initialError={databaseDown ? 'database_unavailable' : initialError} />
          <div className="my-6 flex items-center gap-3 text-xs text-slate-500" aria-hidden="true"><span className="h-px flex-1 bg-slate-200" />or<span className="h-px flex-1 bg-slate-200" /></div>
          <SsoStep offer={ssoOffer} unavailable={sp.sso === 'unavailable'} />
          <p className="mt-10 border-t border-slate-200 pt-6 text-xs leading-relaxed text-slate-500">
            Received a link to shared documents? Open the link itself; guests do not sign in here.
          </p>
        </div>
      </section>
    </main>
  );
}
