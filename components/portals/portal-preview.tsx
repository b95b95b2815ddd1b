import { Painted } from './painted';

/**
 * A small picture of the portal's header, a button and a link in the chosen colours, so staff see
 * what guests will see before saving. Drawn with inline styles: the colours are data, not classes.
 */
export function PortalPreview({ name, primaryColor, accentColor, logoUrl, welcome }: { name: string; primaryColor: string; accentColor: string; logoUrl?: string | null; welcome?: string }) {
  return (
    <figure className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-label="Preview of the portal's colours" data-testid="portal-preview">
      <Painted as="div" className="flex h-12 items-center gap-2.5 bg-slate-800 px-4" paint={{ backgroundColor: primaryColor }} data-testid="preview-header">
        {logoUrl ? (
          // eslint-disable-next-line @next/next/no-img-element -- a stored logo, served by our own route
          <img src={logoUrl} alt="" className="h-7 w-auto max-w-[7rem] rounded-sm bg-white/95 object-contain p-0.5" />
        ) : (
          <span className="flex size-7 items-center justify-center rounded-md bg-white/15 text-xs font-semibold text-white">{(name.trim()[0] ?? 'P').toUpperCase()}</span>
        )}
        <span className="truncate text-sm font-semibold text-white">{name.trim() || 'Portal name'}</span>
      </Painted>
      <div className="space-y-3 p-4">
        <p className="line-clamp-2 text-sm text-slate-700">{welcome?.trim() || 'Welcome text appears here, above the documents.'}</p>
        <div className="flex flex-wrap items-center gap-4">
          <Painted className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-white shadow-sm" paint={{ backgroundColor: primaryColor }}>Sign in</Painted>
          <Painted className="text-sm font-medium underline underline-offset-2" paint={{ color: accentColor }}>Open document</Painted>
        </div>
      </div>
      <figcaption className="border-t border-slate-100 bg-slate-50 px-4 py-2 text-xs text-slate-500">Preview: header, button and link</figcaption>
    </figure>
  );
}
