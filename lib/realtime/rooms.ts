import type { Audience } from '../collab/types';
import { guestRoom } from './guest-rooms';

/**
 * Room names. A socket is put in rooms only by the server, after the policy allowed it; emitting to
 * the union of an audience's rooms (one io.to([...]) call, which socket.io de-duplicates) reaches exactly
 * the sockets the visibility rule (lib/collab/types.ts Audience) lets see the item.
 *
 * Per document d (joined on `join`, after `view` was allowed):
 *   doc:<d>:staff          staff sockets of the document's organisation
 *   doc:<d>:g:<k>          every guest socket in d holding grant key k
 *   doc:<d>:open:<k>       guest sockets in d holding k, where k's guests are not kept apart
 *   doc:<d>:guest:<id>     the sockets of one guest in d
 * Per grant, for items and activity not tied to a document (joined at connection):
 *   org-staff:<orgId>      staff sockets of the organisation (the console's live activity)
 *   grant:<k>, grant-open:<k>, grant-guest:<k>:<guestId>, grant-presence:<k>
 */
export const docStaffRoom = (d: string) => `doc:${d}:staff`;
export const docGrantRoom = (d: string, k: string) => `doc:${d}:g:${k}`;
export const docOpenRoom = (d: string, k: string) => `doc:${d}:open:${k}`;
export const docGuestRoom = (d: string, guestId: string) => `doc:${d}:guest:${guestId}`;
/** Guest sockets in d whose presence view is the same (the same set of presence grant keys). */
export const docPresenceClassRoom = (d: string, classId: string) => `doc:${d}:pc:${classId}`;
/** Every socket in d, staff or guest: presence is computed from it. */
export const docAllRoom = (d: string) => `doc:${d}:all`;

export const orgStaffRoom = (orgId: string) => `org-staff:${orgId}`;
/** Staff sockets that may read a share's trail (shares:read): the feed's events about shares. */
export const orgShareActivityRoom = (orgId: string) => `org-share-activity:${orgId}`;
export const grantRoom = (k: string) => `grant:${k}`;
export const grantOpenRoom = (k: string) => `grant-open:${k}`;
export const grantGuestRoom = (k: string, guestId: string) => `grant-guest:${k}:${guestId}`;
/** Guest sockets of grant k where k's guests see each other (shows guest presence, not kept apart). */
export const grantPresenceRoom = (k: string) => `grant-presence:${k}`;

/**
 * The rooms that together hold every socket allowed to see an item with this audience: staff, plus for
 * each grant key the guests of open grants; the thread's party when staff wrote to one guest; the whole
 * grant when staff wrote with no party; the author when a guest wrote. With a documentId the rooms are
 * that document's (sockets that joined it); without one, the grant-level rooms.
 */
export function audienceRooms(a: Audience): string[] {
  const d = a.documentId;
  const staff = d ? docStaffRoom(d) : orgStaffRoom(a.orgId);
  if (a.staffOnly) return [staff];
  const rooms = new Set<string>([staff]);
  for (const k of a.grantKeys) {
    rooms.add(d ? docOpenRoom(d, k) : grantOpenRoom(k));
    if (a.authorGuestId == null && a.partyGuestId == null) rooms.add(d ? docGrantRoom(d, k) : grantRoom(k));
    // A guest's own item (or a thread staff opened with them) reaches them; a doc room holds only the
    // grant's sockets in d, and the grant-level room is per grant, so no other share of theirs hears it.
    for (const id of [a.authorGuestId, a.partyGuestId]) {
      if (id) rooms.add(d ? docGuestRoom(d, id) : grantGuestRoom(k, id));
    }
  }
  // No grant key but a guest named (a question not yet published): only that guest, besides staff.
  if (!a.grantKeys.length) {
    for (const id of [a.authorGuestId, a.partyGuestId]) if (id) rooms.add(d ? docGuestRoom(d, id) : guestRoom(id));
  }
  return [...rooms];
}
