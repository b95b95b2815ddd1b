import Link from 'next/link';
import type { ActivityItem, PortalSectionView } from '@/lib/portals/landing';
import { humanSize, utc } from '../guest/format';
import { mediaTypeLabel, relativeTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { input } from '../ui/styles';
import { TlpBadge } from '../ui/tlp-badge';
import { portalButton, portalLink } from './portal-shell';

const ACTIVITY: Record<string, string> = {
  'guest.session': 'Signed in', 'guest.view': 'Opened', 'guest.download': 'Downloaded', 'terms.accept': 'Accepted the terms',
};

/** The signed-in guest's home: the sections and documents they may see, a title search, their own recent activity. */
export function PortalHome({ base, sections, total, query, activity, expiresAt, watermark, live }: {
  base: string; sections: PortalSectionView[]; total: number; query: string; activity: ActivityItem[]; expiresAt: Date | null; watermark: boolean;
  /** The live activity of the guest's grants (components/collab/guest-activity-panel.tsx). */
  live?: React.ReactNode;
}) {
  const home = base || '/';
  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_19rem]">
      <div className="min-w-0">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Documents</h1>
            <p className="mt-1 text-sm text-slate-600">{query ? `${total} ${total === 1 ? 'result' : 'results'} for “${query}”` : `${total} ${total === 1 ? 'document' : 'documents'} in ${sections.length} ${sections.length === 1 ? 'section' : 'sections'}`}</p>
          </div>
          <form role="search" method="get" action={home} className="flex w-full max-w-sm gap-2">
            <label htmlFor="q" className="sr-only">Search documents</label>
            <div className="relative flex-1">
              <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
              <input id="q" name="q" type="search" defaultValue={query} placeholder="Search by title or file name" className={`${input} py-2.5 pl-9`} />
            </div>
            <button type="submit" className={portalButton}>Search</button>
          </form>
        </div>
        {sections.length === 0 ? (
          <div className="mt-8 rounded-xl bg-white px-6 py-14 text-center shadow-sm ring-1 ring-slate-200">
            <Icon name={query ? 'search' : 'layers'} className="mx-auto size-8 text-slate-400" />
            <p className="mt-3 font-medium text-slate-900">{query ? 'No documents match your search' : 'Nothing has been shared with you here yet'}</p>
            <p className="mt-1 text-sm text-slate-600">{query ? <a href={home} className={portalLink}>Show all documents</a> : 'Documents appear here as soon as your contact makes them available to you.'}</p>
          </div>
        ) : (
          <div className="mt-6 space-y-6">
            {sections.map((s) => (
              <section key={s.id} aria-labelledby={`section-${s.id}`} className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
                <h2 id={`section-${s.id}`} className="flex items-center justify-between border-b border-slate-100 bg-slate-50/70 px-5 py-3 text-sm font-semibold text-slate-900">
                  <span className="flex items-center gap-2"><Icon name="layers" className="size-4 text-[var(--portal-accent)]" />{s.name}</span>
                  <span className="text-xs font-normal text-slate-500">{s.documents.length} {s.documents.length === 1 ? 'document' : 'documents'}</span>
                </h2>
                <ul className="divide-y divide-slate-100">
                  {s.documents.map((d) => (
                    <li key={d.id} className="flex flex-wrap items-center gap-4 px-5 py-3.5 sm:flex-nowrap">
                      <span aria-hidden className="grid size-9 shrink-0 place-items-center rounded-lg bg-slate-100 text-slate-600"><Icon name="file" className="size-5" /></span>
                      <div className="min-w-0 flex-1">
                        <Link href={`${base}/d/${d.id}`} className="block truncate font-medium text-slate-900 hover:text-[var(--portal-accent)] hover:underline">{d.title}</Link>
                        <p className="truncate text-xs text-slate-500">{mediaTypeLabel(d.mediaType)} · {humanSize(d.size)}{d.pages ? ` · ${d.pages} ${d.pages === 1 ? 'page' : 'pages'}` : ''}</p>
                      </div>
                      {d.tlp ? <TlpBadge tlp={d.tlp} /> : null}
                      <div className="flex shrink-0 gap-2">
                        <Link href={`${base}/d/${d.id}`} className="inline-flex items-center gap-1.5 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"><Icon name="eye" className="size-4" />View</Link>
                        {d.allowDownload ? <a href={`${base}/d/${d.id}/download`} className="inline-flex items-center gap-1.5 rounded-md bg-[var(--portal-primary)] px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:brightness-110"><Icon name="download" className="size-4" />Download</a> : null}
                      </div>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </div>
      <aside className="space-y-6">
        <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="text-sm font-semibold text-slate-900">Your access</h2>
          <ul className="mt-3 space-y-2 text-sm text-slate-700">
            {expiresAt ? <li className="flex gap-2"><Icon name="clock" className="mt-0.5 size-4 shrink-0 text-slate-400" />Available until {utc(expiresAt)}</li> : null}
            {watermark ? <li className="flex gap-2"><Icon name="shield" className="mt-0.5 size-4 shrink-0 text-slate-400" />Pages and copies carry your identity</li> : null}
            <li className="flex gap-2"><Icon name="eye" className="mt-0.5 size-4 shrink-0 text-slate-400" />Every document you open is recorded</li>
          </ul>
        </section>
        <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="activity-heading">
          <h2 id="activity-heading" className="text-sm font-semibold text-slate-900">Your recent activity</h2>
          {activity.length === 0 ? <p className="mt-3 text-sm text-slate-500">Nothing yet.</p> : (
            <ol className="mt-3 space-y-3">
              {activity.map((a, i) => (
                <li key={i} className="text-sm">
                  <p className="text-slate-800">
                    {a.outcome === 'denied' ? <span className="text-red-700">Refused: </span> : null}
                    {ACTIVITY[a.type] ?? a.type}{a.documentTitle ? <> <span className="font-medium">{a.documentTitle}</span></> : null}
                  </p>
                  <p className="text-xs text-slate-500"><time dateTime={a.at.toISOString()} title={utc(a.at)}>{relativeTime(a.at)}</time></p>
                </li>
              ))}
            </ol>
          )}
        </section>
        {live}
      </aside>
    </div>
  );
}
