import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { card } from '@/components/ui/styles';
import { consolePrincipal } from '../../_shared/principal';
import { PasswordForm } from './password-form';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const p = await consolePrincipal();
  return (
    <div className="max-w-xl">
      <PageHeader title="Your account" description={p.kind === 'staff' ? `${p.name} · ${p.email} · ${p.role.toLowerCase()}` : undefined} />
      <section className={`${card} p-6`}>
        <h2 className="mb-4 text-base font-semibold text-slate-900">Change password</h2>
        <PasswordForm />
      </section>
    </div>
  );
}
