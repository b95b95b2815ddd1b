import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listAuditEvents } from '@/lib/audit/query';
import { listDocuments } from '@/lib/documents/service';
import { dashboardStats } from '@/lib/documents/stats';
import { currentOrganization } from '@/lib/orgs/current-org';
import { auditTypeLabel } from '@/components/ui/audit-labels';
import { OutcomeBadge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatBytes, relativeTime, formatDateTime } from '@/components/ui/format';
import { Icon, type IconName } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { button, card } from '@/components/ui/styles';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { RecentExternalActivity } from '@/components/shares/recent-external-activity';
import { load, LoadError } from './_shared/load';
import { consolePrincipal } from './_shared/principal';

export const metadata: Metadata = { title: 'Dashboard' };

function Stat({ icon, label, value, hint }: { icon: IconName; label: string; value: string; hint?: string }) {
  return (
    <div className={`${card} p-5`}>
      <div className="flex items-center justify-between">
        <p className="text-sm font-medium text-slate-500">{label}</p>
        <span className="flex size-8 items-center justify-center rounded-md bg-indigo-50 text-indigo-600"><Icon name={icon} className="size-4" /></span>
      </div>
      <p className="tabular mt-2 text-3xl font-semibold tracking-tight text-slate-900">{value}</p>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

export default async function DashboardPage() {
  const p = await consolePrincipal();
  const canDocs = can(p, 'documents:read');
  const canAudit = can(p, 'audit:read');
  const res = await load(async () => {
    const [org, stats, recent, audit] = await Promise.all([
      currentOrganization(p),
      canDocs ? dashboardStats(p) : null,
      canDocs ? listDocuments(p, { take: 5 }) : null,
      canAudit ? listAuditEvents(p, { first: 8 }) : null,
    ]);
    return { org, stats, recent, audit };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { org, stats, recent, audit } = res.data;
  const firstName = p.name.split(/\s+/)[0] || p.name;

  return (
    <>
      <PageHeader
        title={`Welcome back, ${firstName}`}
        description={org ? `Overview of ${org.name}. Figures are live and cover your whole organisation.` : undefined}
        actions={can(p, 'documents:write') ? <Link href="/documents#upload" className={button('primary')}><Icon name="upload" className="size-4" />Upload document</Link> : null}
      />

      {stats ? (
        <section aria-label="Key figures" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <Stat icon="file" label="Documents" value={stats.documents.toLocaleString('en-US')} hint={`${stats.versions.toLocaleString('en-US')} version${stats.versions === 1 ? '' : 's'} in total`} />
          <Stat icon="upload" label="Uploads, last 7 days" value={stats.uploadsLastWeek.toLocaleString('en-US')} hint="New documents and new versions" />
          <Stat icon="hardDrive" label="Stored" value={formatBytes(stats.storedBytes)} hint="Encrypted at rest, one key per file" />
          {stats.activeShares !== null
            ? <Stat icon="share" label="Active shares" value={stats.activeShares.toLocaleString('en-US')} hint="Not expired and not revoked" />
            : <Stat icon="shield" label="TLP ceiling" value={org?.tlpCeiling.replace('_', '+') ?? '—'} hint="Highest marking that may be shared" />}
        </section>
      ) : null}

      <div className={`mt-8 grid items-start gap-6 ${canAudit ? 'xl:grid-cols-2' : ''}`}>
        {recent ? (
          <section className={card} aria-labelledby="recent-docs">
            <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
              <h2 id="recent-docs" className="text-sm font-semibold text-slate-900">Recent documents</h2>
              <Link href="/documents" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">View all<span className="sr-only"> documents</span></Link>
            </div>
            {recent.items.length === 0 ? (
              <EmptyState icon="fileUp" title="No documents yet" action={can(p, 'documents:write') ? <Link href="/documents#upload" className={button('secondary', 'sm')}>Upload the first one</Link> : null}>
                Documents you upload appear here, encrypted and ready to share.
              </EmptyState>
            ) : (
              <ul role="list" className="divide-y divide-slate-100">
                {recent.items.map((d) => (
                  <li key={d.id} className="flex items-center gap-4 px-5 py-3">
                    <span className="flex size-9 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-500"><Icon name="file" className="size-4" /></span>
                    <div className="min-w-0 flex-1">
                      <Link href={`/documents/${d.id}`} className="block truncate text-sm font-medium text-slate-900 hover:text-indigo-600">{d.title}</Link>
                      <p className="truncate text-xs text-slate-500">{formatBytes(d.latest?.size)} · v{d.latest?.number ?? 1} · {d.createdBy?.name ?? d.createdBy?.email ?? 'API'}</p>
                    </div>
                    <TlpBadge tlp={d.latest?.tlp} />
                    <time dateTime={new Date(d.createdAt).toISOString()} title={formatDateTime(d.createdAt)} className="hidden w-20 text-right text-xs text-slate-500 sm:block">{relativeTime(d.createdAt)}</time>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}

        {audit ? (
          <section className={card} aria-labelledby="recent-activity">
            <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
              <h2 id="recent-activity" className="text-sm font-semibold text-slate-900">Latest activity</h2>
              <Link href="/audit" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">Audit trail<span className="sr-only"> (all events)</span></Link>
            </div>
            {audit.nodes.length === 0 ? (
              <EmptyState icon="history" title="No activity recorded yet">Sign-ins, uploads, downloads and shares are recorded here as they happen.</EmptyState>
            ) : (
              <ul role="list" className="divide-y divide-slate-100">
                {audit.nodes.map((e) => (
                  <li key={e.id} className="flex items-center gap-4 px-5 py-3">
                    <div className="min-w-0 flex-1">
                      <p className="truncate text-sm font-medium text-slate-900">{auditTypeLabel(e.type)}</p>
                      <p className="truncate text-xs text-slate-500">{e.actor}{e.ip ? ` · ${e.ip}` : ''}</p>
                    </div>
                    <OutcomeBadge outcome={e.outcome} />
                    <time dateTime={e.at.toISOString()} title={formatDateTime(e.at)} className="w-20 text-right text-xs text-slate-500">{relativeTime(e.at)}</time>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </div>

      {can(p, 'shares:read') ? <RecentExternalActivity p={p} /> : null}
    </>
  );
}
