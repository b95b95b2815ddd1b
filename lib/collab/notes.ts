import * as Y from 'yjs';
import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { auditGuest } from '../guest/audit';
import type { CollabActor } from './types';

/**
 * Working notes attached to a grant, co-edited as one Yjs document per note and synced over the socket
 * (lib/realtime/handlers/notes.ts). The text lives in the Y.Text named NOTE_TEXT.
 *
 * Which note: one per grant key (`share:<id>`, `portal-grant:<id>`). Where the grant keeps parties
 * apart, each guest has a note of their own with staff, `<grantKey>#guest:<guestId>`, so parties never
 * share one. The key is resolved here from the grant's live flag, not from anything the client says.
 *
 * Callers authorize first: reading needs `list` on the grant (shares) or on the portal, writing `edit`.
 * Every accepted update is kept (NoteUpdate: seq, author, time): that is the version history, and the
 * text after update N is updates 1..N replayed into a fresh document.
 */

export const NOTE_TEXT = 'notes';
/** One update from a client (a keystroke burst): larger ones are refused before they are decoded. */
export const MAX_NOTE_UPDATE_BYTES = 64 * 1024;
/** The merged note: an update that would grow it beyond this is refused. */
export const MAX_NOTE_BYTES = 1024 * 1024;
/** State vectors are small (a few bytes per client that ever wrote). */
export const MAX_STATE_VECTOR_BYTES = 16 * 1024;
/** An author's burst of updates is audited once a minute per note (every update row keeps its author). */
const AUDIT_EVERY_MS = 60_000;

const KEY = /^(share|portal-grant):([A-Za-z0-9_-]{1,64})(?:#guest:([A-Za-z0-9_-]{1,64}))?$/;

export interface ResolvedNote {
  /** The note's key: the grant key, or `<grantKey>#guest:<guestId>` behind a barrier. */
  key: string;
  /** The grant key the note belongs to. */
  grantKey: string;
  orgId: string;
  shareId: string | null;
  portalGrantId: string | null;
  /** The guest whose own note this is (barrier grants), else null. */
  partyGuestId: string | null;
}

const notFound = () => new AppError('not_found', 'No such note.');

/**
 * The note an actor means. Guests: `grantKey` defaults to their only grant (a portal guest allowed by
 * several grants must name one), must be one of the grants that allowed them, and behind a barrier is
 * always their own note. Staff: must name a grant of their organisation (and may name a guest's own
 * note behind a barrier).
 */
export async function resolveNote(actor: CollabActor, grantKey: string | null | undefined): Promise<ResolvedNote> {
  if (grantKey != null && (typeof grantKey !== 'string' || !KEY.test(grantKey))) throw new AppError('bad_request', 'grantKey is not a grant key.');
  let base: string;
  let party: string | null = null;
  if (actor.kind === 'guest') {
    if (grantKey == null) {
      if (actor.grantKeys.length !== 1) throw new AppError('bad_request', 'Name the grant whose note you mean (grantKey).');
      base = actor.grantKeys[0];
    } else {
      const m = KEY.exec(grantKey)!;
      base = `${m[1]}:${m[2]}`;
      // A guest may name their own barrier note, never another guest's.
      if (m[3] !== undefined && m[3] !== actor.guestId) throw new AppError('forbidden', 'This note is not yours.');
    }
    if (!actor.grantKeys.includes(base)) throw new AppError('forbidden', 'This note belongs to a grant you do not hold.');
  } else {
    if (grantKey == null) throw new AppError('bad_request', 'Name the grant whose note you mean (grantKey).');
    const m = KEY.exec(grantKey)!;
    base = `${m[1]}:${m[2]}`;
    party = m[3] ?? null;
  }
  const m = KEY.exec(base)!;
  const grant = m[1] === 'share'
    ? await prisma().share.findFirst({ where: { id: m[2], orgId: actor.orgId }, select: { orgId: true, keepPartiesApart: true } })
    : await prisma().portalGrant.findFirst({ where: { id: m[2], orgId: actor.orgId }, select: { orgId: true, keepPartiesApart: true } });
  if (!grant) throw notFound();
  if (actor.kind === 'guest') party = grant.keepPartiesApart ? actor.guestId : null;
  else if (party) {
    if (!grant.keepPartiesApart) throw new AppError('bad_request', 'This grant does not keep parties apart: its guests share one note.');
    if (!(await prisma().guest.findFirst({ where: { id: party, orgId: actor.orgId }, select: { id: true } }))) throw notFound();
  }
  return {
    key: party ? `${base}#guest:${party}` : base, grantKey: base, orgId: grant.orgId,
    shareId: m[1] === 'share' ? m[2] : null, portalGrantId: m[1] === 'portal-grant' ? m[2] : null, partyGuestId: party,
  };
}

function docFrom(state: Uint8Array | null): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  if (state && state.length) Y.applyUpdate(doc, state);
  return doc;
}

