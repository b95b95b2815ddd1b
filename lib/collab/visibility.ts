import type { CollabActor } from './types';

/**
 * The one visibility rule for comments, questions and their events. Staff of the organisation see all
 * (the caller has scoped the item to the organisation). A guest sees an item when they hold one of its
 * grant keys and either that grant is open (its parties are not kept apart) or neither the author nor
 * the thread's party is another guest. An item with no grant keys is staff-only.
 */
export function canSee(actor: CollabActor, item: { grantKeys: readonly string[]; authorGuestId: string | null; partyGuestId: string | null }): boolean {
  if (actor.kind === 'staff') return true;
  const own = (id: string | null) => id == null || id === actor.guestId;
  return item.grantKeys.some((k) => actor.grantKeys.includes(k) && (actor.openGrantKeys.includes(k) || (own(item.authorGuestId) && own(item.partyGuestId))));
}
