import { z } from 'zod';
import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { log } from '../log';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { commitOrDiscard, sharesBlockingTlp, storeFile, tlpCeilingConflict, tlpSchema, type IncomingFile } from '../documents/service';
import { readBlob } from '../storage/blob-store';
import { auditGuest } from '../guest/audit';
import type { GuestContext } from '../guest/access';
import type { PortalGuestContext } from '../portals/guest-access';
import { enqueueMail } from '../mail/enqueue';
import { isId } from '../http/ids';
import { failureLimiter } from '../auth/throttle';
import type { Tlp } from '../generated/prisma/enums';
import type { ProposalState } from '../generated/prisma/enums';

/**
 * Versions proposed by guests with EDIT (a marked-up contract, a corrected schedule). The file is
 * stored encrypted exactly like a staff upload, but it is not a DocumentVersion: no guest route can
 * serve it, so nobody but its author (who sees its state) and staff knows of it until staff accept it.
 * Accepting turns it into the document's next version, which every share then serves under the
 * serve-time TLP rule; rejecting keeps the file for the record.
 */

export type ProposalGuestContext = GuestContext | PortalGuestContext;

/** Uploads per guest: 20 an hour is plenty for real review work, and bounds what a flood can store. */
export const proposalUploadsPerGuest = () => failureLimiter('guest-proposals', 20, 60 * 60);

const submitFields = z.object({
  note: z.string().trim().max(2000, 'The note may be at most 2,000 characters.').default(''),
});

/** What a guest is told about their own proposals: the state, never anything about other guests'. */
export interface OwnProposalView {
  id: string; documentId: string; fileName: string; mediaType: string; size: number; sha256: string; note: string;
  state: ProposalState; createdAt: string; decidedAt: string | null; decisionNote: string | null; acceptedVersionId: string | null;
}

const ownView = (r: ProposalRow): OwnProposalView => ({
  id: r.id, documentId: r.documentId, fileName: r.fileName, mediaType: r.mediaType, size: Number(r.size), sha256: r.sha256, note: r.note,
  state: r.state, createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null,
  decisionNote: r.decisionNote, acceptedVersionId: r.acceptedVersionId,
});

const proposalSelect = {
  id: true, orgId: true, documentId: true, shareId: true, portalId: true, guestId: true, guestName: true, baseVersionId: true,
  blobKey: true, wrappedKey: true, sha256: true, size: true, mediaType: true, fileName: true, note: true, state: true,
  decidedById: true, decidedAt: true, decisionNote: true, acceptedVersionId: true, createdAt: true,
} as const;
type ProposalRow = NonNullable<Awaited<ReturnType<typeof findRow>>>;
const findRow = (db: Tx, orgId: string, id: string) => db.versionProposal.findFirst({ where: { id, orgId }, select: proposalSelect });

const isPortal = (ctx: ProposalGuestContext): ctx is PortalGuestContext => 'portal' in ctx;

/**
 * Stores a guest's proposed version of the document the policy just allowed `edit` on (ctx.version is
 * the version the guest worked from). PENDING until staff decide; audited `proposal.submitted` in the
 * grant's trail, and the owner is mailed (through the queue, in the same transaction).
 */
export async function submitProposal(ctx: ProposalGuestContext, file: IncomingFile, rawFields: unknown, maxBytes: number) {
  const base = ctx.version;
  // authorizeGuest / authorizePortalGuest load the version for `edit` on a document; without one there is no document to propose for.
  if (!base) throw new AppError('not_found', 'This document does not exist, or is not shared with you.');
  const { blob, mediaType, fileName } = await storeFile(file, maxBytes);
  const fields = await commitOrDiscard(blob.key, async () => submitFields.parse(await rawFields));
  const shareId = isPortal(ctx) ? null : ctx.share.id;
  const portalId = isPortal(ctx) ? ctx.portal.id : null;
  const owner = await ownerOf(ctx.orgId, base.documentId, shareId, portalId);
  const at = new Date();
  const row = await commitOrDiscard(blob.key, () => prisma().$transaction(async (tx) => {
    const created = await tx.versionProposal.create({
      data: {
        orgId: ctx.orgId, documentId: base.documentId, shareId, portalId, guestId: ctx.guestId, guestName: ctx.identity,
        baseVersionId: base.id, blobKey: blob.key, wrappedKey: new Uint8Array(blob.wrappedKey), sha256: blob.sha256,
        size: BigInt(blob.size), mediaType, fileName, note: fields.note, createdAt: at,
      },
      select: proposalSelect,
    });
    await auditGuest(ctx.orgId, 'proposal.submitted', ctx.actor, ctx.request, {
      documentId: base.documentId,
      details: {
        proposalId: created.id, title: base.document.title, baseVersionId: base.id, fileName, mediaType, size: blob.size,
        sha256: blob.sha256, sessionId: ctx.sessionId, ...(fields.note ? { note: fields.note } : {}),
      },
    }, tx);
    if (owner) {
      await enqueueMail({
        orgId: ctx.orgId, to: { name: owner.name, address: owner.email }, template: 'proposal_submitted', dedupeKey: `proposal:${created.id}`,
        data: { documentId: base.documentId, title: base.document.title, guestLabel: ctx.identity, fileName, at, note: fields.note },
      }, tx);
    }
    return created;
  }));
  if (!owner) log.info({ proposalId: row.id }, 'proposed version: no owner to mail');
  return ownView(row);
}

