import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { readBlob } from '../storage/blob-store';
import { isWatermarkable, restrictPdf, watermarkPdf } from '../watermark';
import type { GuestContext } from './access';
import { auditGuest } from './audit';

/** The documents a session may see, as the guest API lists them. */
export async function listGuestDocuments(ctx: GuestContext) {
  const docs = await prisma().document.findMany({
    where: { id: { in: ctx.share.documents.map((d) => d.documentId) }, orgId: ctx.share.orgId },
    orderBy: { title: 'asc' },
    include: { versions: { orderBy: { number: 'desc' }, take: 1, select: { mediaType: true, size: true, fileName: true, pages: true, tlp: true } } },
  });
  return docs.map((d) => ({
    id: d.id, title: d.title, permission: ctx.share.permission, allowDownload: ctx.share.allowDownload,
    allowPrint: ctx.share.allowPrint, watermark: ctx.share.watermark,
    mediaType: d.versions[0]?.mediaType ?? null, size: d.versions[0] ? Number(d.versions[0].size) : null,
    fileName: d.versions[0]?.fileName ?? null, tlp: d.versions[0]?.tlp ?? null,
  }));
}

export interface GuestFile { body: Readable | Buffer; fileName: string; mediaType: string; size: number | null; watermarked: boolean }

// pdf-lib needs the whole document in memory; beyond this a watermarked copy is refused, not risked.
const MAX_WATERMARK_BYTES = 200 * 1024 * 1024;

/**
 * The bytes of a shared document for `preview` (the viewer) or `download` (the file). The caller has
 * already had the policy allow this action on this document. When the share says watermark, only a
 * stamped copy leaves; a type that cannot be stamped is refused rather than served unmarked.
 */
export async function openGuestContent(ctx: GuestContext, documentId: string, mode: 'preview' | 'download'): Promise<GuestFile> {
  const version = await prisma().documentVersion.findFirst({
    where: { documentId, document: { orgId: ctx.share.orgId } },
    orderBy: { number: 'desc' },
  });
  if (!version) throw new AppError('not_found', 'This link or document does not exist, or is not shared with you.');
  const who = { guestId: ctx.guestId, email: ctx.email, shareId: ctx.share.id };
  const { watermark, allowPrint } = ctx.obligations;
  const isPdf = isWatermarkable(version.mediaType);
  if (watermark && !isPdf) {
    await auditGuest(ctx.share.orgId, `guest.${mode}`, who, ctx.request, { documentId, outcome: 'denied', reason: 'watermark_unsupported' });
    throw new AppError('unprocessable', 'This file type cannot be watermarked, so it cannot be released from a watermarked share.');
  }
  const at = new Date();
  let file: GuestFile;
  if (isPdf && (watermark || !allowPrint)) {
    if (Number(version.size) > MAX_WATERMARK_BYTES) throw new AppError('unprocessable', 'This PDF is too large to be watermarked.');
    const original = await readAll(readBlob(version.blobKey, version.wrappedKey));
    const out = watermark
      ? await watermarkPdf(original, { identity: ctx.identity, ip: ctx.request.ip ?? 'unknown', at, shareId: ctx.share.id }, { allowPrint })
      : await restrictPdf(original);
    file = { body: Buffer.from(out), fileName: version.fileName, mediaType: 'application/pdf', size: out.length, watermarked: watermark };
  } else {
    file = { body: readBlob(version.blobKey, version.wrappedKey), fileName: version.fileName, mediaType: version.mediaType, size: Number(version.size), watermarked: false };
  }
  await prisma().share.update({ where: { id: ctx.share.id }, data: { accessCount: { increment: 1 }, lastAccessAt: at } });
  await auditGuest(ctx.share.orgId, `guest.${mode === 'download' ? 'download' : 'view'}`, who, ctx.request, {
    documentId, details: { versionId: version.id, sha256: version.sha256, watermarked: file.watermarked, sessionId: ctx.sessionId },
  });
  return file;
}
