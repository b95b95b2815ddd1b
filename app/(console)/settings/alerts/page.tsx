import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { getAlertRules } from '@/lib/alerts/rules';
import { AlertRulesForm } from '@/components/alerts/alert-rules-form';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { updateAlertRulesAction } from './actions';

export const metadata: Metadata = { title: 'Alert rules' };

export default async function AlertRulesPage() {
  const p = await consolePrincipal();
  if (!can(p, 'audit:read')) return <Forbidden what="Alert rules are for administrators and auditors." scope="audit:read" />;
  const res = await load(() => getAlertRules(p));
  if (!res.ok) return <LoadError error={res} />;

  return (
    <>
      <PageHeader title="Alert rules" description="Unusual guest activity raises an alert: recorded in the audit trail, shown under Alerts, mailed to administrators and sent to webhooks that subscribe to alert.raised." />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="rules-title" className={`${card} px-6 pt-4 pb-6`}>
          <h2 id="rules-title" className="sr-only">Rules</h2>
          <AlertRulesForm rules={res.data} canEdit={can(p, 'admin')} save={updateAlertRulesAction} />
        </section>
        <aside className={`${card} h-fit p-5 text-sm`} aria-labelledby="how-title">
          <h2 id="how-title" className="font-semibold text-slate-900">How alerts are raised</h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-600">
            <li>Checked every minute from the audit trail, never while the guest waits.</li>
            <li>One alert per rule, guest or share, and window: a burst raises one alert, not fifty.</li>
            <li>Turning rules on starts from now; past activity raises nothing.</li>
          </ul>
          <div className="mt-3 flex flex-wrap gap-x-4 gap-y-1">
            <Link href="/alerts" className="inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline">Alerts<Icon name="chevronRight" className="size-4" /></Link>
            <Link href="/settings/webhooks" className="inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline">Webhooks<Icon name="chevronRight" className="size-4" /></Link>
          </div>
        </aside>
      </div>
    </>
  );
}
