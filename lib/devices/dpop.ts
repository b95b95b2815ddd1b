import { createHash } from 'node:crypto';
import { decodeProtectedHeader, EmbeddedJWK, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { prisma } from '../db/client';
import type { GuestDevice } from '../generated/prisma/client';
import { jtiKey, jtiStore, type JtiStore } from './jti-store';
import { jwkThumbprint, parsePublicJwk, type DevicePublicJwk } from './keys';

/**
 * Proof of possession of a device key, in the spirit of DPoP (RFC 9449). Every request on a
 * device-bound grant carries `DPoP: <compact JWS>` signed with the browser's non-extractable key:
 * header {typ: "dpop+jwt", alg: "ES256", jwk}, payload {jti, htm, htu, iat, ath?}.
 */

/** How far a proof's iat may be from the server's clock, either way (RFC 9449 §11.1 leaves it to us). */
export const DPOP_IAT_WINDOW_SECONDS = 60;
/** A proof is a few hundred bytes; anything far larger is not one and is not parsed. */
const MAX_PROOF_LENGTH = 4096;
export const DPOP_HEADER = 'dpop';

export type ProofFailure =
  | 'missing' | 'malformed' | 'wrong_typ' | 'wrong_alg' | 'private_key' | 'invalid_key' | 'bad_signature'
  | 'wrong_method' | 'wrong_url' | 'too_old' | 'future_iat' | 'replayed' | 'wrong_ath';

export type ProofResult =
  | { ok: true; thumbprint: string; jwk: DevicePublicJwk; jti: string; iat: number }
  | { ok: false; reason: ProofFailure };

export interface ProofInput {
  /** The DPoP header's value (null or undefined when the request had none). */
  proof: string | null | undefined;
  method: string;
  /** The request URL as the browser addressed it (public scheme, host and port; query ignored). */
  url: string | URL;
  /** The access token (Bearer or cookie) the request carries, if any: the proof must then carry its hash in `ath`. */
  accessToken?: string | null;
  now?: Date;
  store?: JtiStore;
}

const claimsSchema = z.object({
  jti: z.string().min(16).max(128),
  htm: z.string().min(1).max(16),
  htu: z.string().min(1).max(2048),
  iat: z.number().int(),
  ath: z.string().max(128).optional(),
});

/** base64url(SHA-256(token)), the `ath` claim (RFC 9449 §4.2). */
export const accessTokenHash = (token: string) => createHash('sha256').update(token, 'ascii').digest('base64url');

/** Scheme, host and port (default ports dropped) and path; query and fragment do not count (RFC 9449 §4.3). */
function normalisedUrl(u: string | URL): string | null {
  try {
    const url = new URL(u.toString());
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return null;
  }
}

const fail = (reason: ProofFailure): ProofResult => ({ ok: false, reason });

/**
 * Verifies one proof for one request. Checks, in order: presence and shape, header (typ, alg, a public
 * P-256 jwk), signature (jose, with the embedded key), method, URL, iat window, ath; and only then
 * records the jti, atomically, so garbage cannot fill the store and two parallel requests with the same
 * proof cannot both pass. A replay store that cannot be reached throws (the request fails closed).
 *
 * A valid proof says only "this request was signed by the key with this thumbprint"; whether that key
 * is an approved device of the guest is `deviceForProof`'s question.
 */
export async function verifyDeviceProof(input: ProofInput): Promise<ProofResult> {
  const { proof } = input;
  if (proof == null || proof === '') return fail('missing');
  if (typeof proof !== 'string' || proof.length > MAX_PROOF_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(proof)) return fail('malformed');

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    return fail('malformed');
  }
  if (header.typ !== 'dpop+jwt') return fail('wrong_typ');
  if (header.alg !== 'ES256') return fail('wrong_alg');
  const key = parsePublicJwk(header.jwk);
  if (!key.ok) return fail(key.reason);

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'], currentDate: input.now }));
  } catch (e) {
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) return fail('bad_signature');
    // exp/nbf claims a proof has no business carrying, non-JSON payloads, bad encodings.
    return fail('malformed');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return fail('malformed');
  const { jti, htm, htu, iat, ath } = claims.data;

  if (htm !== input.method.toUpperCase()) return fail('wrong_method');
  const expected = normalisedUrl(input.url);
  if (!expected || normalisedUrl(htu) !== expected) return fail('wrong_url');
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (iat < now - DPOP_IAT_WINDOW_SECONDS) return fail('too_old');
  if (iat > now + DPOP_IAT_WINDOW_SECONDS) return fail('future_iat');
  if (input.accessToken && ath !== accessTokenHash(input.accessToken)) return fail('wrong_ath');

  const thumbprint = await jwkThumbprint(key.jwk);
  // Remembered for as long as this proof's iat stays inside the window, plus a margin for clocks of other instances.
  const ttlMs = (iat + DPOP_IAT_WINDOW_SECONDS - now + 5) * 1000;
  const fresh = await (input.store ?? jtiStore()).claim(jtiKey(thumbprint, jti), ttlMs);
  if (!fresh) return fail('replayed');
  return { ok: true, thumbprint, jwk: key.jwk, jti, iat };
}

/**
 * The guest's registered device with this key thumbprint, whatever its status, or null when the key
 * was never registered for this guest (the caller refuses `device_denied`). Status PENDING and REVOKED
 * are refusals too; only APPROVED lets a request through.
 */
export function deviceForProof(guestId: string, thumbprint: string): Promise<GuestDevice | null> {
  return prisma().guestDevice.findUnique({ where: { guestId_thumbprint: { guestId, thumbprint } } });
}
