import Link from 'next/link';
import type { PreviewedDocument } from '@/lib/portals/preview-document';
import { brandingOf } from '@/lib/portals/portal-lookup';
import { humanSize } from '../guest/format';
import { PageViewer } from '../guest/page-viewer';
import { mediaTypeLabel } from '../ui/format';
import { Icon } from '../ui/icons';
import { PreviewBanner, PreviewBrandStyle, PreviewPortalHeader } from './portal-preview-parts';

/**
 * A portal document as the previewed guest would get it, inside the console: the portal's header in its
 * colours, the same image viewer (its page images come from the preview's own route, watermarked as the
 * guest's would be and marked as a staff preview), or the refusal that guest would be shown.
 */
export function PortalPreviewDocument({ doc, homeHref, pagesUrl }: { doc: PreviewedDocument; homeHref: string; pagesUrl: string }) {
  const brand = brandingOf(doc.portal);
  return (
    <div className="space-y-4">
      <PreviewBanner label={doc.label} />
      <section data-portal-preview aria-label={`The document as ${doc.label} would see it`} className="overflow-hidden rounded-xl bg-slate-50 shadow-sm ring-1 ring-slate-300">
        <PreviewBrandStyle portalId={doc.portal.id} version={`${brand.primaryColor}${brand.accentColor}`.replace(/#/g, '')} />
        <PreviewPortalHeader brand={brand} label={doc.label} />
        <div className="p-5">
          <nav aria-label="Breadcrumb" className="mb-3">
            <Link href={homeHref} className="inline-flex items-center gap-1 rounded text-sm font-medium text-slate-600 hover:text-[var(--portal-accent)] focus-visible:outline-2 focus-visible:outline-[var(--portal-accent)]">
              <Icon name="chevronLeft" className="size-4" />All documents (preview)
            </Link>
          </nav>
          {doc.kind === 'refused' ? (
            <div className="mx-auto max-w-lg rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200" data-testid="preview-refusal">
              <div aria-hidden className="mx-auto mb-5 grid size-12 place-items-center rounded-full bg-amber-50 text-amber-700 ring-8 ring-amber-50/60">
                <Icon name="ban" className="size-6" />
              </div>
              <h2 className="text-xl font-semibold tracking-tight text-slate-900">{doc.refusal.title}</h2>
              <p className="mt-2 text-sm leading-6 text-slate-600">{doc.refusal.message}</p>
              <p className="mt-5 border-t border-slate-100 pt-4 text-xs leading-5 text-slate-500">
                {doc.refusal.where === 'viewer' ? 'Shown in the portal’s viewer.' : 'The viewer would send them to the portal’s home, which shows this.'}{' '}
                Policy reason: <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] text-slate-700">{doc.reason}</code>
                {doc.title ? <> · document “{doc.title}”</> : null}
              </p>
            </div>
          ) : (
            <>
              <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
                <div className="min-w-0">
                  <h2 className="truncate text-2xl font-semibold tracking-tight text-slate-900">{doc.title}</h2>
                  <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
                    <span>{mediaTypeLabel(doc.mediaType)} · {humanSize(doc.size)}{doc.viewer.kind === 'pages' ? ` · ${doc.viewer.layout.pages} ${doc.viewer.layout.pages === 1 ? 'page' : 'pages'}` : ''} · version {doc.versionNumber}</span>
                    {doc.downloadable ? <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="download" className="size-3.5" />Could download</span> : <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="eye" className="size-3.5" />View only</span>}
                    {doc.allowPrint ? null : <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="ban" className="size-3.5" />Printing disabled</span>}
                    {doc.watermark ? <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="shield" className="size-3.5" />Watermarked with their identity (marked here as your preview)</span> : <span className="text-slate-500">No watermark</span>}
                  </p>
                </div>
              </div>
              {doc.viewer.kind === 'pages' ? (
                <PageViewer pagesUrl={pagesUrl} sizes={doc.viewer.layout.sizes} title={doc.title} shareUrl={homeHref} protect={!doc.downloadable}
                  unit={doc.mediaType === 'application/pdf' ? 'pt' : 'px'} />
              ) : (
                <div className="mx-auto max-w-lg rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
                  <h3 className="text-base font-semibold text-slate-900">No preview for this file type</h3>
                  <p className="mt-2 text-sm text-slate-600">{doc.viewer.message} {doc.downloadable ? 'They could download it.' : 'They could not download it.'}</p>
                </div>
              )}
            </>
          )}
        </div>
      </section>
      <p className="text-xs text-slate-500">Network and country conditions evaluated from {doc.conditionsFrom}.</p>
    </div>
  );
}
