import type { ReactNode } from 'react';
import type { PortalBranding } from '@/lib/portals/portal-lookup';
import { Icon } from '../ui/icons';

/**
 * The frame of every portal page, in the portal's brand: its colours (validated #rrggbb, set as CSS
 * variables in a nonce'd <style>, since the page policy allows no style attributes), logo, name, legal
 * footer and support contact. The brand colours passed WCAG AA for text when the portal was saved.
 */
export function PortalShell({ brand, nonce, base, signedInAs, wide, children }: {
  brand: PortalBranding; nonce?: string; base: string; signedInAs?: string | null; wide?: boolean; children: ReactNode;
}) {
  const hex = (c: string, fallback: string) => (/^#[0-9a-fA-F]{6}$/.test(c) ? c : fallback);
  const css = `:root{--portal-primary:${hex(brand.primaryColor, '#1f3a5f')};--portal-accent:${hex(brand.accentColor, '#b4471f')}}`;
  const width = wide ? 'max-w-7xl' : 'max-w-6xl';
  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      <style nonce={nonce}>{css}</style>
      <header className="bg-[var(--portal-primary)] text-white shadow-sm">
        <div className={`mx-auto flex ${width} flex-wrap items-center justify-between gap-3 px-6 py-3`}>
          <a href={base || '/'} className="flex min-w-0 items-center gap-3 rounded-md focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-white">
            {brand.logoUrl ? (
              // eslint-disable-next-line @next/next/no-img-element -- a small re-encoded logo from our own API
              <img src={brand.logoUrl} alt="" className="h-9 w-auto max-w-40 rounded bg-white/95 object-contain p-1" />
            ) : (
              <span aria-hidden className="grid size-9 place-items-center rounded-lg bg-white/15 text-base font-semibold ring-1 ring-white/25">{brand.name.slice(0, 1).toUpperCase()}</span>
            )}
            <span className="min-w-0 leading-tight">
              <span className="block truncate text-base font-semibold tracking-tight">{brand.name}</span>
              <span className="block text-xs text-white/80">Secure portal</span>
            </span>
          </a>
          {signedInAs ? (
            <div className="flex items-center gap-3 text-sm">
              <span className="hidden text-white/85 sm:inline">Signed in as <span className="font-medium text-white">{signedInAs}</span></span>
              <form method="post" action={`${base}/signout`}>
                <button type="submit" className="inline-flex items-center gap-1.5 rounded-md bg-white/10 px-3 py-1.5 text-sm font-medium text-white ring-1 ring-white/25 hover:bg-white/20 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white">
                  <Icon name="logOut" className="size-4" />Sign out
                </button>
              </form>
            </div>
          ) : null}
        </div>
      </header>
      <main className={`mx-auto w-full ${width} flex-1 px-6 ${wide ? 'py-6' : 'py-10'}`}>{children}</main>
      <footer className="border-t border-slate-200 bg-white">
        <div className={`mx-auto flex ${width} flex-col gap-2 px-6 py-5 text-xs text-slate-600 sm:flex-row sm:items-start sm:justify-between`}>
          <p className="max-w-3xl whitespace-pre-wrap [overflow-wrap:anywhere]">{brand.footer || 'Access to this portal is logged and may be withdrawn at any time.'}</p>
          {brand.supportEmail ? (
            <p className="shrink-0">Help: <a href={`mailto:${brand.supportEmail}`} className="font-medium text-[var(--portal-accent)] underline-offset-2 hover:underline">{brand.supportEmail}</a></p>
          ) : null}
        </div>
      </footer>
    </div>
  );
}

/** A primary button in the portal's colour (white text on it passed AA when the colours were saved). */
export const portalButton = 'inline-flex items-center justify-center gap-2 rounded-md bg-[var(--portal-primary)] px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:brightness-110 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--portal-primary)] disabled:opacity-60';
export const portalLink = 'font-medium text-[var(--portal-accent)] underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-[var(--portal-accent)]';
