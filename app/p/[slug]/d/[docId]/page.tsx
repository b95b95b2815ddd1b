import type { Metadata } from 'next';
import { CjiMarking } from '@/components/guest/cji-marking';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { openGuestViewer } from '@/lib/guest/pages';
import { cspNonce } from '@/lib/http/csp-nonce';
import { isId } from '@/lib/http/ids';
import { portalPageContext } from '@/lib/http/portal-page';
import { authorizePortalGuest, type PortalGuestContext } from '@/lib/portals/guest-access';
import { brandingOf } from '@/lib/portals/portal-lookup';
import { PortalShell } from '@/components/portal/portal-shell';
import { PortalNotFound } from '@/components/portal/portal-not-found';
import { GuestNotice } from '@/components/guest/guest-shell';
import { CollabViewer } from '@/components/collab/collab-viewer';
import { PermissionNote } from '@/components/collab/permission-note';
import { NoPrint } from '@/components/guest/no-print';
import { humanSize } from '@/components/guest/format';
import { mediaTypeLabel } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { mayDownload } from '@/lib/portals/decisions';
import { portalViewerCollab } from '@/lib/collab/viewer-permission';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Document', robots: { index: false, follow: false } };

/** The portal's viewer: the image-based viewer of shares (the original file never reaches the page), in the portal's brand. */
export default async function PortalViewerPage({ params }: { params: Promise<{ slug: string; docId: string }> }) {
  const { slug, docId } = await params;
  const pc = await portalPageContext(slug);
  if (!pc) return <PortalNotFound />;
  const nonce = await cspNonce();
  const brand = brandingOf(pc.portal);
  const home = pc.base || '/';
  const notice = (title: string, body: string) => (
    <PortalShell brand={brand} nonce={nonce} base={pc.base}>
      <GuestNotice title={title}>{body} <Link href={home} className="font-medium text-[var(--portal-accent)] hover:underline">Back to the portal</Link></GuestNotice>
    </PortalShell>
  );
  if (!isId(docId)) return notice('Document not found', 'This document is not available to you.');
  let ctx: PortalGuestContext;
  try {
    ctx = await authorizePortalGuest(pc.sessionToken, pc.request, 'view', pc.portal, { documentId: docId, hosts: pc.hosts });
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'not_found') return notice('Document not found', 'This document is not available to you.');
    if (e.code === 'tlp_denied' || e.code === 'cji_not_permitted') return notice('Not available', e.message);
    redirect(home); // the portal's home says why (signed out, revoked, terms…)
  }
  const viewer = await openGuestViewer(ctx);
  const v = ctx.version!;
  const { watermark, allowPrint } = ctx.obligations;
  const downloadable = mayDownload(ctx);
  const canDownload = downloadable && (v.mediaType === 'application/pdf' || !watermark);
  const collab = portalViewerCollab(ctx);
  const header = (
    <>
      {v.document.criminalIntel ? <CjiMarking /> : null}
      <h1 className="truncate text-2xl font-semibold tracking-tight text-slate-900">{v.document.title}</h1>
      <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
        <span>{mediaTypeLabel(v.mediaType)} · {humanSize(Number(v.size))}{viewer.kind === 'pages' ? ` · ${viewer.layout.pages} ${viewer.layout.pages === 1 ? 'page' : 'pages'}` : ''}</span>
        {downloadable ? null : <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="eye" className="size-3.5" />View only</span>}
        {allowPrint ? null : <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="ban" className="size-3.5" />Printing disabled</span>}
        {watermark ? <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="shield" className="size-3.5" />Watermarked with your identity</span> : null}
        <PermissionNote permission={collab.permission} />
      </p>
    </>
  );
  const download = canDownload
    ? <a href={`${pc.base}/d/${docId}/download`} className="inline-flex items-center gap-2 rounded-md bg-[var(--portal-primary)] px-4 py-2 text-sm font-semibold text-white shadow-sm hover:brightness-110"><Icon name="download" className="size-4" />Download</a>
    : null;
  return (
    <PortalShell brand={brand} nonce={nonce} base={pc.base} signedInAs={ctx.identity} wide>
      {!allowPrint ? <NoPrint /> : null}
      <nav aria-label="Breadcrumb" className="mb-3">
        <Link href={home} className="inline-flex items-center gap-1 rounded text-sm font-medium text-slate-600 hover:text-[var(--portal-accent)]"><Icon name="chevronLeft" className="size-4" />All documents</Link>
      </nav>
      {viewer.kind === 'pages' ? (
        <CollabViewer pagesUrl={`${pc.base}/d/${docId}/pages`} sizes={viewer.layout.sizes} title={v.document.title}
          protect={!downloadable} unit={v.mediaType === 'application/pdf' ? 'pt' : 'px'}
          auth={{ kind: 'guest', base: pc.base, deviceBound: collab.deviceBound }} documentId={docId} selfId={collab.selfId} permission={collab.permission}
          proposalsUrl={`${pc.base}/d/${docId}/proposals`} header={header} actions={download} backHref={home} backLabel="Back to the portal" />
      ) : (
        <>
          <div className="mb-4 flex flex-wrap items-end justify-between gap-3"><div className="min-w-0">{header}</div>{download}</div>
          <GuestNotice title="No preview for this file type">
            {viewer.message} {canDownload ? 'Use Download to open it on your device.' : 'This document cannot be downloaded here.'}
          </GuestNotice>
        </>
      )}
    </PortalShell>
  );
}
