import { buffer as readAll } from 'node:stream/consumers';
import { Readable } from 'node:stream';
import { AppError } from '../errors';
import { decideAccess } from '../policy';
import { readBlob, readBlobBuffer } from '../storage/blob-store';
import { isWatermarkable, restrictPdf, watermarkPdf } from '../watermark';
import { fastIndexFor, writeFastCopy } from '../watermark/fast';
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
 * Every download gets a copy code (lib/copies), recorded with who, where and what before release. A PDF
 * carries it in its metadata (Info and XMP), and in its stamp when watermarked: with printing allowed the
 * copy is streamed from the version's index (lib/watermark/fast), else rewritten by pdf-lib. A PDF that
 * cannot be indexed and needs no rewriting, and any other type, is released unchanged: recorded, but
 * without the code in the file.
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
  const mark = { identity: ctx.identity, ip: ctx.request.ip ?? 'unknown', at, ...ctx.mark, copyCode };
  let file: GuestFile | undefined;
  // Printing allowed, stamped or not: one streamed pass over the original, from the version's upload-time
  // index. Print-disabled copies (encrypted) and files that could not be indexed take the pdf-lib path.
  const index = isPdf && allowPrint ? await fastIndexFor(version) : null;
  if (index) {
    // A small original is read and checked whole first, as below: a damaged one is an error, not half a copy.
    const whole = Number(version.size) <= SMALL_FILE_BYTES ? await readBlobBuffer(version.blobKey, version.wrappedKey) : null;
    const source = () => (whole ? Readable.from([whole]) : readBlob(version.blobKey, version.wrappedKey));
    const copy = await writeFastCopy(index, source, copyCode, watermark ? mark : undefined);
    file = { body: copy.body, fileName: version.fileName, mediaType: 'application/pdf', size: copy.size, watermarked: watermark, copyCode };
  } else if (isPdf && (watermark || !allowPrint)) {
    if (Number(version.size) > MAX_WATERMARK_BYTES) throw new AppError('unprocessable', 'This PDF is too large to be watermarked.');
    const original = await readAll(readBlob(version.blobKey, version.wrappedKey));
    const out = watermark
      ? await watermarkPdf(original, mark, { allowPrint, copyCode })
      : await restrictPdf(original, copyCode);
    file = { body: Buffer.from(out), fileName: version.fileName, mediaType: 'application/pdf', size: out.length, watermarked: watermark, copyCode };
  } else if (Number(version.size) <= SMALL_FILE_BYTES) {
    // Read and checked whole before anything is sent: a damaged small file is an error, not half a file.
    const body = await readBlobBuffer(version.blobKey, version.wrappedKey);
    file = { body, fileName: version.fileName, mediaType: version.mediaType, size: body.length, watermarked: false, copyCode: null };
  } else {
    file = { body: readBlob(version.blobKey, version.wrappedKey), fileName: version.fileName, mediaType: version.mediaType, size: Number(version.size), watermarked: false, copyCode: null };
  }
  await recordDownloadCopy(ctx, version, copyCode, { watermarked: file.watermarked, codeEmbedded: file.copyCode !== null });
  try {
    await auditGuest(ctx.orgId, 'guest.download', who, ctx.request, {
      documentId, details: { versionId: version.id, sha256: version.sha256, watermarked: file.watermarked, sessionId: ctx.sessionId, copyCode },
    });
  } catch (e) {
    // Not audited, so not released: the copy record must not claim a release that never happened.
    if (!Buffer.isBuffer(file.body)) file.body.destroy();
    await discardCopyRecord(copyCode).catch(() => undefined);
    throw e;
  }
  ctx.countAccess(at);
  return file;
}
