import { prisma } from '../db/client';
import type { GuestRequest } from '../guest/facts';
import { authorizePortalGuest, type PortalGuestContext } from './guest-access';
import type { PortalRow } from './portal-lookup';

/**
 * The terms this guest must still accept: those of the grants that would let them in if every terms
 * version of the portal were taken as accepted, less those they accepted already. Throws the policy's
 * refusal when no grant would let them in even then.
 */
export async function termsToAccept(portal: PortalRow, request: GuestRequest, token: string | null,
  opts: { quiet?: boolean; hosts?: readonly string[] } = {}): Promise<{ ctx: PortalGuestContext; needed: string[] }> {
  const all = await prisma().portalGrant.findMany({ where: { portalId: portal.id, termsVersionId: { not: null } }, select: { termsVersionId: true } });
  const every = [...new Set(all.map((g) => g.termsVersionId!))];
  const ctx = await authorizePortalGuest(token, request, 'list', portal, { proof: { acceptedTermsVersionIds: every }, ...opts });
  const accepted = ctx.facts.session.acceptedTermsVersionIds;
  const needed = ctx.loaded.grants
    .filter((g) => ctx.grantIds.includes(g.id) && g.termsVersionId && !accepted.includes(g.termsVersionId))
    .map((g) => g.termsVersionId!);
  return { ctx, needed: [...new Set(needed)] };
}