/** Decodes a client's binary or refuses it as bad_request; nothing about it is stored. */
function checked<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch {
    throw new AppError('bad_request', `The ${what} is malformed.`);
  }
}

/**
 * What the client lacks: the note's changes not covered by its state vector (Y.encodeStateAsUpdate).
 * An empty vector gets the whole note. A note nobody has written yet is an empty document.
 */
export async function syncNote(actor: CollabActor, grantKey: string | null | undefined, stateVector: Uint8Array) {
  if (stateVector.length > MAX_STATE_VECTOR_BYTES) throw new AppError('payload_too_large', 'The state vector is too large.');
  const note = await resolveNote(actor, grantKey);
  if (stateVector.length) checked('state vector', () => Y.decodeStateVector(stateVector));
  const row = await prisma().sharedNote.findUnique({ where: { grantKey: note.key }, select: { orgId: true, state: true, seq: true } });
  if (row && row.orgId !== note.orgId) throw notFound();
  const doc = docFrom(row?.state ?? null);
  try {
    const update = checked('state vector', () => Y.encodeStateAsUpdate(doc, stateVector.length ? stateVector : undefined));
    return { grantKey: note.key, update, seq: row?.seq ?? 0 };
  } finally {
    doc.destroy();
  }
}

const authorOf = (actor: CollabActor) => actor.kind === 'staff'
  ? { authorStaffId: actor.staffId, authorGuestId: null, authorName: actor.name }
  : { authorStaffId: null, authorGuestId: actor.guestId, authorName: actor.name };

/**
 * Applies one update from `actor` to the note and keeps it. Refused as bad_request when it does not
 * decode, or depends on changes the server does not have (it would sit unapplied); payload_too_large
 * over 64 KB, or when the note would grow beyond 1 MB. The update row (seq, author) and the merged
 * state are written in one transaction under the note's row lock, so concurrent updates from any
 * instance all land, one after the other, each with its own seq.
 * Returns the seq and the update as applied (what to broadcast to the note's room).
 */
export async function applyNoteUpdate(actor: CollabActor, grantKey: string | null | undefined, update: Uint8Array) {
  if (update.length > MAX_NOTE_UPDATE_BYTES) throw new AppError('payload_too_large', `An update may be at most ${MAX_NOTE_UPDATE_BYTES / 1024} KB.`);
  if (update.length === 0) throw new AppError('bad_request', 'The update is empty.');
  const note = await resolveNote(actor, grantKey);
  // Cheap structural check before any database work.
  checked('update', () => Y.decodeUpdate(update));
  return prisma().$transaction(async (tx) => {
    await tx.sharedNote.createMany({ data: [{ orgId: note.orgId, grantKey: note.key, shareId: note.shareId, state: new Uint8Array(Y.encodeStateAsUpdate(new Y.Doc())) }], skipDuplicates: true });
    const locked = await tx.$queryRaw<Array<{ id: string; orgId: string; seq: number; state: Uint8Array }>>`
      SELECT "id", "orgId", "seq", "state" FROM "SharedNote" WHERE "grantKey" = ${note.key} FOR UPDATE`;
    const row = locked[0];
    if (!row || row.orgId !== note.orgId) throw notFound();
    const doc = docFrom(row.state);
    let merged: Uint8Array;
    let text: string;
    try {
      const before = Y.encodeStateAsUpdate(doc);
      checked('update', () => Y.applyUpdate(doc, update, 'client'));
      if (doc.store.pendingStructs || doc.store.pendingDs) throw new AppError('bad_request', 'The update depends on changes this note does not have; sync first.');
      merged = Y.encodeStateAsUpdate(doc);
      // An update the note already has (a resend after a reconnect) changes nothing and is not kept again.
      if (Buffer.from(before).equals(Buffer.from(merged))) return { grantKey: note.key, seq: row.seq, applied: false as const, update };
      text = doc.getText(NOTE_TEXT).toString();
    } finally {
      doc.destroy();
    }
    if (merged.length > MAX_NOTE_BYTES) throw new AppError('payload_too_large', `The note would exceed ${MAX_NOTE_BYTES / 1048576} MB.`);
    const seq = row.seq + 1;
    const created = await tx.noteUpdate.create({ data: { noteId: row.id, seq, update: new Uint8Array(update), ...authorOf(actor) }, select: { createdAt: true } });
    await tx.sharedNote.update({ where: { id: row.id }, data: { state: new Uint8Array(merged), seq } });
    await auditNoteUpdate(tx, actor, note, row.id, seq, text.length, created.createdAt);
    return { grantKey: note.key, seq, applied: true as const, update };
  });
}

