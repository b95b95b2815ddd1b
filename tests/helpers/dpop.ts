import crypto from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A device key made in Node, standing in for a browser's, and a signer of DPoP proofs with it. */
export async function nodeDevice() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey) as JWK & { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  return { privateKey, publicKey, jwk, privateJwk: await exportJWK(privateKey) };
}

export interface ProofOpts {
  htm?: string; htu?: string; iat?: number; jti?: string; ath?: string; typ?: string; alg?: string; headerJwk?: unknown; claims?: Record<string, unknown>;
}

export async function signProof(key: CryptoKey, jwk: unknown, o: ProofOpts = {}): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: o.jti ?? crypto.randomBytes(16).toString('base64url'), htm: o.htm ?? 'GET', htu: o.htu ?? 'https://portal.example.test/api/portal/v1/documents',
    iat: o.iat ?? Math.floor(Date.now() / 1000), ...(o.ath ? { ath: o.ath } : {}), ...o.claims,
  };
  return new SignJWT(payload).setProtectedHeader({ typ: o.typ ?? 'dpop+jwt', alg: o.alg ?? 'ES256', jwk: (o.headerJwk ?? jwk) as JWK }).sign(key);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** An unsigned token (`alg: none`), which no verifier may accept. */
export const unsignedProof = (jwk: unknown, payload: Record<string, unknown>) => `${b64({ typ: 'dpop+jwt', alg: 'none', jwk })}.${b64(payload)}.`;
