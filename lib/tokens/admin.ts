import { prisma } from '../db/client';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { rotateSigningKey } from './signing-keys';
import { TOKEN_ALG } from './constants';

/**
 * Staff-facing rotation: rotateSigningKey itself is also called by operators' scripts with no
 * principal, so the admin check and the audit event live here. The event is written after the
 * rotation commits, so the trail never claims a rotation that did not happen.
 */
export async function rotateSigningKeyAsAdmin(p: Principal) {
  authorize(p, 'admin');
  const rotated = await rotateSigningKey();
  await recordAudit({
    orgId: p.orgId, type: 'signing_key.rotate', actor: actorOf(p), request: p.request,
    details: { kid: rotated.kid, rotatedKids: rotated.rotatedKids, retireAt: rotated.retireAt.toISOString() },
  });
  return rotated;
}

/** The keys published in the JWKS (not yet retired), newest first; the first without rotatedAt signs. */
export async function listSigningKeys(p: Principal, now = new Date()) {
  authorize(p, 'admin');
  return prisma().signingKey.findMany({
    where: { alg: TOKEN_ALG, OR: [{ retireAt: null }, { retireAt: { gt: now } }] },
    orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }],
    select: { kid: true, alg: true, createdAt: true, rotatedAt: true, retireAt: true },
  });
}
