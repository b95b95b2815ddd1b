import crypto from 'node:crypto';
import { buffer as readAll } from 'node:stream/consumers';
import { Readable } from 'node:stream';
import { AppError, isAppError } from '../errors';
import { decideAccess } from '../policy';
import { readBlob, readBlobBuffer } from '../storage/blob-store';
import { isWatermarkable, restrictPdf, watermarkPdf } from '../watermark';
import { fastIndexFor, writeFastCopy } from '../watermark/fast';
import { newCopyCode } from '../copies/code';
import { discardCopyRecord, recordDownloadCopy } from '../copies/record';
import { embedCopyCode, type CopyBytes } from '../copies/embed';
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
 * copy is streamed from the version's index (lib/watermark/fast), else rewritten by pdf-lib. Any other
 * file gets it in its metadata where its format has a place for it (PNG, JPEG, WebP, Office Open XML:
 * lib/copies/embed.ts), without re-encoding. A PDF that cannot be indexed and needs no rewriting, and
 * other formats, are released unchanged: recorded, but without the code in the file. The record and the
 * audit event say whether the bytes carry the code, and name the copy's own SHA-256 beside the
 * original's when it is known before release.
 */
export async function openGuestDownload(ctx: ServingContext): Promise<GuestFile> {
  const version = ctx.version;
  if (!version) throw new AppError('not_found', 'This link or document does not exist, or is not shared with you.');
  const documentId = version.documentId;
  const who = ctx.actor;
  if (ctx.obligations.watermark && !isWatermarkable(version.mediaType)) {
    await auditGuest(ctx.orgId, 'guest.download', who, ctx.request, { documentId, outcome: 'denied', reason: 'watermark_unsupported' });
    throw new AppError('unprocessable', 'This file type cannot be watermarked, so it cannot be released from a watermarked share.');
  }
  const at = new Date();
  const copyCode = newCopyCode();
  let file: GuestFile;
  let copy: CopyBytes | null;
  try {
    ({ file, copy } = await releasedFile(ctx, version, copyCode, at));
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
      documentId, details: { versionId: version.id, sha256: version.sha256, watermarked: file.watermarked, sessionId: ctx.sessionId, copyCode, ...copyFacts(file, copy) },
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

/** The bytes a download releases, and what was done to them (see openGuestDownload). */
async function releasedFile(ctx: ServingContext, version: NonNullable<ServingContext['version']>, copyCode: string, at: Date): Promise<{ file: GuestFile; copy: CopyBytes | null }> {
  const { watermark, allowPrint } = ctx.obligations;
  const isPdf = isWatermarkable(version.mediaType);
  const mark = { identity: ctx.identity, ip: ctx.request.ip ?? 'unknown', at, ...ctx.mark, copyCode };
  // Printing allowed, stamped or not: one streamed pass over the original, from the version's upload-time
  // index. Print-disabled copies (encrypted) and files that could not be indexed take the pdf-lib path.
  const index = isPdf && allowPrint ? await fastIndexFor(version) : null;
  if (index) {
    // A small original is read and checked whole first, as below: a damaged one is an error, not half a copy.
    const whole = Number(version.size) <= SMALL_FILE_BYTES ? await readBlobBuffer(version.blobKey, version.wrappedKey) : null;
    // A large one is opened now, before the download is audited: a store that is down is a 503, not a
    // release on record whose bytes never came.
    const opened = whole ? Readable.from([whole]) : await readBlob(version.blobKey, version.wrappedKey);
    const fast = await writeFastCopy(index, async () => opened, copyCode, watermark ? mark : undefined);
    // A copy discarded before it was read (its audit failed) closes the original it had opened.
    fast.body.once('close', () => opened.destroy());
    return { file: { body: fast.body, fileName: version.fileName, mediaType: 'application/pdf', size: fast.size, watermarked: watermark, copyCode }, copy: null };
  }
  if (isPdf && (watermark || !allowPrint)) {
    if (Number(version.size) > MAX_WATERMARK_BYTES) throw new AppError('unprocessable', 'This PDF is too large to be watermarked.');
    const original = await readAll(await readBlob(version.blobKey, version.wrappedKey));
    const out = watermark ? await watermarkPdf(original, mark, { allowPrint, copyCode }) : await restrictPdf(original, copyCode);
    return { file: { body: Buffer.from(out), fileName: version.fileName, mediaType: 'application/pdf', size: out.length, watermarked: watermark, copyCode }, copy: null };
  }
  // Read and checked whole before anything is sent when small: a damaged small file is an error, not half a file.
  const copy = await embedCopyCode(Number(version.size) <= SMALL_FILE_BYTES
    ? { bytes: await readBlobBuffer(version.blobKey, version.wrappedKey) }
    : { open: () => readBlob(version.blobKey, version.wrappedKey), size: Number(version.size) }, copyCode);
  return { file: { body: copy.body, fileName: version.fileName, mediaType: version.mediaType, size: copy.size, watermarked: false, copyCode: copy.embedded ? copyCode : null }, copy };
}

/**
 * What the audit event says about the released bytes, beside the original's sha256: whether they carry
 * the code and, when they are not the original's, the copy's own hash and size and what was changed
 * (so a recipient's file that hashes differently from the original is explained, not suspicious).
 */
function copyFacts(file: GuestFile, copy: CopyBytes | null) {
  if (!copy) {
    const sha = Buffer.isBuffer(file.body) && file.copyCode ? crypto.createHash('sha256').update(file.body).digest('hex') : null;
    return { codeEmbedded: file.copyCode !== null, ...(sha ? { copySha256: sha, copySize: file.size } : {}) };
  }
  return copy.embedded
    ? { codeEmbedded: true, codeIn: copy.embedded, copySha256: copy.sha256, copySize: copy.size }
    : { codeEmbedded: false, codeNotEmbedded: copy.notEmbedded };
}
