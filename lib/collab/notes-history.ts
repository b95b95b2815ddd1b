import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { isId } from '../http/ids';
import { noteText, textAfter } from './notes';

/**
 * The console's view of a share's working notes: each note's current text and its version history
 * (every kept update with its author and time), and the text as it was after any one update.
 */

export interface NoteSummary {
  id: string;
  key: string;
  /** The guest whose own note this is, behind a barrier (null: the grant's shared note). */
  partyGuest: { id: string; label: string } | null;
  text: string;
  seq: number;
  updatedAt: Date;
}

export interface NoteUpdateView {
  seq: number;
  authorName: string;
  authorKind: 'staff' | 'guest';
  authorId: string | null;
  createdAt: Date;
  bytes: number;
}

/** The notes of a share (its shared note, or each guest's own behind a barrier), most recently changed first. */
export async function listShareNotes(p: Principal, shareId: string): Promise<NoteSummary[]> {
  authorize(p, 'shares:read');
  if (!isId(shareId)) throw new AppError('not_found', 'No such share.');
  const rows = await prisma().sharedNote.findMany({
    where: { orgId: p.orgId, shareId }, orderBy: { updatedAt: 'desc' }, take: 200,
    select: { id: true, grantKey: true, seq: true, updatedAt: true, state: true },
  });
  const partyIds = rows.map((r) => /#guest:(.+)$/.exec(r.grantKey)?.[1]).filter((v): v is string => !!v);
  const guests = partyIds.length ? await prisma().guest.findMany({ where: { id: { in: partyIds }, orgId: p.orgId }, select: { id: true, email: true, displayName: true } }) : [];
  const label = new Map(guests.map((g) => [g.id, g.displayName || g.email || `guest ${g.id}`]));
  return rows.map((r) => {
    const party = /#guest:(.+)$/.exec(r.grantKey)?.[1] ?? null;
    return {
      id: r.id, key: r.grantKey, partyGuest: party ? { id: party, label: label.get(party) ?? `guest ${party}` } : null,
      text: noteText(r.state), seq: r.seq, updatedAt: r.updatedAt,
    };
  });
}

async function noteOf(p: Principal, noteId: string) {
  authorize(p, 'shares:read');
  const note = isId(noteId) ? await prisma().sharedNote.findFirst({ where: { id: noteId, orgId: p.orgId }, select: { id: true, grantKey: true, shareId: true, seq: true } }) : null;
  if (!note) throw new AppError('not_found', 'No such note.');
  return note;
}

/** Every kept update of a note, newest first: who, when, how large. */
export async function noteHistory(p: Principal, noteId: string): Promise<{ key: string; shareId: string | null; updates: NoteUpdateView[] }> {
  const note = await noteOf(p, noteId);
  const rows = await prisma().noteUpdate.findMany({
    where: { noteId: note.id }, orderBy: { seq: 'desc' }, take: 1000,
    select: { seq: true, authorName: true, authorStaffId: true, authorGuestId: true, createdAt: true, update: true },
  });
  return {
    key: note.grantKey, shareId: note.shareId,
    updates: rows.map((r) => ({
      seq: r.seq, authorName: r.authorName, authorKind: r.authorStaffId ? 'staff' : 'guest', authorId: r.authorStaffId ?? r.authorGuestId,
      createdAt: r.createdAt, bytes: r.update.length,
    })),
  };
}

/** The note's text as it was right after update `seq` (updates 1..seq replayed). */
export async function noteTextAt(p: Principal, noteId: string, seq: number): Promise<string> {
  const note = await noteOf(p, noteId);
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > note.seq) throw new AppError('not_found', 'No such version of this note.');
  const rows = await prisma().noteUpdate.findMany({ where: { noteId: note.id, seq: { lte: seq } }, orderBy: { seq: 'asc' }, select: { seq: true, update: true } });
  return textAfter(rows, seq);
}

/**
 * What the share page shows: every note of the share, and for the chosen one (the most recently
 * changed by default) its history and, when `at` names an update, the text right after it.
 */
export async function shareNotesView(p: Principal, shareId: string, opts: { noteId?: string; at?: number } = {}) {
  const notes = await listShareNotes(p, shareId);
  const chosen = notes.find((n) => n.id === opts.noteId) ?? notes[0] ?? null;
  if (!chosen) return { notes, selected: null };
  const history = await noteHistory(p, chosen.id);
  const at = opts.at !== undefined && Number.isSafeInteger(opts.at) && opts.at >= 1 && opts.at <= chosen.seq ? opts.at : null;
  return { notes, selected: { note: chosen, updates: history.updates, at, textAt: at === null ? null : await noteTextAt(p, chosen.id, at) } };
}
