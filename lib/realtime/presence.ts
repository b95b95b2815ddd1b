import type { Server, Socket } from 'socket.io';
import type { CollabActor, Participant } from '../collab/types';
import { participantId } from '../collab/types';
import { log } from '../log';
import {
  docAllRoom, docGrantRoom, docGuestRoom, docOpenRoom, docPresenceClassRoom, docStaffRoom,
} from './rooms';
import type { SocketPrincipal } from './socket-auth';

/**
 * Presence: who has which document open now, and on which page. Kept in each socket's data (which
 * fetchSockets reads on every instance under the Redis adapter), so there is no second store to drift:
 * a socket that is gone is gone from presence. Deduplicated by participant (two tabs, or a reconnect
 * while the old socket lingers, are one entry) and filtered per viewer:
 * - staff see everyone;
 * - a guest sees staff, themselves, and the guests of grants they share where that grant shows guest
 *   presence and does not keep its parties apart (actor.presenceGrantKeys).
 * Guests with the same presence keys form one class and get one emission (a room per class), so the
 * work per change is O(classes), not O(sockets).
 */

/** What a socket in a document holds, in socket.data.docs[documentId]. */
export interface DocPresence {
  page: number | null;
  /** When the page was last set, to keep the newest of several tabs. */
  at: number;
  grantKeys: string[];
  presenceKeys: string[];
}

export interface RealtimeSocketData {
  principal: SocketPrincipal;
  participant: Participant;
  docs: Record<string, DocPresence>;
}

/** At most this many documents joined at once per socket (a viewer has one or two open). */
export const MAX_JOINED_DOCUMENTS = 20;
const DEBOUNCE_MS = 60;

export const socketData = (s: { data: unknown }) => s.data as RealtimeSocketData;

export function participantOf(p: SocketPrincipal): Participant {
  return p.kind === 'staff'
    ? { id: participantId('staff', p.staffId), name: p.name, kind: 'staff' }
    : { id: participantId('guest', p.guestId), name: p.name, kind: 'guest' };
}

const classId = (keys: string[]) => [...keys].sort().join(',');

/** Puts the socket in the document's rooms for what the actor (just allowed `view`) holds. */
export async function joinDocument(socket: Socket, actor: CollabActor, documentId: string): Promise<void> {
  const data = socketData(socket);
  const rooms = [docAllRoom(documentId)];
  let entry: DocPresence;
  if (actor.kind === 'staff') {
    rooms.push(docStaffRoom(documentId));
    entry = { page: null, at: Date.now(), grantKeys: [], presenceKeys: [] };
  } else {
    rooms.push(docGuestRoom(documentId, actor.guestId));
    for (const k of actor.grantKeys) rooms.push(docGrantRoom(documentId, k));
    for (const k of actor.openGrantKeys) rooms.push(docOpenRoom(documentId, k));
    if (actor.presenceGrantKeys.length) rooms.push(docPresenceClassRoom(documentId, classId(actor.presenceGrantKeys)));
    entry = { page: null, at: Date.now(), grantKeys: [...actor.grantKeys], presenceKeys: [...actor.presenceGrantKeys] };
  }
  const previous = data.docs[documentId];
  if (previous) leaveDocumentRooms(socket, documentId);
  await socket.join(rooms);
  data.docs[documentId] = { ...entry, page: previous?.page ?? null };
}

/** The rooms of one document this socket is in (whatever they were joined for). */
export function leaveDocumentRooms(socket: Socket, documentId: string): void {
  const prefix = `doc:${documentId}:`;
  for (const r of [...socket.rooms]) if (r.startsWith(prefix)) void socket.leave(r);
}

export function leaveDocument(socket: Socket, documentId: string): boolean {
  const data = socketData(socket);
  if (!data.docs[documentId]) return false;
  leaveDocumentRooms(socket, documentId);
  delete data.docs[documentId];
  return true;
}

interface Entry { participant: Participant; at: number; grantKeys: Set<string> }

