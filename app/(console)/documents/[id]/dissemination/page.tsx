import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listReleases } from '@/lib/cfr/dissemination';
import { RELEASE_KIND_LABEL } from '@/components/cfr/labels';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatTimestamp } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, cx, td, th } from '@/components/ui/styles';
import { pathSegment, requirePageIds } from '../../../_shared/ids';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';

export const metadata: Metadata = { title: 'Dissemination log' };

type Props = { params: Promise<{ id: string }> };

/** Who released a criminal-intelligence document, to whom, when, why and which version (audit:read). */
export default async function DisseminationPage({ params }: Props) {
  const { id } = await params;
  const p = await consolePrincipal();
  await requirePageIds(p, 'page /documents/[id]/dissemination', { documentId: pathSegment(id) });
  if (!can(p, 'audit:read')) return <Forbidden what="The dissemination log is for administrators and auditors." scope="audit:read" />;
  const res = await load(() => listReleases(p, id));
  if (!res.ok) return <LoadError error={res} />;
  const { document, releases } = res.data;
  const docHref = `/documents/${encodeURIComponent(document.id)}`;

  return (
    <>
      <PageHeader
        eyebrow={<nav aria-label="Breadcrumb"><Link href={docHref} className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />{document.title}</Link></nav>}
        title={<span className="flex flex-wrap items-center gap-3">Dissemination log{document.purged ? <Badge tone="slate">Purged</Badge> : document.marked ? <Badge tone="red">Criminal intelligence</Badge> : <Badge tone="slate">No longer marked</Badge>}</span>}
        description="Every release of this document under 28 CFR Part 23: each share or portal grant that made it available, each guest's first view in a session, and each download."
        actions={<a href={`${docHref}/dissemination/export`} download className={button('secondary')} data-testid="dissemination-csv"><Icon name="download" className="size-4" />Export CSV</a>}
      />
      <section aria-labelledby="log-title" className={card}>
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
          <h2 id="log-title" className="text-sm font-semibold text-slate-900">Releases</h2>
          <span className="text-xs text-slate-500">{releases.length} in total · newest first</span>
        </div>
        {releases.length === 0 ? (
          <EmptyState icon="history" title="Never released">Shares, portal grants, views and downloads of this document will be listed here.</EmptyState>
        ) : (
          <div className="max-h-[70vh] overflow-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="dissemination-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>When</th>
                  <th scope="col" className={th}>What</th>
                  <th scope="col" className={th}>To</th>
                  <th scope="col" className={th}>Released by</th>
                  <th scope="col" className={th}>Need to know</th>
                  <th scope="col" className={cx(th, 'text-right')}>Version</th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {releases.map((r) => (
                  <tr key={r.id} className="hover:bg-slate-50/80">
                    <td className={cx(td, 'tabular border-b border-slate-100 font-mono text-xs whitespace-nowrap text-slate-500')}><time dateTime={r.createdAt.toISOString()}>{formatTimestamp(r.createdAt)}</time></td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>
                      <Badge tone={r.kind === 'DOWNLOAD' ? 'amber' : r.kind === 'VIEW' ? 'blue' : 'indigo'}>{RELEASE_KIND_LABEL[r.kind]}</Badge>
                      {r.shareId ? <Link href={`/shares/${encodeURIComponent(r.shareId)}`} className="mt-1 block text-xs text-indigo-700 hover:text-indigo-600">Share</Link> : null}
                      {r.portalId ? <Link href={`/portals/${encodeURIComponent(r.portalId)}/access`} className="mt-1 block text-xs text-indigo-700 hover:text-indigo-600">Portal grant</Link> : null}
                    </td>
                    <td className={cx(td, 'max-w-[16rem] border-b border-slate-100')}>
                      <span className="block truncate" title={r.recipient}>{r.recipient}</span>
                      <span className="block truncate text-xs text-slate-500">{r.partnerOrgName ?? 'No partner organisation'}</span>
                    </td>
                    <td className={cx(td, 'max-w-[14rem] truncate border-b border-slate-100')} title={r.releasedBy}>{r.releasedBy}</td>
                    <td className={cx(td, 'max-w-[22rem] border-b border-slate-100 text-xs')}><span className="line-clamp-3 break-words" title={r.needToKnow}>{r.needToKnow || '—'}</span></td>
                    <td className={cx(td, 'tabular border-b border-slate-100 text-right')}>{r.versionNumber != null ? `v${r.versionNumber}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
