import type { PortalSectionView } from '@/lib/portals/landing';
import type { PortalBranding } from '@/lib/portals/portal-lookup';
import { humanSize } from '../guest/format';
import { mediaTypeLabel } from '../ui/format';
import { Icon } from '../ui/icons';
import { TlpBadge } from '../ui/tlp-badge';

/**
 * The portal's home as the previewed guest would see it, inside the console: the portal's header in its
 * colours (drawn from the brand as classes-free markup: the console page has no brand variables, so the
 * header uses a neutral frame and names the colours), the same sections and documents, no links.
 */
export function PortalPreviewFrame({ brand, sections, label }: { brand: PortalBranding; sections: PortalSectionView[]; label: string }) {
  const total = sections.reduce((n, s) => n + s.documents.length, 0);
  return (
    <section aria-label={`The portal as ${label} sees it`} className="overflow-hidden rounded-xl bg-slate-50 shadow-sm ring-1 ring-slate-300">
      <div className="flex items-center gap-3 border-b border-slate-200 bg-slate-800 px-5 py-3 text-white">
        {brand.logoUrl ? (
          // eslint-disable-next-line @next/next/no-img-element -- the portal's own re-encoded logo
          <img src={brand.logoUrl} alt="" className="h-8 w-auto max-w-32 rounded bg-white/95 object-contain p-1" />
        ) : <span aria-hidden className="grid size-8 place-items-center rounded-md bg-white/15 font-semibold">{brand.name.slice(0, 1).toUpperCase()}</span>}
        <span className="font-semibold">{brand.name}</span>
        <span className="ml-auto text-xs text-white/75">Signed in as {label}</span>
      </div>
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
                      <span className="min-w-0 flex-1 truncate font-medium text-slate-900">{d.title}</span>
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
  );
}
