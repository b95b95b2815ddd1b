import { prisma } from '../db/client';
import { AppError } from '../errors';
import { documentLayout, pageImage, THUMBNAIL_WIDTH, unsupportedMessage, viewerKind, warmPage, widthBucket, type Layout } from '../render/pages';
import { watermarkPageImage } from '../render/pixel-watermark';
import { markLine } from '../watermark/mark-text';
import { pageCopyCode } from '../copies/record';
import { pngWithCopyCode } from '../copies/metadata';
import type { ServingContext } from './access';
import { auditGuest } from './audit';
import { recordPageDwell } from '../portals/page-timing';

export interface ViewerInfo { kind: 'pages'; layout: Layout; versionId: string }
export type Viewer = ViewerInfo | { kind: 'unsupported'; message: string };

const who = (ctx: ServingContext) => ctx.actor;

function servedVersion(ctx: ServingContext) {
  if (!ctx.version) throw new AppError('not_found', 'This link or document does not exist, or is not shared with you.');
  return ctx.version;
}

/**
 * Opening a document in the viewer (the policy has allowed `view`): its page layout, or why it cannot be
 * shown. Audited as guest.view, and counted as an access of the share. Never returns file bytes.
 */
export async function openGuestViewer(ctx: ServingContext): Promise<Viewer> {
  const v = servedVersion(ctx);
  const base = { documentId: v.documentId, details: { versionId: v.id, sessionId: ctx.sessionId } };
  if (viewerKind(v.mediaType) === 'unsupported') {
    await auditGuest(ctx.orgId, 'guest.view', who(ctx), ctx.request, { ...base, outcome: 'denied', reason: 'preview_unsupported' });
    return { kind: 'unsupported', message: unsupportedMessage(v.mediaType) };
  }
  const layout = await documentLayout(v);
  await auditGuest(ctx.orgId, 'guest.view', who(ctx), ctx.request, { ...base, details: { ...base.details, pages: layout.pages } });
  ctx.countAccess();
  return { kind: 'pages', layout, versionId: v.id };
}

/** Page layout for the guest API (GET /api/portal/v1/documents/<id>), without counting an access. */
export async function guestDocumentLayout(ctx: ServingContext): Promise<Viewer> {
  const v = servedVersion(ctx);
  if (viewerKind(v.mediaType) === 'unsupported') return { kind: 'unsupported', message: unsupportedMessage(v.mediaType) };
  return { kind: 'pages', layout: await documentLayout(v), versionId: v.id };
}

export interface PageImage { body: Buffer; mediaType: 'image/png'; width: number; page: number; watermarked: boolean; copyCode: string }

/**
 * One page of the version the policy decided on, as an image — the only form in which a document
 * that may not be downloaded ever leaves. Rendered (and cached encrypted) without the mark; the mark is
 * drawn into the pixels for this recipient, this address and this minute on every request.
 *
 * The first time a session is shown a page, that page is audited (guest.view.page) in the same
 * transaction that records it, and before any byte is released; later fetches only count. Thumbnails
 * (THUMBNAIL_WIDTH) are recorded once per version and session as guest.view.thumbnails (page 0), so
 * page-level figures count pages read, not the thumbnail strip.
 *
 * Each page released on a session has its copy code (lib/copies), made in the same transaction: drawn in
 * the mark and written into the PNG's metadata of this response only. The cache holds unmarked pixels,
 * and the mark layer cache is keyed by the whole mark line, code included, so no recipient is ever
 * served another's code.
 */
export async function serveGuestPage(ctx: ServingContext, page: number, requestedWidth: number | null): Promise<PageImage> {
  const v = servedVersion(ctx);
  const width = widthBucket(requestedWidth);
  const image = await pageImage(v, page, width);
  const thumbnail = width === THUMBNAIL_WIDTH;
  const watermark = ctx.obligations.watermark;
  const copyCode = await recordPageView(ctx, v, thumbnail ? 0 : page, page, width, watermark);
  const marked = watermark
    ? await watermarkPageImage(image, markLine({ identity: ctx.identity, ip: ctx.request.ip ?? 'unknown', at: new Date(), ...ctx.mark, copyCode }))
    : image;
  const body = pngWithCopyCode(marked, copyCode);
  // Portal analytics: time on each page, from one page image to the next on the session.
  if (ctx.portalId && !thumbnail) await recordPageDwell(ctx.sessionId, v.id, page, new Date());
  // Quick page turns: render the next page into the cache now. Nothing is sent or audited for it.
  if (!thumbnail) void warmPage(v, page + 1, width).catch(() => undefined);
  return { body, mediaType: 'image/png', width, page, watermarked: watermark, copyCode };
}

/**
 * The view is recorded and, the first time, audited in one transaction: a concurrent request for the same
 * page waits on the row until this one commits or rolls back, so no page is ever served as "already
 * audited" when its audit event failed.
 */
async function recordPageView(ctx: ServingContext, v: NonNullable<ServingContext['version']>, page: number, imagePage: number, width: number, watermarked: boolean): Promise<string> {
  const { id: versionId, documentId } = v;
  return prisma().$transaction(async (tx) => {
    const copy = await pageCopyCode(tx, ctx, v, imagePage, watermarked);
    const rows = await tx.$queryRaw<Array<{ inserted: boolean }>>`
      INSERT INTO "GuestPageView" ("sessionId", "versionId", "page") VALUES (${ctx.sessionId}, ${versionId}, ${page})
      ON CONFLICT ("sessionId", "versionId", "page")
      DO UPDATE SET "views" = "GuestPageView"."views" + 1, "lastAt" = CURRENT_TIMESTAMP
      RETURNING (xmax = 0) AS inserted`;
    if (rows[0]?.inserted) {
      await auditGuest(ctx.orgId, page === 0 ? 'guest.view.thumbnails' : 'guest.view.page', who(ctx), ctx.request, {
        documentId, details: { versionId, ...(page === 0 ? {} : { page, copyCode: copy.code }), width, watermarked, sessionId: ctx.sessionId },
      }, tx);
    }
    return copy.code;
  });
}
