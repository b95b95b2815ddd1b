import type { PortalBranding } from '@/lib/portals/portal-lookup';
import { Icon } from '../ui/icons';

/** The banner over every owner's preview: whom it is for, that it is read-only, and that it is the staff member's own event. */
export function PreviewBanner({ label }: { label: string }) {
  return (
    <div role="status" className="flex items-start gap-3 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-300 ring-inset">
      <Icon name="eye" className="mt-0.5 size-5 shrink-0 text-amber-700" />
      <span><strong className="font-semibold">Preview as {label}</strong> — read-only. No guest session is created and nothing is recorded as their access; this preview is recorded in the audit trail as yours.</span>
    </div>
  );
}

/**
 * The portal's colours for the preview frame ([data-portal-preview]) only, from the preview's stylesheet
 * (lib/portals/preview-brand.ts; an inline <style> would need the nonce of the page load, which a
 * client-side navigation does not have). React hoists it into the head and waits for it before showing
 * the frame. `version` (the portal's last change) makes a new colour load at once.
 */
export function PreviewBrandStyle({ portalId, version }: { portalId: string; version: string }) {
  return <link rel="stylesheet" href={`/portals/${encodeURIComponent(portalId)}/preview/brand.css?v=${encodeURIComponent(version)}`} precedence="default" />;
}

/** The portal's header as the guest sees it, in its primary colour, with its logo and name. */
export function PreviewPortalHeader({ brand, label }: { brand: PortalBranding; label: string }) {
  return (
    <div className="flex items-center gap-3 border-b border-slate-200 bg-[var(--portal-primary,#1e293b)] px-5 py-3 text-white">
      {brand.logoUrl ? (
        // eslint-disable-next-line @next/next/no-img-element -- the portal's own re-encoded logo
        <img src={brand.logoUrl} alt="" className="h-8 w-auto max-w-32 rounded bg-white/95 object-contain p-1" />
      ) : <span aria-hidden className="grid size-8 place-items-center rounded-md bg-white/15 font-semibold">{brand.name.slice(0, 1).toUpperCase()}</span>}
      <span className="leading-tight">
        <span className="block font-semibold">{brand.name}</span>
        <span className="block text-xs text-white/80">Secure portal</span>
      </span>
      <span className="ml-auto text-xs text-white/85">Signed in as {label}</span>
    </div>
  );
}
