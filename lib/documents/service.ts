import { Readable, Transform } from 'node:stream';
import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError, isAppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { BlobTooLargeError, discardBlob, putBlob, readBlob } from '../storage/blob-store';
import { Tlp } from '../generated/prisma/enums';
import { cleanDisplayName, mediaTypeFor } from './filename';
import { TLP_DISPLAY } from '../shares/tlp';
import { grantsBlockingTlp } from '../governance/tlp';
import { RELEASE_PROBLEM_TEXT, type ReleaseProblem } from '../policy/tlp-scope';
import { indexUploadedVersion } from '../watermark/fast';
import { removeStoredFiles } from '../storage/remove';
import { after, invalidCursor } from '../db/keyset';
import { reviewState } from '../cfr/review';
import { assertDeletable, assertNotPurged } from '../cfr/records';

export const TLP_VALUES = Object.values(Tlp) as [Tlp, ...Tlp[]];
export const tlpSchema = z.enum(TLP_VALUES);

export const uploadFields = z.object({
  title: z.string().max(300).optional(),
  tlp: z.string().trim().toUpperCase().pipe(tlpSchema).default('AMBER'),
});

export interface IncomingFile { stream: Readable; fileName?: string | null; mediaType?: string | null }

/** Streams the file into encrypted storage, capturing its first bytes to sniff the type. Guests' proposed versions (lib/collab/proposals.ts) use it too. */
export async function storeFile(file: IncomingFile, maxBytes: number) {
  let head: Buffer = Buffer.alloc(0);
  const sniff = new Transform({
    transform(chunk: Buffer, _e, cb) {
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      cb(null, chunk);
    },
  });
  file.stream.on('error', (e) => sniff.destroy(e));
  let blob;
  try {
    blob = await putBlob(file.stream.pipe(sniff), maxBytes);
  } catch (e) {
    if (e instanceof BlobTooLargeError) throw new AppError('payload_too_large', `The file exceeds the ${Math.round(maxBytes / 1048576)} MB limit.`);
    throw e;
  }
  if (blob.size === 0) {
    await discardBlob(blob.key);
    throw new AppError('validation_failed', 'The file is empty.');
  }
  return { blob, mediaType: mediaTypeFor(file.mediaType, head), fileName: cleanDisplayName(file.fileName) };
}

/** Runs `write`; if it fails, the blob it would have pointed at is removed so nothing is left half-written. */
export async function commitOrDiscard<T>(blobKey: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    await discardBlob(blobKey);
    throw e;
  }
}

/** A store that failed mid-upload (503): nothing was stored, and the trail says so before the caller hears it. */
async function auditStorageFailure(p: Principal, type: 'document.upload' | 'document.version', documentId: string | null, file: IncomingFile, e: unknown): Promise<never> {
  if (isAppError(e) && e.code === 'storage_unavailable') {
    await recordAudit({ orgId: p.orgId, type, actor: actorOf(p), request: p.request, documentId, outcome: 'failure', reason: 'storage_unavailable', details: { fileName: cleanDisplayName(file.fileName) } });
  }
  throw e;
}

export async function createDocument(p: Principal, file: IncomingFile, rawFields: unknown, maxBytes: number) {
  authorize(p, 'documents:write');
  const { blob, mediaType, fileName } = await storeFile(file, maxBytes).catch((e) => auditStorageFailure(p, 'document.upload', null, file, e));
  const fields = await commitOrDiscard(blob.key, async () => uploadFields.parse(await rawFields));
  const title = cleanDisplayName(fields.title || fileName);
  const created = await commitOrDiscard(blob.key, () => prisma().$transaction(async (tx) => {
    const doc = await tx.document.create({ data: { orgId: p.orgId, title, createdById: p.kind === 'staff' ? p.userId : null } });
    const version = await tx.documentVersion.create({
      data: {
        documentId: doc.id, number: 1, blobKey: blob.key, wrappedKey: new Uint8Array(blob.wrappedKey), sha256: blob.sha256,
        size: BigInt(blob.size), mediaType, fileName, tlp: fields.tlp, createdById: p.kind === 'staff' ? p.userId : null,
      },
    });
    await recordAudit({
      orgId: p.orgId, type: 'document.upload', actor: actorOf(p), request: p.request, documentId: doc.id,
      details: { title, versionId: version.id, version: 1, sha256: blob.sha256, size: blob.size, mediaType, tlp: fields.tlp },
    }, tx);
    return { id: doc.id, versionId: version.id, sha256: blob.sha256 };
  }));
  await indexForDownloads(created.versionId, blob, mediaType);
  return created;
}

/** PDFs are indexed once here, so each watermarked download is a single streamed pass (lib/watermark/fast). */
async function indexForDownloads(versionId: string, blob: { key: string; wrappedKey: Buffer; sha256: string; size: number }, mediaType: string) {
  await indexUploadedVersion({ id: versionId, sha256: blob.sha256, size: blob.size, mediaType, blobKey: blob.key, wrappedKey: blob.wrappedKey });
}

