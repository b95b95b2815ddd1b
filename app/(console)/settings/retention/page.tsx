import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { getRetentionPolicy } from '@/lib/retention/policy';
import { retentionDryRun } from '@/lib/retention/run';
import { RetentionPolicyForm } from '@/components/retention/retention-policy-form';
import { RetentionPreview } from '@/components/retention/retention-preview';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { button, card } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { updateRetentionPolicyAction } from './actions';

export const metadata: Metadata = { title: 'Retention' };

type Search = Promise<{ preview?: string }>;

export default async function RetentionPage({ searchParams }: { searchParams: Search }) {
  const p = await consolePrincipal();
  if (!can(p, 'audit:read')) return <Forbidden what="The retention policy is for administrators and auditors." scope="audit:read" />;
  const preview = (await searchParams).preview === '1';
  const res = await load(async () => ({ policy: await getRetentionPolicy(p), plan: preview ? await retentionDryRun(p) : null }));
  if (!res.ok) return <LoadError error={res} />;
  const { policy, plan } = res.data;

  return (
    <>
      <PageHeader title="Retention" description="How long documents, ended shares and guests' identifying data are kept, per TLP marking. The audit trail is always kept: what retention removes is recorded there as purged." />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="policy-title" className={`${card} px-6 pt-5 pb-6`}>
          <h2 id="policy-title" className="mb-4 text-sm font-semibold text-slate-900">Policy</h2>
          <RetentionPolicyForm policy={policy} canEdit={can(p, 'admin')} save={updateRetentionPolicyAction} />
        </section>
        <aside className="space-y-6">
          <section aria-labelledby="state-title" className={card}>
            <h2 id="state-title" className="border-b border-slate-200 px-5 py-4 text-sm font-semibold text-slate-900">Status</h2>
            <dl className="divide-y divide-slate-100 px-5 text-sm">
              <div className="flex items-center justify-between py-3"><dt className="text-slate-500">Automatic runs</dt><dd className={`font-medium ${policy.enabled ? 'text-emerald-700' : 'text-slate-700'}`} data-testid="retention-state">{policy.enabled ? 'On (hourly)' : 'Off'}</dd></div>
              <div className="flex items-center justify-between py-3"><dt className="text-slate-500">Last run</dt><dd className="text-slate-900">{policy.lastRunAt ? <span title={formatDateTime(policy.lastRunAt)}>{relativeTime(policy.lastRunAt)}</span> : 'Never'}</dd></div>
              <div className="flex items-center justify-between py-3"><dt className="text-slate-500">Policy saved</dt><dd className="text-slate-900">{policy.updatedAt ? <span title={formatDateTime(policy.updatedAt)}>{relativeTime(policy.updatedAt)}</span> : 'Never'}</dd></div>
            </dl>
          </section>
          <section aria-labelledby="kept-title" className={`${card} p-5 text-sm`}>
            <h2 id="kept-title" className="font-semibold text-slate-900">What is always kept</h2>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-600">
              <li>The audit trail, unchanged: its hash chain still verifies after every purge.</li>
              <li>Documents in an active share or a portal, until they leave it.</li>
              <li>Comments and questions (their authors are pseudonymised with the guest).</li>
            </ul>
            <p className="mt-3 text-slate-500">From the command line: <code className="rounded bg-slate-100 px-1 font-mono text-xs">liaison retention run --dry-run</code></p>
          </section>
        </aside>
      </div>

      <section aria-labelledby="preview-title" className={`${card} mt-8`}>
        <div className="flex flex-col gap-3 border-b border-slate-200 px-5 py-4 sm:flex-row sm:items-center sm:justify-between">
          <div>
            <h2 id="preview-title" className="text-sm font-semibold text-slate-900">Dry run</h2>
            <p className="mt-0.5 text-sm text-slate-500">Exactly what the next run would purge or anonymise under the saved policy. Nothing is changed.</p>
          </div>
          <Link href="/settings/retention?preview=1" className={button(plan ? 'secondary' : 'primary')} data-testid="retention-dry-run" prefetch={false}>
            <Icon name={plan ? 'refresh' : 'eye'} className="size-4" />{plan ? 'Run the dry run again' : 'Dry run now'}
          </Link>
        </div>
        {plan ? <RetentionPreview plan={plan} /> : (
          <p className="px-5 py-8 text-center text-sm text-slate-500">Run a dry run to see the list before turning the policy on or after changing it.</p>
        )}
      </section>
    </>
  );
}
