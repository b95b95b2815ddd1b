import { buffer as readAll } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { AppError, isAppError } from '../errors';
import { decideAccess } from '../policy';
import { readBlob, readBlobBuffer } from '../storage/blob-store';
import { isWatermarkable, restrictPdf, watermarkPdf } from '../watermark';
import { newCopyCode } from '../copies/code';
import { discardCopyRecord, recordDownloadCopy } from '../copies/record';
import type { GuestContext, ServingContext } from './access';
import { auditGuest } from './audit';
import { toVersionFacts } from './facts';
import { currentVersions, sortedByTitle } from './versions';

/**
 * The documents a session may see, as the guest API lists them. Each entry is its own policy decision
 * (action list, with the current version), so a document whose current version is marked above the
 * share's ceiling is not even named.
 */
export async function listGuestDocuments(ctx: GuestContext) {
  const docs = ctx.versions ? sortedByTitle(ctx.versions) : await currentVersions(ctx.share.orgId, ctx.share.documents.map((d) => d.documentId));
  return docs
    .filter((d) => decideAccess({ ...ctx.facts, action: 'list', documentId: d.id, version: toVersionFacts(d.version) }).allow)
    .map(({ id, title, version: v }) => ({
      id, title, permission: ctx.share.permission, allowDownload: ctx.share.allowDownload,
      allowPrint: ctx.share.allowPrint, watermark: ctx.share.watermark,
      mediaType: v?.mediaType ?? null, size: v ? Number(v.size) : null, fileName: v?.fileName ?? null,
      tlp: v?.tlp ?? null, pages: v?.pages ?? null,
    }));
}

export interface GuestFile {
  body: Readable | Buffer; fileName: string; mediaType: string; size: number | null; watermarked: boolean;
  /** The copy code the bytes carry (stamp and metadata), or null for an original released unchanged. */
  copyCode: string | null;
}

// Files up to this size are read whole rather than streamed: cheaper, and verified before release.
const SMALL_FILE_BYTES = 1024 * 1024;
// pdf-lib needs the whole document in memory; beyond this a watermarked copy is refused, not risked.
const MAX_WATERMARK_BYTES = 200 * 1024 * 1024;

/**
 * The file of a shared document, for a download the policy has allowed (ctx.version is the version it
 * decided on). When the share says watermark, only a stamped copy leaves; a type that cannot be stamped
 * is refused rather than served unmarked. The download is audited before any byte is released.
 *
 * Every download gets a copy code (lib/copies), recorded with who, where and what before release; a copy
 * that is rewritten anyway (watermarked or print-disabled PDF) carries it in its stamp and metadata. An
 * original released unchanged (no watermark, printing allowed, or not a PDF) is recorded but cannot carry it.
 */
export async function openGuestDownload(ctx: ServingContext): Promise<GuestFile> {
  const version = ctx.version;
  if (!version) throw new AppError('not_found', 'This link or document does not exist, or is not shared with you.');
  const documentId = version.documentId;
  const who = ctx.actor;
  const { watermark, allowPrint } = ctx.obligations;
  const isPdf = isWatermarkable(version.mediaType);
  if (watermark && !isPdf) {
    await auditGuest(ctx.orgId, 'guest.download', who, ctx.request, { documentId, outcome: 'denied', reason: 'watermark_unsupported' });
    throw new AppError('unprocessable', 'This file type cannot be watermarked, so it cannot be released from a watermarked share.');
  }
  const at = new Date();
  const copyCode = newCopyCode();
  let file: GuestFile;
  try {
    file = await releasedFile(ctx, version, copyCode, at);
  } catch (e) {
    // The store failed (503): nothing was released, and the trail says so.
    if (isAppError(e) && e.code === 'storage_unavailable') {
      await auditGuest(ctx.orgId, 'guest.download', who, ctx.request, { documentId, outcome: 'failure', reason: 'storage_unavailable', details: { versionId: version.id } });
    }
    throw e;
  }
  await recordDownloadCopy(ctx, version, copyCode, { watermarked: file.watermarked, codeEmbedded: file.copyCode !== null });
  try {
    await auditGuest(ctx.orgId, 'guest.download', who, ctx.request, {
      documentId, details: { versionId: version.id, sha256: version.sha256, watermarked: file.watermarked, sessionId: ctx.sessionId, copyCode },
    });
  } catch (e) {
    // Not audited, so not released: the copy record must not claim a release that never happened.
    await discardCopyRecord(copyCode).catch(() => undefined);
    throw e;
  }
  ctx.countAccess(at);
  return file;
}

/** The bytes a download releases: a stamped or restricted PDF, a small file read and checked whole, or a stream. */
async function releasedFile(ctx: ServingContext, version: NonNullable<ServingContext['version']>, copyCode: string, at: Date): Promise<GuestFile> {
  const { watermark, allowPrint } = ctx.obligations;
  const isPdf = isWatermarkable(version.mediaType);
  if (isPdf && (watermark || !allowPrint)) {
    if (Number(version.size) > MAX_WATERMARK_BYTES) throw new AppError('unprocessable', 'This PDF is too large to be watermarked.');
    const original = await readAll(await readBlob(version.blobKey, version.wrappedKey));
    const out = watermark
      ? await watermarkPdf(original, { identity: ctx.identity, ip: ctx.request.ip ?? 'unknown', at, ...ctx.mark, copyCode }, { allowPrint, copyCode })
      : await restrictPdf(original, copyCode);
    return { body: Buffer.from(out), fileName: version.fileName, mediaType: 'application/pdf', size: out.length, watermarked: watermark, copyCode };
  } else if (Number(version.size) <= SMALL_FILE_BYTES) {
    // Read and checked whole before anything is sent: a damaged small file is an error, not half a file.
    const body = await readBlobBuffer(version.blobKey, version.wrappedKey);
    return { body, fileName: version.fileName, mediaType: version.mediaType, size: body.length, watermarked: false, copyCode: null };
  } else {
    return { body: await readBlob(version.blobKey, version.wrappedKey), fileName: version.fileName, mediaType: version.mediaType, size: Number(version.size), watermarked: false, copyCode: null };
  }
}
