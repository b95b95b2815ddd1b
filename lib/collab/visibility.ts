import type { Audience, CollabActor } from './types';

/** What the visibility rule reads of a comment or question. */
export interface VisibleItem {
  grantKeys: readonly string[];
  authorGuestId: string | null;
  partyGuestId: string | null;
}

/**
 * THE visibility rule for comments, questions and their events (docs/COLLABORATION.md). Staff of the
 * organisation see everything (the caller scopes items to the actor's organisation). A guest G sees an
 * item when G holds one of its grant keys k and either k is open (its grant does not keep parties apart)
 * or neither its author nor its party (the guest who started the thread) is another guest. An item with
 * no grant key (a staff-only thread) is seen by no guest.
 */
export function canSee(actor: CollabActor, item: VisibleItem): boolean {
  if (actor.kind === 'staff') return true;
  const mine = (id: string | null) => id === null || id === actor.guestId;
  const ownOrStaff = mine(item.authorGuestId) && mine(item.partyGuestId);
  return item.grantKeys.some((k) => actor.grantKeys.includes(k) && (ownOrStaff || actor.openGrantKeys.includes(k)));
}

/** Who may receive an event about an item: the same rule, as the socket layer's rooms express it. */
export function audienceOf(orgId: string, documentId: string | null, item: VisibleItem): Audience {
  return {
    orgId, documentId, grantKeys: [...item.grantKeys], authorGuestId: item.authorGuestId, partyGuestId: item.partyGuestId,
    ...(item.grantKeys.length === 0 ? { staffOnly: true } : {}),
  };
}
