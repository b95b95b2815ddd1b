import Link from 'next/link';
import type { PortalSectionView } from '@/lib/portals/landing';
import type { PortalBranding } from '@/lib/portals/portal-lookup';
import type { HiddenDocument } from '@/lib/portals/preview';
import { humanSize } from '../guest/format';
import { mediaTypeLabel } from '../ui/format';
import { Icon } from '../ui/icons';
import { TlpBadge } from '../ui/tlp-badge';
import { PreviewBrandStyle, PreviewPortalHeader } from './portal-preview-parts';

/**
 * The portal's home as the previewed guest would see it, inside the console: the portal's header in its
 * colours, the same sections and documents, each opening in the preview's viewer (docHref). Below the
 * frame, the portal's documents they would not see listed, which staff may open to see the refusal.
 */
export function PortalPreviewFrame({ portalId, brand, sections, hidden, label, docHref }: {
  portalId: string; brand: PortalBranding; sections: PortalSectionView[]; hidden: HiddenDocument[]; label: string; docHref: (documentId: string) => string;
}) {
  const total = sections.reduce((n, s) => n + s.documents.length, 0);
  return (
    <>
      <section data-portal-preview aria-label={`The portal as ${label} sees it`} className="overflow-hidden rounded-xl bg-slate-50 shadow-sm ring-1 ring-slate-300">
        <PreviewBrandStyle portalId={portalId} version={`${brand.primaryColor}${brand.accentColor}`.replace(/#/g, '')} />
        <PreviewPortalHeader brand={brand} label={label} />
        <div className="p-5">
          <p className="text-sm text-slate-600">{total} {total === 1 ? 'document' : 'documents'} in {sections.length} {sections.length === 1 ? 'section' : 'sections'}</p>
          {sections.length === 0 ? (
            <div className="mt-4 rounded-lg bg-white px-6 py-10 text-center ring-1 ring-slate-200">
              <Icon name="layers" className="mx-auto size-7 text-slate-400" />
              <p className="mt-2 text-sm font-medium text-slate-900">They would see no documents</p>
            </div>
          ) : (
            <div className="mt-4 space-y-4">
              {sections.map((s) => (
                <div key={s.id} className="overflow-hidden rounded-lg bg-white ring-1 ring-slate-200">
                  <h3 className="border-b border-slate-100 bg-slate-50 px-4 py-2 text-sm font-semibold text-slate-900">{s.name}</h3>
                  <ul className="divide-y divide-slate-100">
                    {s.documents.map((d) => (
                      <li key={d.id} className="flex items-center gap-3 px-4 py-2.5 text-sm">
                        <Icon name="file" className="size-4 shrink-0 text-slate-400" />
                        <Link href={docHref(d.id)} className="min-w-0 flex-1 truncate rounded font-medium text-[var(--portal-accent)] underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-[var(--portal-accent)]">{d.title}</Link>
                        <span className="hidden text-xs text-slate-500 sm:inline">{mediaTypeLabel(d.mediaType)} · {humanSize(d.size)}</span>
                        {d.tlp ? <TlpBadge tlp={d.tlp} /> : null}
                        <span className={`rounded-full px-2 py-0.5 text-xs ring-1 ring-inset ${d.allowDownload ? 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' : 'bg-slate-50 text-slate-700 ring-slate-300'}`}>{d.allowDownload ? 'Can download' : 'View only'}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )}
        </div>
      </section>
      {hidden.length ? (
        <section aria-labelledby="hidden-title" className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <h2 id="hidden-title" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-900">Not listed for them <span className="font-normal text-slate-500">({hidden.length})</span></h2>
          <p className="px-5 pt-3 text-xs text-slate-500">The portal’s other documents. Open one to see the refusal they would get.</p>
          <ul className="divide-y divide-slate-100 px-1 pb-1">
            {hidden.map((d) => (
              <li key={d.id} className="flex items-center gap-3 px-4 py-2.5 text-sm">
                <Icon name="ban" className="size-4 shrink-0 text-slate-400" />
                <Link href={docHref(d.id)} className="min-w-0 flex-1 truncate rounded font-medium text-slate-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">{d.title}</Link>
                <span className="text-xs text-slate-500">{d.section}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