/** Who is told of a proposal: the share's or portal's owner, else whoever uploaded the document; never a disabled account. */
async function ownerOf(orgId: string, documentId: string, shareId: string | null, portalId: string | null) {
  const [share, portal, doc] = await Promise.all([
    shareId ? prisma().share.findFirst({ where: { id: shareId, orgId }, select: { createdById: true } }) : null,
    portalId ? prisma().portal.findFirst({ where: { id: portalId, orgId }, select: { createdById: true } }) : null,
    prisma().document.findFirst({ where: { id: documentId, orgId }, select: { createdById: true } }),
  ]);
  for (const id of [share?.createdById, portal?.createdById, doc?.createdById]) {
    if (!id) continue;
    const u = await prisma().staffUser.findFirst({ where: { id, orgId, disabledAt: null }, select: { email: true, name: true } });
    if (u) return u;
  }
  return null;
}

/** A guest's own proposals for a document, through the grant they came by (newest first). */
export async function listOwnProposals(ctx: ProposalGuestContext, documentId: string): Promise<OwnProposalView[]> {
  const rows = await prisma().versionProposal.findMany({
    where: { orgId: ctx.orgId, documentId, guestId: ctx.guestId, ...(isPortal(ctx) ? { portalId: ctx.portal.id } : { shareId: ctx.share.id }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 100, select: proposalSelect,
  });
  return rows.map(ownView);
}

// ---- staff ----

export interface ProposalView {
  id: string; documentId: string; documentTitle: string; shareId: string | null; portalId: string | null;
  guestId: string; guestName: string; baseVersionId: string | null; baseVersionNumber: number | null;
  fileName: string; mediaType: string; size: number; sha256: string; note: string; state: ProposalState;
  createdAt: Date; decidedAt: Date | null; decidedBy: { id: string; name: string; email: string } | null; decisionNote: string | null;
  acceptedVersionId: string | null; acceptedVersionNumber: number | null;
}

const STATES = ['PENDING', 'ACCEPTED', 'REJECTED'] as const;
export const listProposalsQuery = z.object({
  documentId: z.string().refine(isId, 'Not an id.').optional(),
  shareId: z.string().refine(isId, 'Not an id.').optional(),
  state: z.enum(STATES).optional(),
  take: z.coerce.number().int().min(1).max(200).default(50),
});

/** Proposals of the organisation, by document or share, newest first (pending ones stay visible until decided). */
export async function listProposals(p: Principal, raw: unknown = {}): Promise<ProposalView[]> {
  authorize(p, 'documents:read');
  const q = listProposalsQuery.parse(raw ?? {});
  const rows = await prisma().versionProposal.findMany({
    where: { orgId: p.orgId, ...(q.documentId ? { documentId: q.documentId } : {}), ...(q.shareId ? { shareId: q.shareId } : {}), ...(q.state ? { state: q.state } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.take,
    select: { ...proposalSelect, document: { select: { title: true } } },
  });
  return views(p.orgId, rows);
}

export async function getProposal(p: Principal, id: string): Promise<ProposalView> {
  authorize(p, 'documents:read');
  const row = isId(id) ? await prisma().versionProposal.findFirst({ where: { id, orgId: p.orgId }, select: { ...proposalSelect, document: { select: { title: true } } } }) : null;
  if (!row) throw new AppError('not_found', 'No such proposal.');
  return (await views(p.orgId, [row]))[0];
}

async function views(orgId: string, rows: Array<ProposalRow & { document: { title: string } }>): Promise<ProposalView[]> {
  const versionIds = [...new Set(rows.flatMap((r) => [r.baseVersionId, r.acceptedVersionId]).filter((v): v is string => !!v))];
  const staffIds = [...new Set(rows.map((r) => r.decidedById).filter((v): v is string => !!v))];
  const [versions, staff] = await Promise.all([
    versionIds.length ? prisma().documentVersion.findMany({ where: { id: { in: versionIds }, document: { orgId } }, select: { id: true, number: true } }) : [],
    staffIds.length ? prisma().staffUser.findMany({ where: { id: { in: staffIds }, orgId }, select: { id: true, name: true, email: true } }) : [],
  ]);
  const num = new Map(versions.map((v) => [v.id, v.number]));
  const who = new Map(staff.map((s) => [s.id, s]));
  return rows.map((r) => ({
    id: r.id, documentId: r.documentId, documentTitle: r.document.title, shareId: r.shareId, portalId: r.portalId,
    guestId: r.guestId, guestName: r.guestName, baseVersionId: r.baseVersionId, baseVersionNumber: r.baseVersionId ? num.get(r.baseVersionId) ?? null : null,
    fileName: r.fileName, mediaType: r.mediaType, size: Number(r.size), sha256: r.sha256, note: r.note, state: r.state,
    createdAt: r.createdAt, decidedAt: r.decidedAt, decidedBy: r.decidedById ? who.get(r.decidedById) ?? null : null, decisionNote: r.decisionNote,
    acceptedVersionId: r.acceptedVersionId, acceptedVersionNumber: r.acceptedVersionId ? num.get(r.acceptedVersionId) ?? null : null,
  }));
}

export const acceptInput = z.object({
  /** The marking of the new version; the version the guest worked from keeps its marking otherwise. */
  tlp: z.string().trim().toUpperCase().pipe(tlpSchema).optional(),
  note: z.string().trim().max(2000).optional(),
});
export const rejectInput = z.object({ note: z.string().trim().max(2000).optional() });

const authorDetails = (r: ProposalRow) => ({ guestId: r.guestId, name: r.guestName, shareId: r.shareId, portalId: r.portalId });

/** Loads a proposal that is still pending, or explains why it cannot be decided. */
async function pendingProposal(p: Principal, id: string) {
  const row = isId(id) ? await findRow(prisma(), p.orgId, id) : null;
  if (!row) throw new AppError('not_found', 'No such proposal.');
  if (row.state !== 'PENDING') throw new AppError('conflict', `This proposal was already ${row.state === 'ACCEPTED' ? 'accepted' : 'rejected'}.`);
  return row;
}

/**
 * Makes a pending proposal the document's next version (its file becomes the version's file). The
 * version is marked as the version the guest worked from unless staff choose; a marking above the
 * organisation's ceiling on a document that live shares expose is refused, as for staff uploads.
 * Audited `proposal.accepted` with the guest as author and the staff member as the decider.
 */
export async function acceptProposal(p: Principal, id: string, raw: unknown = {}) {
  authorize(p, 'documents:write');
  const input = acceptInput.parse(raw ?? {});
  const row = await pendingProposal(p, id);
  const doc = await prisma().document.findFirst({ where: { id: row.documentId, orgId: p.orgId }, select: { title: true } });
  if (!doc) throw new AppError('not_found', 'No such document.');
  const base = row.baseVersionId ? await prisma().documentVersion.findFirst({ where: { id: row.baseVersionId, documentId: row.documentId }, select: { tlp: true } }) : null;
  const latest = base ?? await prisma().documentVersion.findFirst({ where: { documentId: row.documentId }, orderBy: { number: 'desc' }, select: { tlp: true } });
  const tlp: Tlp = input.tlp ?? latest?.tlp ?? 'AMBER';
  const blocked = await sharesBlockingTlp(p.orgId, row.documentId, tlp);
  if (blocked) {
    await recordAudit({
      orgId: p.orgId, type: 'proposal.accepted', actor: actorOf(p), request: p.request, documentId: row.documentId, shareId: row.shareId,
      outcome: 'denied', reason: 'tlp_above_share_ceiling',
      details: { proposalId: row.id, title: doc.title, tlp, ceiling: blocked.ceiling, shareIds: blocked.shareIds, portalGrantIds: blocked.portalGrantIds, problems: blocked.problems, author: authorDetails(row) },
    });
    throw tlpCeilingConflict(doc.title, tlp, blocked);
  }
  const decidedAt = new Date();
  const staffId = p.kind === 'staff' ? p.userId : null;
  return prisma().$transaction(async (tx) => {
    // Only the first decision lands: two staff accepting at once, or accept racing reject, leave one.
    const claimed = await tx.versionProposal.updateMany({
      where: { id: row.id, orgId: p.orgId, state: 'PENDING' },
      data: { state: 'ACCEPTED', decidedById: staffId, decidedAt, decisionNote: input.note || null },
    });
    if (claimed.count !== 1) throw new AppError('conflict', 'This proposal was decided meanwhile.');
    const last = await tx.documentVersion.findFirst({ where: { documentId: row.documentId }, orderBy: { number: 'desc' }, select: { number: true } });
    const number = (last?.number ?? 0) + 1;
    const version = await tx.documentVersion.create({
      data: {
        documentId: row.documentId, number, blobKey: row.blobKey, wrappedKey: new Uint8Array(row.wrappedKey), sha256: row.sha256,
        size: row.size, mediaType: row.mediaType, fileName: row.fileName, tlp, createdById: staffId,
      },
      select: { id: true, number: true },
    });
    await tx.versionProposal.update({ where: { id: row.id }, data: { acceptedVersionId: version.id } });
    await tx.document.update({ where: { id: row.documentId, orgId: p.orgId }, data: { updatedAt: decidedAt } });
    await recordAudit({
      orgId: p.orgId, type: 'proposal.accepted', actor: actorOf(p), request: p.request, documentId: row.documentId, shareId: row.shareId,
      details: {
        proposalId: row.id, title: doc.title, versionId: version.id, version: number, sha256: row.sha256, size: Number(row.size),
        mediaType: row.mediaType, fileName: row.fileName, tlp, baseVersionId: row.baseVersionId, author: authorDetails(row),
        ...(input.note ? { note: input.note } : {}),
      },
    }, tx);
    return { id: row.id, state: 'ACCEPTED' as const, versionId: version.id, version: number, tlp };
  });
}

/** Declines a pending proposal, with an optional note its author sees. The file is kept for the record. */
export async function rejectProposal(p: Principal, id: string, raw: unknown = {}) {
  authorize(p, 'documents:write');
  const input = rejectInput.parse(raw ?? {});
  const row = await pendingProposal(p, id);
  const decidedAt = new Date();
  return prisma().$transaction(async (tx) => {
    const claimed = await tx.versionProposal.updateMany({
      where: { id: row.id, orgId: p.orgId, state: 'PENDING' },
      data: { state: 'REJECTED', decidedById: p.kind === 'staff' ? p.userId : null, decidedAt, decisionNote: input.note || null },
    });
    if (claimed.count !== 1) throw new AppError('conflict', 'This proposal was decided meanwhile.');
    await recordAudit({
      orgId: p.orgId, type: 'proposal.rejected', actor: actorOf(p), request: p.request, documentId: row.documentId, shareId: row.shareId,
      details: { proposalId: row.id, fileName: row.fileName, sha256: row.sha256, author: authorDetails(row), ...(input.note ? { note: input.note } : {}) },
    }, tx);
    return { id: row.id, state: 'REJECTED' as const };
  });
}

/** The proposed file, for staff reviewing it before they decide; audited like a document download. */
export async function openProposalContent(p: Principal, id: string) {
  authorize(p, 'documents:read');
  const row = isId(id) ? await findRow(prisma(), p.orgId, id) : null;
  if (!row) throw new AppError('not_found', 'No such proposal.');
  // Opened before the audit: a store that is down is a 503, not a download on record that never happened.
  const stream = await readBlob(row.blobKey, row.wrappedKey);
  try {
    await recordAudit({
      orgId: p.orgId, type: 'proposal.download', actor: actorOf(p), request: p.request, documentId: row.documentId, shareId: row.shareId,
      details: { proposalId: row.id, fileName: row.fileName, sha256: row.sha256, author: authorDetails(row) },
    });
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return { stream, fileName: row.fileName, mediaType: row.mediaType, size: Number(row.size), sha256: row.sha256 };
}
