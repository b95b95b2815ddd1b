import { prisma } from '../db/client';
import { recordAudit, type Actor, type RequestFacts } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { organizationSigningKeys, rotateSigningKey, type RotatedKey } from './signing-keys';

/**
 * Rotates one organisation's guest-token key and records it in that organisation's audit chain. The
 * event is written after the rotation commits, so the trail never claims a rotation that did not happen.
 */
export async function rotateOrganizationKey(orgId: string, actor: Actor, request?: RequestFacts): Promise<RotatedKey> {
  const rotated = await rotateSigningKey({ orgId });
  await recordAudit({
    orgId, type: 'signing_key.rotate', actor, request,
    details: { kid: rotated.kid, rotatedKids: rotated.rotatedKids, retireAt: rotated.retireAt.toISOString() },
  });
  return rotated;
}

export interface OrganizationRotation { org: { id: string; slug: string }; rotated: RotatedKey | null }

/**
 * Rotates the key of every organisation that has one (the operator's `liaison keys rotate`), a few at
 * a time: RSA generation is CPU work that runs off the main thread. An organisation without a signing
 * key yet has nothing to rotate (its first key is made when a guest first needs one): `rotated` is null.
 */
export async function rotateEveryOrganizationKey(actor: Actor, concurrency = 4): Promise<OrganizationRotation[]> {
  const orgs = await prisma().organization.findMany({
    orderBy: [{ createdAt: 'asc' }, { slug: 'asc' }],
    select: { id: true, slug: true, signingKeys: { where: { rotatedAt: null, retireAt: null }, select: { kid: true }, take: 1 } },
  });
  const results: OrganizationRotation[] = orgs.map((o) => ({ org: { id: o.id, slug: o.slug }, rotated: null }));
  let next = 0;
  const worker = async () => {
    while (next < orgs.length) {
      const i = next++;
      if (orgs[i].signingKeys.length) results[i].rotated = await rotateOrganizationKey(orgs[i].id, actor);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}

/** Staff-facing rotation (GraphQL rotateSigningKey): an admin rotates their own organisation's key only. */
export async function rotateSigningKeyAsAdmin(p: Principal): Promise<RotatedKey> {
  authorize(p, 'admin');
  return rotateOrganizationKey(p.orgId, actorOf(p), p.request);
}

/** The caller's organisation's keys in the JWKS (not yet retired), newest first; the first without rotatedAt signs. */
export async function listSigningKeys(p: Principal, now = new Date()) {
  authorize(p, 'admin');
  return organizationSigningKeys(p.orgId, now);
}