export async function addVersion(p: Principal, documentId: string, file: IncomingFile, rawFields: unknown, maxBytes: number) {
  authorize(p, 'documents:write');
  const doc = await requireDocument(p, documentId);
  await assertNotPurged(p.orgId, documentId);
  const { blob, mediaType, fileName } = await storeFile(file, maxBytes).catch((e) => auditStorageFailure(p, 'document.version', documentId, file, e));
  const fields = await commitOrDiscard(blob.key, async () => uploadFields.parse(await rawFields));
  await refuseAboveShareCeiling(p, doc, fields.tlp, blob.key);
  const added = await commitOrDiscard(blob.key, () => prisma().$transaction(async (tx) => {
    const last = await tx.documentVersion.findFirst({ where: { documentId }, orderBy: { number: 'desc' }, select: { number: true } });
    const number = (last?.number ?? 0) + 1;
    const version = await tx.documentVersion.create({
      data: {
        documentId, number, blobKey: blob.key, wrappedKey: new Uint8Array(blob.wrappedKey), sha256: blob.sha256,
        size: BigInt(blob.size), mediaType, fileName, tlp: fields.tlp, createdById: p.kind === 'staff' ? p.userId : null,
      },
    });
    await tx.document.update({ where: { id: documentId, orgId: p.orgId }, data: { updatedAt: new Date() } });
    await recordAudit({
      orgId: p.orgId, type: 'document.version', actor: actorOf(p), request: p.request, documentId,
      details: { title: doc.title, versionId: version.id, version: number, sha256: blob.sha256, size: blob.size, mediaType, tlp: fields.tlp },
    }, tx);
    return { id: documentId, versionId: version.id, sha256: blob.sha256 };
  }));
  await indexForDownloads(added.versionId, blob, mediaType);
  return added;
}

/**
 * A new version that a live share or portal grant of the document could not release (above a ceiling,
 * AMBER+STRICT beyond one partner, RED beyond named and approved recipients) may not become current:
 * the upload is refused (and audited), rather than the grants being suspended behind the sharer's back. Revoke the shares first, or mark the version at or under the ceiling. The policy
 * checks the marking of the version it serves on every request as well, so a share can never release
 * such a version even if one slipped in (a share created at the same instant, a lowered ceiling).
 */
async function refuseAboveShareCeiling(p: Principal, doc: { id: string; title: string }, tlp: Tlp, blobKey: string) {
  const blocked = await sharesBlockingTlp(p.orgId, doc.id, tlp);
  if (!blocked) return;
  await discardBlob(blobKey);
  await recordAudit({
    orgId: p.orgId, type: 'document.version', actor: actorOf(p), request: p.request, documentId: doc.id, outcome: 'denied',
    reason: 'tlp_above_share_ceiling', details: { title: doc.title, tlp, ceiling: blocked.ceiling, shareIds: blocked.shareIds, portalGrantIds: blocked.portalGrantIds, problems: blocked.problems },
  });
  throw tlpCeilingConflict(doc.title, tlp, blocked);
}

export interface TlpBlock { ceiling: Tlp; shareIds: string[]; portalGrantIds: string[]; problems: string[] }

/**
 * The live shares and portal grants of a document that could not release a version marked `tlp` (above
 * the ceiling of the organisation or of a partner they reach; AMBER+STRICT beyond one named partner; RED
 * to more than named, approved recipients: lib/governance/tlp.ts), or null when none.
 */
export async function sharesBlockingTlp(orgId: string, documentId: string, tlp: Tlp): Promise<TlpBlock | null> {
  const blocking = await grantsBlockingTlp(orgId, documentId, tlp);
  if (!blocking.length) return null;
  const org = await prisma().organization.findUniqueOrThrow({ where: { id: orgId }, select: { tlpCeiling: true } });
  return {
    ceiling: org.tlpCeiling,
    shareIds: blocking.filter((b) => b.kind === 'share').map((b) => b.id),
    portalGrantIds: blocking.filter((b) => b.kind === 'portal').map((b) => b.id),
    problems: [...new Set(blocking.map((b) => b.problem))],
  };
}

export const tlpCeilingConflict = (title: string, tlp: Tlp, b: TlpBlock) => {
  const n = b.shareIds.length + b.portalGrantIds.length;
  const why = b.problems.map((x) => RELEASE_PROBLEM_TEXT[x as ReleaseProblem] ?? x).join('; ');
  return new AppError('conflict', `"${title}" is released by ${n} active ${n === 1 ? 'share or portal grant' : 'shares or portal grants'} that may not carry a ${TLP_DISPLAY[tlp]} version: ${why} (the organisation's own ceiling is ${TLP_DISPLAY[b.ceiling]}). Revoke them first, or mark this version lower.`);
};

async function requireDocument(p: Principal, id: string) {
  const doc = await prisma().document.findFirst({ where: { id, orgId: p.orgId }, select: { id: true, title: true } });
  if (!doc) throw new AppError('not_found', 'No such document.');
  return doc;
}

