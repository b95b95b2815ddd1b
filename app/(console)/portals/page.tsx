import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listPortals } from '@/lib/portals/admin';
import { PortalMark } from '@/components/portals/portal-mark';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, cx, td, th } from '@/components/ui/styles';
import { queryValue, requirePageIds } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';

export const metadata: Metadata = { title: 'Portals' };

const PAGE_SIZE = 50;
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PortalsPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'portals:read')) return <Forbidden what="Seeing portals is not part of your role." scope="portals:read" />;
  const after = queryValue((await searchParams).after);
  await requirePageIds(p, 'page /portals', { cursor: after });
  const res = await load(() => listPortals(p, { first: PAGE_SIZE, after }));
  const canWrite = can(p, 'portals:write');
  const now = Date.now();
  const newButton = (size: 'sm' | 'md' = 'md') => <Link href="/portals/new" className={button('primary', size)} data-testid="new-portal"><Icon name="plus" className="size-4" />New portal</Link>;

  return (
    <>
      <PageHeader
        title="Portals"
        description="Branded spaces where external counsel and partner agencies find the documents you grant them, organised in sections, under your organisation's name and colours."
        actions={canWrite ? newButton() : null}
      />
      <section aria-labelledby="portals-title" className={card}>
        <h2 id="portals-title" className="sr-only">All portals</h2>
        {!res.ok ? (
          <div className="p-4"><LoadError error={res} what="Seeing portals is not part of your role." /></div>
        ) : res.data.nodes.length === 0 ? (
          <EmptyState icon="globe" title="No portals yet" action={canWrite ? newButton('sm') : null}>
            A portal gives guests one branded place for everything you share with them: sections of documents, each guest seeing only what their access grant covers.
          </EmptyState>
        ) : (
          <>
            <div className="overflow-x-auto">
              <table className="min-w-full border-separate border-spacing-0" data-testid="portals-table">
                <thead>
                  <tr>
                    <th scope="col" className={th}>Portal</th>
                    <th scope="col" className={th}>Address</th>
                    <th scope="col" className={cx(th, 'text-right')}>Sections</th>
                    <th scope="col" className={cx(th, 'text-right')}>Documents</th>
                    <th scope="col" className={cx(th, 'text-right')}>Active grants</th>
                    <th scope="col" className={th}>Created</th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {res.data.nodes.map((portal) => {
                    const cell = `${td} border-b border-slate-100 align-middle`;
                    return (
                      <tr key={portal.id} className={`relative hover:bg-slate-50/80 ${portal.archivedAt ? 'text-slate-500' : ''}`}>
                        <td className={cell}>
                          <div className="flex min-w-0 items-center gap-3">
                            <PortalMark portal={portal} />
                            <div className="min-w-0">
                              <Link href={`/portals/${portal.id}`} className="block max-w-[18rem] truncate font-medium text-slate-900 after:absolute after:inset-0 hover:text-indigo-600">{portal.name}</Link>
                              {portal.archivedAt ? <Badge tone="slate">Archived</Badge> : portal.supportEmail ? <span className="block max-w-[18rem] truncate text-xs text-slate-500">{portal.supportEmail}</span> : null}
                            </div>
                          </div>
                        </td>
                        <td className={cell}><span className="font-mono text-[13px] text-slate-700">/p/{portal.slug}</span></td>
                        <td className={`${cell} tabular text-right`}>{portal.sectionCount}</td>
                        <td className={`${cell} tabular text-right`}>{portal.documentCount}</td>
                        <td className={`${cell} tabular text-right`}>
                          {portal.activeGrantCount ? portal.activeGrantCount : <span className="text-slate-400">None</span>}
                          {portal.pendingGrantCount ? <span className="block text-xs whitespace-nowrap text-amber-800">{portal.pendingGrantCount} awaiting approval</span> : null}
                        </td>
                        <td className={`${cell} whitespace-nowrap`}><time dateTime={portal.createdAt.toISOString()} title={formatDateTime(portal.createdAt)}>{relativeTime(portal.createdAt, now)}</time></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager
              summary={<>{res.data.nodes.length} portal{res.data.nodes.length === 1 ? '' : 's'}</>}
              prevHref={after ? '/portals' : null}
              nextHref={res.data.hasNextPage && res.data.endCursor ? `/portals?after=${res.data.endCursor}` : null}
              prevLabel="First page"
            />
          </>
        )}
      </section>
    </>
  );
}
