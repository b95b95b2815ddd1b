import { prisma } from '../db/client';
import { randomToken, sha256Hex } from '../crypto/secrets';

/** A sign-in must come back within 10 minutes of starting. */
export const STATE_TTL_MS = 10 * 60 * 1000;

export type Purpose = 'guest' | 'staff';

export interface StartedState { state: string; id: string }

/**
 * Records a sign-in in flight. The state value itself (256 random bits) goes to the browser (in the OIDC
 * `state` or the SAML RelayState, and in a cookie); only its SHA-256 is stored.
 */
export async function createState(args: { providerId: string; purpose: Purpose; nonce?: string; codeVerifier?: string; requestId?: string; returnTo?: string | null; returnHost?: string | null }): Promise<StartedState> {
  const state = randomToken(32);
  const row = await prisma().ssoState.create({
    data: {
      stateHash: sha256Hex(state), providerId: args.providerId, purpose: args.purpose, nonce: args.nonce ?? null,
      codeVerifier: args.codeVerifier ?? null, requestId: args.requestId ?? null, returnTo: args.returnTo ?? null, returnHost: args.returnHost ?? null,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    },
    select: { id: true },
  });
  return { state, id: row.id };
}

export type StateRow = NonNullable<Awaited<ReturnType<typeof findState>>>;

/** The state a callback names, whatever its condition (the caller says why it is refused). */
export async function findState(state: unknown) {
  if (typeof state !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(state)) return null;
  return prisma().ssoState.findUnique({ where: { stateHash: sha256Hex(state) } });
}

/**
 * Uses the state up: of any number of concurrent callbacks with it, exactly one gets true (the update is
 * conditional on consumedAt being null and the state not having expired).
 */
export async function consumeState(id: string): Promise<boolean> {
  const now = new Date();
  const { count } = await prisma().ssoState.updateMany({ where: { id, consumedAt: null, expiresAt: { gt: now } }, data: { consumedAt: now } });
  return count === 1;
}

/** Housekeeping: states a day past their expiry are of no use to anyone. */
export async function pruneStates(): Promise<number> {
  const { count } = await prisma().ssoState.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 24 * 3600 * 1000) } } });
  return count;
}