export const listQuery = z.object({
  q: z.string().trim().max(200).optional(),
  tlp: tlpSchema.optional(),
  take: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(64).optional(),
});

const versionSummary = { id: true, number: true, sha256: true, size: true, mediaType: true, fileName: true, tlp: true, createdAt: true, pages: true } as const;

/** Lists the organisation's documents, newest first, searching titles and file names. */
export async function listDocuments(p: Principal, rawQuery: unknown) {
  authorize(p, 'documents:read');
  const q = listQuery.parse(rawQuery);
  const position = q.cursor ? await prisma().document.findFirst({ where: { id: q.cursor, orgId: p.orgId }, select: { id: true, createdAt: true } }) : null;
  if (q.cursor && !position) throw invalidCursor();
  const where = {
    orgId: p.orgId,
    ...(q.q ? { OR: [{ title: { contains: q.q, mode: 'insensitive' as const } }, { versions: { some: { fileName: { contains: q.q, mode: 'insensitive' as const } } } }] } : {}),
    ...(q.tlp ? { versions: { some: { tlp: q.tlp } } } : {}),
    ...(position ? { AND: [after(position)] } : {}),
  };
  const rows = await prisma().document.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.take + 1,
    include: {
      versions: { orderBy: { number: 'desc' }, take: 1, select: versionSummary },
      createdBy: { select: { email: true, name: true } },
      _count: { select: { versions: true, shares: true } },
      criminalIntel: { select: { reviewDueAt: true, purgedAt: true } },
    },
  });
  const hasMore = rows.length > q.take;
  const now = new Date();
  // 28 CFR Part 23: whether each is criminal intelligence, and where its five-year review stands.
  const items = rows.slice(0, q.take).map(({ versions, _count, criminalIntel, ...d }) => ({
    ...d, latest: versions[0] ?? null, versionCount: _count.versions, shareCount: _count.shares,
    criminalIntel: criminalIntel ? { reviewDueAt: criminalIntel.reviewDueAt, reviewState: reviewState(criminalIntel, now) } : null,
  }));
  return { items, nextCursor: hasMore ? items[items.length - 1].id : null };
}

export async function getDocument(p: Principal, id: string) {
  authorize(p, 'documents:read');
  const doc = await prisma().document.findFirst({
    where: { id, orgId: p.orgId },
    include: {
      versions: { orderBy: { number: 'desc' }, select: { ...versionSummary, createdBy: { select: { email: true } } } },
      createdBy: { select: { email: true, name: true } },
      _count: { select: { shares: true } },
    },
  });
  if (!doc) throw new AppError('not_found', 'No such document.');
  return doc;
}

/** Opens a version for a staff download (latest when versionId is omitted) and audits it. */
export async function openDocumentContent(p: Principal, documentId: string, versionId?: string) {
  authorize(p, 'documents:read');
  const doc = await requireDocument(p, documentId);
  const version = await prisma().documentVersion.findFirst({
    where: { documentId, document: { orgId: p.orgId }, ...(versionId ? { id: versionId } : {}) },
    orderBy: { number: 'desc' },
  });
  if (!version) throw new AppError('not_found', 'No such version.');
  // Opened before the audit: a store that is down is a 503, not a download on record that never happened.
  const stream = await readBlob(version.blobKey, version.wrappedKey);
  try {
    await recordAudit({
      orgId: p.orgId, type: 'document.download', actor: actorOf(p), request: p.request, documentId,
      details: { title: doc.title, versionId: version.id, version: version.number, sha256: version.sha256 },
    });
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return {
    stream,
    fileName: version.fileName, mediaType: version.mediaType, size: Number(version.size), sha256: version.sha256,
  };
}

/** Deletes a document, its versions and their encrypted files. The audit trail keeps the record. */
export async function deleteDocument(p: Principal, id: string) {
  authorize(p, 'documents:write');
  await assertDeletable(p.orgId, id);
  const keys = await prisma().$transaction(async (tx) => {
    const doc = await tx.document.findFirst({
      where: { id, orgId: p.orgId },
      include: { versions: { select: { id: true, blobKey: true, sha256: true, number: true } }, proposals: { select: { blobKey: true, acceptedVersionId: true } } },
    });
    if (!doc) throw new AppError('not_found', 'No such document.');
    await tx.document.delete({ where: { id, orgId: p.orgId } });
    await recordAudit({
      orgId: p.orgId, type: 'document.delete', actor: actorOf(p), request: p.request, documentId: id,
      details: { title: doc.title, versions: doc.versions.map((v) => ({ version: v.number, sha256: v.sha256 })), ...(doc.proposals.length ? { proposals: doc.proposals.length } : {}) },
    }, tx);
    // Guests' proposed files go with the document (an accepted one is also a version's file).
    return { versions: doc.versions, proposalBlobs: doc.proposals.filter((x) => !x.acceptedVersionId).map((x) => x.blobKey) };
  });
  await removeStoredFiles(keys.versions, keys.proposalBlobs);
  return { id };
}
