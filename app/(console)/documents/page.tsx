import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { config } from '@/lib/config';
import { listDocuments, TLP_VALUES } from '@/lib/documents/service';
import { UploadPanel } from '@/components/documents/upload-panel';
import { CjiListBadge } from '@/components/cfr/cji-list-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Notice } from '@/components/ui/notice';
import { formatBytes, formatDateTime, mediaTypeLabel } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, input, select, td, th, cx } from '@/components/ui/styles';
import { TLP_OPTIONS, TlpBadge } from '@/components/ui/tlp-badge';
import { requirePageIds } from '../_shared/ids';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';

export const metadata: Metadata = { title: 'Documents' };

const PAGE_SIZE = 25;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DocumentsPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'documents:read')) return <Forbidden what="Reading documents is not part of your role." scope="documents:read" />;
  const sp = await searchParams;
  const q = one(sp.q)?.slice(0, 200);
  const tlpRaw = one(sp.tlp);
  const tlp = TLP_VALUES.find((t) => t === tlpRaw);
  const cursor = one(sp.cursor);
  // The cursor is the id of the last document of the previous page.
  await requirePageIds(p, 'page /documents', { cursor });
  // Cursors of the pages before this one, so "Previous" works without offsets ("-" is the first page).
  const trail = (one(sp.trail) ?? '').split(',').filter(Boolean).slice(-50);

  const res = await load(() => listDocuments(p, { q, tlp, cursor, take: PAGE_SIZE }));
  const canWrite = can(p, 'documents:write');
  const maxBytes = config().LIAISON_MAX_UPLOAD_BYTES;

  const href = (extra: Record<string, string | undefined>) => {
    const u = new URLSearchParams();
    if (q) u.set('q', q);
    if (tlp) u.set('tlp', tlp);
    for (const [k, v] of Object.entries(extra)) if (v) u.set(k, v);
    const s = u.toString();
    return `/documents${s ? `?${s}` : ''}`;
  };
  const filtered = Boolean(q || tlp);

  return (
    <>
      <PageHeader
        title="Documents"
        description="Your organisation's document library. Files are encrypted at rest; uploads, downloads and deletions are recorded in the audit trail."
      />

      {one(sp.deleted) ? <Notice tone="success" title="Document deleted" className="mb-6">Its files were removed. The audit trail keeps a record of the document and of the deletion.</Notice> : null}

      {canWrite ? (
        <section id="upload" aria-labelledby="upload-title" className={`${card} mb-8 scroll-mt-8 p-5`}>
          <h2 id="upload-title" className="mb-4 text-sm font-semibold text-slate-900">Upload a document</h2>
          <UploadPanel mode={{ kind: 'create' }} maxBytes={maxBytes} />
        </section>
      ) : null}

      <section aria-labelledby="library-title" className={card}>
        <div className="flex flex-col gap-3 border-b border-slate-200 p-4 md:flex-row md:items-center md:justify-between">
          <h2 id="library-title" className="text-sm font-semibold text-slate-900">Library</h2>
          <form role="search" action="/documents" method="get" className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <div className="relative">
              <label htmlFor="doc-q" className="sr-only">Search titles and file names</label>
              <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
              <input id="doc-q" name="q" type="search" defaultValue={q} placeholder="Search titles and file names" maxLength={200} className={`${input} w-full pl-9 sm:w-72`} />
            </div>
            <label htmlFor="doc-tlp" className="sr-only">TLP marking</label>
            <select id="doc-tlp" name="tlp" defaultValue={tlp ?? ''} className={`${select} sm:w-48`}>
              <option value="">All TLP markings</option>
              {TLP_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
            <button type="submit" className={button('secondary')}>Search</button>
            {filtered ? <Link href="/documents" className={button('ghost')}>Clear</Link> : null}
          </form>
        </div>

        {!res.ok ? (
          <div className="p-4"><LoadError error={res} /></div>
        ) : res.data.items.length === 0 ? (
          filtered
            ? <EmptyState icon="search" title="No matching documents" action={<Link href="/documents" className={button('secondary', 'sm')}>Clear the filters</Link>}>Nothing matches {q ? <>“{q}”</> : 'this filter'}{tlp && q ? ' with that marking' : ''}. Try another search or TLP marking.</EmptyState>
            : <EmptyState icon="fileUp" title="No documents yet">{canWrite ? 'Upload a file above. It is encrypted as it is stored and can then be shared.' : 'Documents uploaded by your colleagues will be listed here.'}</EmptyState>
        ) : (
          <>
            <div className="max-h-[70vh] overflow-auto">
              <table className="min-w-full border-separate border-spacing-0" data-testid="documents-table">
                <thead>
                  <tr>
                    <th scope="col" className={th}>Title</th>
                    <th scope="col" className={th}>Marking</th>
                    <th scope="col" className={th}>Type</th>
                    <th scope="col" className={cx(th, 'text-right')}>Size</th>
                    <th scope="col" className={cx(th, 'text-right')}>Versions</th>
                    <th scope="col" className={th}>Uploaded by</th>
                    <th scope="col" className={th}>Uploaded</th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {res.data.items.map((d) => (
                    <tr key={d.id} className="hover:bg-slate-50/80">
                      <td className={cx(td, 'max-w-md border-b border-slate-100')}>
                        <Link href={`/documents/${d.id}`} className="block truncate font-medium text-slate-900 hover:text-indigo-600 focus-visible:outline-offset-1">{d.title}</Link>
                        {d.latest && d.latest.fileName !== d.title ? <p className="truncate text-xs text-slate-500">{d.latest.fileName}</p> : null}
                      </td>
                      <td className={cx(td, 'border-b border-slate-100')}>
                        <span className="flex flex-col items-start gap-1">
                          <TlpBadge tlp={d.latest?.tlp} />
                          {d.criminalIntel ? <CjiListBadge reviewState={d.criminalIntel.reviewState} reviewDueAt={d.criminalIntel.reviewDueAt} /> : null}
                        </span>
                      </td>
                      <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')} title={d.latest?.mediaType}>{mediaTypeLabel(d.latest?.mediaType)}</td>
                      <td className={cx(td, 'tabular border-b border-slate-100 text-right whitespace-nowrap')}>{formatBytes(d.latest?.size)}</td>
                      <td className={cx(td, 'tabular border-b border-slate-100 text-right')}>{d.versionCount}</td>
                      <td className={cx(td, 'max-w-[14rem] truncate border-b border-slate-100')} title={d.createdBy?.email}>{d.createdBy?.name ?? d.createdBy?.email ?? <span className="text-slate-400">API key</span>}</td>
                      <td className={cx(td, 'tabular border-b border-slate-100 whitespace-nowrap text-slate-500')}><time dateTime={d.createdAt.toISOString()}>{formatDateTime(d.createdAt)}</time></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              summary={<>Showing {res.data.items.length} document{res.data.items.length === 1 ? '' : 's'}{trail.length ? `, page ${trail.length + 1}` : ''}</>}
              prevHref={trail.length ? href({ cursor: trail[trail.length - 1] === '-' ? undefined : trail[trail.length - 1], trail: trail.slice(0, -1).join(',') || undefined }) : null}
              nextHref={res.data.nextCursor ? href({ cursor: res.data.nextCursor, trail: [...trail, cursor ?? '-'].join(',') }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