/**
 * `note.updated`, at most once a minute per author and note: each event counts the author's updates
 * since their previous event (this one included), so the trail summarises every update while the
 * NoteUpdate rows keep each one with its author and time.
 */
async function auditNoteUpdate(tx: Tx, actor: CollabActor, note: ResolvedNote, noteId: string, seq: number, textLength: number, at: Date) {
  const actorId = actor.kind === 'staff' ? actor.staffId : actor.guestId;
  const last = await tx.auditEvent.findFirst({
    where: { orgId: note.orgId, type: 'note.updated', actorId, details: { path: ['noteKey'], equals: note.key } },
    orderBy: { seq: 'desc' }, select: { at: true, details: true },
  });
  if (last && at.getTime() - last.at.getTime() < AUDIT_EVERY_MS) return;
  const sinceSeq = Number((last?.details as { seq?: unknown } | null)?.seq ?? 0);
  const updates = await tx.noteUpdate.count({
    where: { noteId, seq: { gt: Number.isFinite(sinceSeq) ? sinceSeq : 0 }, ...(actor.kind === 'staff' ? { authorStaffId: actor.staffId } : { authorGuestId: actor.guestId }) },
  });
  const details = {
    noteKey: note.key, grantKey: note.grantKey, seq, updates, textLength,
    ...(note.portalGrantId ? { portalGrantId: note.portalGrantId } : {}), ...(note.partyGuestId ? { partyGuestId: note.partyGuestId } : {}),
  };
  if (actor.kind === 'guest') {
    await auditGuest(note.orgId, 'note.updated', { guestId: actor.guestId, email: actor.email, shareId: note.shareId, portalId: actor.portalId }, { ip: actor.ip, userAgent: actor.userAgent }, { details }, tx);
  } else {
    // Staff are named by their address in the trail, as everywhere else (lib/auth/principal.ts actorOf).
    const staff = await tx.staffUser.findFirst({ where: { id: actor.staffId, orgId: note.orgId }, select: { email: true } });
    await recordAudit({
      orgId: note.orgId, type: 'note.updated', actor: { type: 'staff', id: actor.staffId, label: staff?.email ?? actor.name }, request: { ip: actor.ip, userAgent: actor.userAgent },
      shareId: note.shareId, details,
    }, tx);
  }
}

/** The text of a stored note state. */
export function noteText(state: Uint8Array): string {
  const doc = docFrom(state);
  try {
    return doc.getText(NOTE_TEXT).toString();
  } finally {
    doc.destroy();
  }
}

/** The socket.io room of a note's live editors (lib/realtime/handlers/notes.ts joins it after a sync). */
export const noteRoom = (key: string) => `note:${key}`;

/** The note's text after update `seq` (all of it when omitted): updates 1..seq replayed into a fresh document. */
export function textAfter(updates: Array<{ seq: number; update: Uint8Array }>, seq?: number): string {
  const doc = new Y.Doc();
  try {
    for (const u of updates) {
      if (seq !== undefined && u.seq > seq) break;
      Y.applyUpdate(doc, u.update);
    }
    return doc.getText(NOTE_TEXT).toString();
  } finally {
    doc.destroy();
  }
}
