import { Notice } from '@/components/ui/notice';
import { card } from '@/components/ui/styles';
import { PasswordForm } from './password-form';

/** Shown instead of every console page while the signed-in person still uses a one-time password. */
export function ChooseOwnPassword() {
  return (
    <div className="mx-auto max-w-xl py-4">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Choose your own password</h1>
      <p className="mt-1.5 text-sm text-slate-600">
        You signed in with a one-time password from an administrator. Replace it with one only you know to open the console.
      </p>
      <Notice tone="info" className="mt-6" title="Until you do, nothing else is available">
        Documents, shares and settings stay closed to this session, including through the API.
      </Notice>
      <section className={`${card} mt-6 p-6`} aria-labelledby="first-password-title">
        <h2 id="first-password-title" className="mb-4 text-base font-semibold text-slate-900">New password</h2>
        <PasswordForm currentLabel="One-time password" />
      </section>
    </div>
  );
}