/** Every participant in the document, one entry each (the newest page among their sockets). */
type Fetched = Awaited<ReturnType<ReturnType<Server['in']>['fetchSockets']>>;

function participantsIn(sockets: Fetched, documentId: string): Map<string, Entry> {
  const byId = new Map<string, Entry>();
  for (const s of sockets) {
    const data = s.data as Partial<RealtimeSocketData>;
    const doc = data.docs?.[documentId];
    if (!data.participant || !doc) continue;
    const seen = byId.get(data.participant.id);
    const page = doc.page ?? undefined;
    if (!seen) {
      byId.set(data.participant.id, { participant: { ...data.participant, ...(page != null ? { page } : {}) }, at: doc.at, grantKeys: new Set(doc.grantKeys) });
      continue;
    }
    for (const k of doc.grantKeys) seen.grantKeys.add(k);
    if (doc.at > seen.at && page != null) { seen.participant = { ...seen.participant, page }; seen.at = doc.at; }
  }
  return byId;
}

/** What a viewer with these presence keys (empty for staff-only visibility, undefined for staff) may see. */
function visibleTo(all: Map<string, Entry>, viewer: { staff: true } | { staff: false; selfId: string; presenceKeys: string[] }): Participant[] {
  const out: Participant[] = [];
  for (const e of all.values()) {
    if (viewer.staff || e.participant.kind === 'staff' || e.participant.id === viewer.selfId
      || viewer.presenceKeys.some((k) => e.grantKeys.has(k))) out.push(e.participant);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The presence one socket may see now (the ack of `join`). */
export async function presenceFor(io: Server, socket: Socket, documentId: string): Promise<Participant[]> {
  const data = socketData(socket);
  const all = participantsIn(await io.in(docAllRoom(documentId)).fetchSockets(), documentId);
  if (data.principal.kind === 'staff') return visibleTo(all, { staff: true });
  return visibleTo(all, { staff: false, selfId: data.participant.id, presenceKeys: data.docs[documentId]?.presenceKeys ?? [] });
}

/** Sends each class of viewer in the document its view of presence. */
export async function broadcastPresence(io: Server, documentId: string): Promise<void> {
  const sockets = await io.in(docAllRoom(documentId)).fetchSockets();
  const all = participantsIn(sockets, documentId);
  io.to(docStaffRoom(documentId)).emit('presence', { documentId, participants: visibleTo(all, { staff: true }) });
  const classes = new Map<string, string[]>();
  const solo = new Set<string>();
  for (const s of sockets) {
    const data = s.data as Partial<RealtimeSocketData>;
    const doc = data.docs?.[documentId];
    if (data.principal?.kind !== 'guest' || !doc) continue;
    if (doc.presenceKeys.length) classes.set(classId(doc.presenceKeys), doc.presenceKeys);
    else solo.add(data.principal.guestId);
  }
  for (const [id, keys] of classes) {
    io.to(docPresenceClassRoom(documentId, id)).emit('presence', { documentId, participants: visibleTo(all, { staff: false, selfId: '', presenceKeys: keys }) });
  }
  // Guests who see no other guest: staff and themselves.
  for (const guestId of solo) {
    const selfId = participantId('guest', guestId);
    io.to(docGuestRoom(documentId, guestId)).except(classes.size ? [...classes.keys()].map((c) => docPresenceClassRoom(documentId, c)) : [])
      .emit('presence', { documentId, participants: visibleTo(all, { staff: false, selfId, presenceKeys: [] }) });
  }
}

const pending = new Map<string, NodeJS.Timeout>();

/** Presence of a document changes: send it once the burst settles (a page flip, several tabs joining). */
export function schedulePresence(io: Server, documentId: string): void {
  if (pending.has(documentId)) return;
  pending.set(documentId, setTimeout(() => {
    pending.delete(documentId);
    broadcastPresence(io, documentId).catch((e: unknown) => log.warn({ err: e, documentId }, 'presence broadcast failed'));
  }, DEBOUNCE_MS));
}
