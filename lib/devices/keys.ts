import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { z } from 'zod';

/** A device's public key as it is stored and compared: an ECDSA P-256 point, nothing more. */
export interface DevicePublicJwk { kty: 'EC'; crv: 'P-256'; x: string; y: string }

// 32 bytes as base64url without padding is exactly 43 characters (RFC 7518 §6.2.1.2: full length, no trimming).
const coordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url');

const jwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: coordinate,
  y: coordinate,
});

// Any private member (EC's d, RSA's, a symmetric k) means the key left the device it was made on: refused, never stored.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

export type JwkCheck = { ok: true; jwk: DevicePublicJwk } | { ok: false; reason: 'private_key' | 'invalid_key' };

/**
 * Checks a public JWK a browser presents and keeps only kty, crv, x and y (RFC 7638's members for EC),
 * so extra members (use, key_ops, alg, kid...) neither change the thumbprint nor reach the database.
 * The point must lie on the curve: Node refuses to import it otherwise.
 */
export function parsePublicJwk(raw: unknown): JwkCheck {
  if (raw && typeof raw === 'object' && PRIVATE_MEMBERS.some((m) => m in raw)) return { ok: false, reason: 'private_key' };
  const parsed = jwkSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'invalid_key' };
  const jwk: DevicePublicJwk = { kty: 'EC', crv: 'P-256', x: parsed.data.x, y: parsed.data.y };
  try {
    createPublicKey({ key: { ...jwk }, format: 'jwk' });
  } catch {
    return { ok: false, reason: 'invalid_key' };
  }
  return { ok: true, jwk };
}

/** RFC 7638 SHA-256 thumbprint (base64url), the key's stable name: stored on GuestDevice and put in `cnf.jkt`. */
export const jwkThumbprint = (jwk: DevicePublicJwk): Promise<string> => calculateJwkThumbprint(jwk, 'sha256');

/** The first characters of a thumbprint, enough for a person to tell two keys apart on screen. */
export const shortThumbprint = (thumbprint: string) => thumbprint.slice(0, 12);
