import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { currentOrganization } from '@/lib/orgs/current-org';
import { SharePolicyForm } from '@/components/shares/share-policy-form';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';

export const metadata: Metadata = { title: 'Sharing policy' };

export default async function SharingSettingsPage() {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="The sharing policy is set by administrators." scope="admin" />;
  const res = await load(() => currentOrganization(p));
  if (!res.ok) return <LoadError error={res} />;
  const org = res.data;

  return (
    <>
      <PageHeader title="Sharing policy" description={`How long shares from ${org.name} may stay open. Every share has an expiry; staff can shorten it, never exceed the maximum.`} />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="policy-title" className={`${card} p-6`}>
          <h2 id="policy-title" className="text-sm font-semibold text-slate-900">Share length</h2>
          <p className="mt-1 mb-5 text-sm text-slate-500">Changes apply to new shares and to extensions. Shares already open keep their expiry; revoke or edit them if they must end sooner.</p>
          <SharePolicyForm defaultShareDays={org.defaultShareDays} maxShareDays={org.maxShareDays} />
        </section>
        <aside aria-labelledby="current-title" className={`${card} h-fit`}>
          <h2 id="current-title" className="border-b border-slate-200 px-5 py-4 text-sm font-semibold text-slate-900">Current policy</h2>
          <dl className="divide-y divide-slate-100 px-5" data-testid="current-policy">
            <div className="flex items-center justify-between py-3 text-sm"><dt className="text-slate-500">Default length</dt><dd className="tabular font-medium text-slate-900">{org.defaultShareDays} days</dd></div>
            <div className="flex items-center justify-between py-3 text-sm"><dt className="text-slate-500">Maximum length</dt><dd className="tabular font-medium text-slate-900">{org.maxShareDays} days</dd></div>
            <div className="flex items-center justify-between py-3 text-sm"><dt className="text-slate-500">TLP ceiling</dt><dd><TlpBadge tlp={org.tlpCeiling} /></dd></div>
          </dl>
          <p className="border-t border-slate-100 px-5 py-3 text-xs text-slate-500">The TLP ceiling is the highest marking that may leave the organisation through a share.</p>
        </aside>
      </div>
    </>
  );
}
