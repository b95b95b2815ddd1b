import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { listPortalDomains } from '@/lib/portals/domains';
import { AddDomainForm } from '@/components/portals/add-domain-form';
import { DomainActions } from '@/components/portals/domain-actions';
import { DomainStatusBadge } from '@/components/portals/domain-status';
import type { DomainItem } from '@/components/portals/domain-types';
import { TxtRecord } from '@/components/portals/txt-record';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';
import { pathSegment, requirePageIds } from '../../../_shared/ids';
import { addPortalDomainAction, removePortalDomainAction, verifyPortalDomainAction } from './actions';

export const metadata: Metadata = { title: 'Custom domains' };

const item = (d: Awaited<ReturnType<typeof listPortalDomains>>[number]): DomainItem => ({
  id: d.id, hostname: d.hostname, status: d.status, txtName: d.txtName, txtValue: d.txtValue,
  verifiedAt: d.verifiedAt?.toISOString() ?? null, lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null, lastError: d.lastError, createdAt: d.createdAt.toISOString(),
});

export default async function PortalDomainsPage({ params }: { params: Promise<{ id: string }> }) {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Custom domains are managed by administrators." scope="admin" />;
  const { id } = await params;
  await requirePageIds(p, 'page /portals/[id]/domains', { portalId: pathSegment(id) });
  const res = await load(() => listPortalDomains(p, id));
  if (!res.ok) return <LoadError error={res} />;
  const domains = res.data.map(item);

  return (
    <div className="space-y-8">
      <div>
        <h2 className="text-lg font-semibold text-slate-900">Custom domains</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">Serve this portal at the root of your own domain, such as <span className="font-mono text-[13px]">https://portal.example.com/</span>. A domain serves only after a DNS TXT record proves you control it; the record is re-checked daily, and a domain whose record disappears stops serving.</p>
      </div>

      <section aria-labelledby="add-domain-title" className={`${card} p-5`}>
        <h3 id="add-domain-title" className="mb-3 text-sm font-semibold text-slate-900">Add a domain</h3>
        <AddDomainForm portalId={id} action={addPortalDomainAction} />
      </section>

      <section aria-labelledby="domains-title" className={card}>
        <div className="border-b border-slate-200 px-5 py-4"><h3 id="domains-title" className="text-sm font-semibold text-slate-900">Domains</h3></div>
        {domains.length === 0 ? (
          <EmptyState icon="link" title="No custom domains yet">Guests reach this portal on the console’s address until you add and verify a domain.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200" data-testid="domains-list">
            {domains.map((d) => (
              <li key={d.id} className="px-5 py-5" data-testid="domain-row" data-hostname={d.hostname}>
                <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-mono text-sm font-semibold break-all text-slate-900">{d.hostname}</span>
                      <DomainStatusBadge status={d.status} />
                    </div>
                    <p className="mt-1 text-xs text-slate-500">
                      {d.verifiedAt ? <>Verified {formatDateTime(d.verifiedAt).slice(0, 10)} · </> : <>Added {formatDateTime(d.createdAt).slice(0, 10)} · </>}
                      {d.lastCheckedAt ? <span title={formatDateTime(d.lastCheckedAt)}>last checked {relativeTime(d.lastCheckedAt)}</span> : 'not checked yet'}
                    </p>
                  </div>
                  <DomainActions portalId={id} id={d.id} hostname={d.hostname} verified={d.status === 'VERIFIED'} verify={verifyPortalDomainAction} remove={removePortalDomainAction} />
                </div>
                {d.lastError ? <Notice tone={d.status === 'LOST' ? 'error' : 'warning'} title={d.status === 'LOST' ? 'This domain no longer serves the portal' : 'Not verified yet'} className="mt-3">{d.lastError}</Notice> : null}
                {d.status === 'VERIFIED' ? (
                  <p className="mt-2 flex items-center gap-1.5 text-sm text-slate-700"><Icon name="link" className="size-4 text-emerald-600" />Guests open <span className="font-mono text-[13px] text-slate-900">https://{d.hostname}/</span></p>
                ) : null}
                {d.status === 'VERIFIED' ? (
                  <details className="group mt-3">
                    <summary className="cursor-pointer text-xs font-medium text-slate-600 hover:text-slate-900">Keep this TXT record in place</summary>
                    <div className="mt-2"><TxtRecord name={d.txtName} value={d.txtValue} /></div>
                  </details>
                ) : (
                  <div className="mt-3">
                    <p className="mb-2 text-xs text-slate-600">Create this record at your DNS provider, then choose <span className="font-medium">Verify now</span>. DNS changes can take a few minutes to appear.</p>
                    <TxtRecord name={d.txtName} value={d.txtValue} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
