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
