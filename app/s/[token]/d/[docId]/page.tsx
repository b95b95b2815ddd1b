import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { authorizeGuest } from '@/lib/guest/access';
import { listGuestDocuments } from '@/lib/guest/content';
import { findShareByToken } from '@/lib/guest/session';
import { isLinkToken } from '@/lib/guest/link';
import { guestPageContext } from '@/lib/http/guest-page';
import { markLine } from '@/lib/watermark/mark-text';
import { GuestNotice, GuestShell } from '@/components/guest/guest-shell';
import { PdfViewer } from '@/components/guest/pdf-viewer';
import { WatermarkOverlay } from '@/components/guest/watermark-overlay';
import { NoPrint } from '@/components/guest/no-print';
import { humanSize } from '@/components/guest/format';
import { mediaTypeLabel } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Document', robots: { index: false, follow: false } };

export default async function ViewerPage({ params }: { params: Promise<{ token: string; docId: string }> }) {
  const { token, docId } = await params;
  const share = isLinkToken(token) ? await findShareByToken(token) : null;
  if (!share) redirect(`/s/${token}`);
  const { request, sessionToken } = await guestPageContext();
  let ctx;
  try {
    ctx = await authorizeGuest(sessionToken, request, 'view', { documentId: docId, share });
  } catch (e) {
    if (!isAppError(e)) throw e;
    // The landing page says why (revoked, expired, password needed…) without repeating the rules here.
    if (e.code !== 'not_found') redirect(`/s/${token}`);
    return <GuestShell><GuestNotice title="Document not found">This document is not part of the share.</GuestNotice></GuestShell>;
  }
  const doc = (await listGuestDocuments(ctx)).find((d) => d.id === docId);
  if (!doc) return <GuestShell><GuestNotice title="Document not found">This document is no longer available.</GuestNotice></GuestShell>;
  const mark = markLine({ identity: ctx.identity, ip: request.ip ?? 'unknown', at: new Date(), shareId: share.id });
  const preview = `/s/${token}/d/${docId}/preview`;
  const isPdf = doc.mediaType === 'application/pdf';
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(doc.mediaType ?? '') && !ctx.obligations.watermark;
  return (
    <GuestShell>
      {!ctx.obligations.allowPrint ? <NoPrint /> : null}
      <nav aria-label="Breadcrumb" className="mb-3">
        <Link href={`/s/${token}`} className="inline-flex items-center gap-1 rounded text-sm font-medium text-slate-600 hover:text-indigo-700"><Icon name="chevronLeft" className="size-4" />All documents</Link>
      </nav>
      <div className="mb-5 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="truncate text-2xl font-semibold tracking-tight text-slate-900">{doc.title}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-slate-600">
            <span>{mediaTypeLabel(doc.mediaType)} · {humanSize(doc.size)} · {doc.fileName}</span>
            {ctx.obligations.allowPrint ? null : <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="ban" className="size-3.5" />Printing disabled</span>}
            {ctx.obligations.watermark ? <span className="inline-flex items-center gap-1 text-slate-500"><Icon name="shield" className="size-3.5" />Watermarked with your identity</span> : null}
          </p>
        </div>
        {doc.allowDownload && (isPdf || !ctx.obligations.watermark) ? <a href={`/s/${token}/d/${docId}/download`} className={button('primary')}><Icon name="download" className="size-4" />Download</a> : null}
      </div>
      <div className="relative">
        {isPdf ? <PdfViewer src={preview} overlay={ctx.obligations.watermark ? <WatermarkOverlay text={mark} /> : null} /> : isImage ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={preview} alt={doc.title} className="mx-auto max-h-[80vh] rounded-lg border border-slate-200 bg-white" />
        ) : (
          <GuestNotice title="No preview for this file type">
            {doc.mediaType} · {humanSize(doc.size)}.{' '}
            {ctx.obligations.watermark
              ? 'This share requires a watermark on every copy, and this file type cannot carry one, so it cannot be released. Ask the sender for a PDF.'
              : doc.allowDownload ? 'Use Download to open it on your device.' : 'This share does not allow downloads.'}
          </GuestNotice>
        )}
        {/* A PDF's overlay sits inside the viewer, over the page rather than its toolbar. */}
        {ctx.obligations.watermark && isImage ? <WatermarkOverlay text={mark} /> : null}
      </div>
    </GuestShell>
  );
}
