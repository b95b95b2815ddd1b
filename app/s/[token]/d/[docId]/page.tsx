import type { Metadata } from 'next';
import { CjiMarking } from '@/components/guest/cji-marking';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { authorizeGuest } from '@/lib/guest/access';
import { auditInvalidId } from '@/lib/guest/bad-id';
import { openGuestViewer } from '@/lib/guest/pages';
import { findShareByToken } from '@/lib/guest/session';
import { shareViewerCollab } from '@/lib/collab/viewer-permission';
import { isLinkToken } from '@/lib/guest/link';
import { guestPageContext } from '@/lib/http/guest-page';
import { isId } from '@/lib/http/ids';
import { GuestNotice, GuestShell } from '@/components/guest/guest-shell';
import { CollabViewer } from '@/components/collab/collab-viewer';
import { PermissionNote } from '@/components/collab/permission-note';
import { NoPrint } from '@/components/guest/no-print';
import { humanSize } from '@/components/guest/format';
import { mediaTypeLabel } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Document', robots: { index: false, follow: false } };

const NOT_HERE = <GuestShell><GuestNotice title="Document not found">This document is not part of the share.</GuestNotice></GuestShell>;

export default async function ViewerPage({ params }: { params: Promise<{ token: string; docId: string }> }) {
  const { token, docId } = await params;
  const share = isLinkToken(token) ? await findShareByToken(token) : null;
  if (!share) redirect(`/s/${token}`);
  const { request, sessionToken } = await guestPageContext();
  if (!isId(docId)) {
    await auditInvalidId(share, { guestId: null, email: null }, request, 'documentId', docId);
    return NOT_HERE;
  }
  let ctx;
  try {
    ctx = await authorizeGuest(sessionToken, request, 'view', { documentId: docId, share });
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'not_found') return NOT_HERE;
    if (e.code === 'tlp_denied' || e.code === 'cji_not_permitted') {
      return <GuestShell><GuestNotice tone="danger" title="Not available" icon="shieldAlert">{e.message} Contact the person who shared it.</GuestNotice></GuestShell>;
    }
    // The landing page says why (revoked, expired, password needed…) without repeating the rules here.
    redirect(`/s/${token}`);
  }
  const viewer = await openGuestViewer(ctx);
  const v = ctx.version!;
  const { watermark, allowPrint } = ctx.obligations;
  const canDownload = ctx.share.allowDownload && (v.mediaType === 'application/pdf' || !watermark);
  const collab = shareViewerCollab(ctx);
  const header = (
    <>
      {v.document.criminalIntel ? <CjiMarking /> : null}
      <h1 className="truncate text-2xl font-semibold tracking-tight text-slate-900">{v.document.title}</h1>
      <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
        <span>{mediaTypeLabel(v.mediaType)} · {humanSize(Number(v.size))}{viewer.kind === 'pages' ? ` · ${viewer.layout.pages} ${viewer.layout.pages === 1 ? 'page' : 'pages'}` : ''}</span>
        {ctx.share.allowDownload ? null : <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="eye" className="size-3.5" />View only</span>}
        {allowPrint ? null : <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="ban" className="size-3.5" />Printing disabled</span>}
        {watermark ? <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="shield" className="size-3.5" />Watermarked with your identity</span> : null}
        <PermissionNote permission={collab.permission} />
      </p>
    </>
  );
  const download = canDownload ? <a href={`/s/${token}/d/${docId}/download`} className={button('primary')}><Icon name="download" className="size-4" />Download</a> : null;
  return (
    <GuestShell wide>
      {!allowPrint ? <NoPrint /> : null}
      <nav aria-label="Breadcrumb" className="mb-3">
        <Link href={`/s/${token}`} className="inline-flex items-center gap-1 rounded text-sm font-medium text-slate-600 hover:text-indigo-700"><Icon name="chevronLeft" className="size-4" />All documents</Link>
      </nav>
      {viewer.kind === 'pages' ? (
        <CollabViewer pagesUrl={`/s/${token}/d/${docId}/pages`} sizes={viewer.layout.sizes} title={v.document.title}
          protect={!ctx.share.allowDownload} unit={v.mediaType === 'application/pdf' ? 'pt' : 'px'}
          auth={{ kind: 'guest', base: `/s/${token}`, deviceBound: collab.deviceBound }} documentId={docId} selfId={collab.selfId} permission={collab.permission}
          proposalsUrl={`/s/${token}/d/${docId}/proposals`} header={header} actions={download} backHref={`/s/${token}`} backLabel="Back to the share" />
      ) : (
        <>
          <div className="mb-4 flex flex-wrap items-end justify-between gap-3"><div className="min-w-0">{header}</div>{download}</div>
          <GuestNotice title="No preview for this file type">
            {viewer.message}{' '}
            {canDownload ? 'Use Download to open it on your device.' : ctx.share.allowDownload ? 'This share requires a watermark on every copy, and this file type cannot carry one.' : 'This share does not allow downloads.'}
          </GuestNotice>
        </>
      )}
    </GuestShell>
  );
}
