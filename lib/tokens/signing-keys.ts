import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8 } from 'jose';
import { prisma, type Tx } from '../db/client';
import { log } from '../log';
import type { SigningKey } from '../generated/prisma/client';
import { KEY_CACHE_SECONDS, ROTATED_KEY_GRACE_SECONDS, RSA_MODULUS_BITS, TOKEN_ALG } from './constants';
import { openPrivateKey, sealPrivateKey } from './key-crypto';

/** Only the public members of an RSA key, as published in the JWKS. */
export interface PublicJwk { kty: 'RSA'; n: string; e: string; kid: string; alg: typeof TOKEN_ALG; use: 'sig' }

export interface SigningKeyHandle { kid: string; privateKey: CryptoKey; publicJwk: PublicJwk }

interface VerifyEntry { key: CryptoKey; retireAt: Date | null; loadedAt: number }
interface KeyCache { signing?: { handle: SigningKeyHandle; loadedAt: number }; loading?: Promise<SigningKeyHandle>; verify: Map<string, VerifyEntry> }

// Next bundles route code apart from server.ts, so the cache lives on globalThis like the Prisma client.
const g = globalThis as unknown as { __liaisonSigningKeys?: KeyCache };
const cache = (): KeyCache => (g.__liaisonSigningKeys ??= { verify: new Map() });
const fresh = (loadedAt: number) => Date.now() - loadedAt < KEY_CACHE_SECONDS * 1000;

/** Forgets every cached key in this process (after rotation, and in tests). */
export function clearKeyCache(): void {
  g.__liaisonSigningKeys = { verify: new Map() };
}

/** A SHA-256 JWK thumbprint in base64url: 43 characters. Anything else is not one of our kids. */
export const KID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const toPublicJwk = (jwk: { n?: unknown; e?: unknown }, kid: string): PublicJwk => {
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error(`signing key ${kid}: public key is not RSA`);
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: TOKEN_ALG, use: 'sig' };
};

interface NewKey { kid: string; publicJwk: PublicJwk; privateKeyEnc: Uint8Array<ArrayBuffer> }

/** Generated outside any transaction: RSA generation takes tens of milliseconds and PGlite is one session. */
export async function generateSigningKey(): Promise<NewKey> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true, modulusLength: RSA_MODULUS_BITS });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'sha256');
  return { kid, publicJwk: toPublicJwk(jwk, kid), privateKeyEnc: sealPrivateKey(kid, await exportPKCS8(privateKey)) };
}

const insertKey = (tx: Tx, k: NewKey, createdAt?: Date) =>
  tx.signingKey.create({ data: { kid: k.kid, alg: TOKEN_ALG, publicJwk: { ...k.publicJwk }, privateKeyEnc: k.privateKeyEnc, ...(createdAt ? { createdAt } : {}) } });

// One lock for every change to the key set, so two instances never both create or rotate.
const lockKeys = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('liaison:signing-keys', 0))`;

// A key retired by hand (retireAt set, rotatedAt not) no longer signs either; a fresh one replaces it.
const findCurrent = (db: Tx) => db.signingKey.findFirst({ where: { rotatedAt: null, retireAt: null, alg: TOKEN_ALG }, orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }] });

async function toHandle(row: SigningKey): Promise<SigningKeyHandle> {
  const pem = openPrivateKey(row.kid, row.privateKeyEnc);
  const privateKey = await importPKCS8(pem, TOKEN_ALG);
  return { kid: row.kid, privateKey, publicJwk: toPublicJwk(row.publicJwk as { n?: unknown; e?: unknown }, row.kid) };
}

async function loadCurrent(): Promise<SigningKeyHandle> {
  let row = await findCurrent(prisma());
  if (!row) {
    const k = await generateSigningKey();
    row = await prisma().$transaction(async (tx) => {
      await lockKeys(tx);
      // Another instance may have created one while we were generating ours.
      return (await findCurrent(tx)) ?? insertKey(tx, k);
    });
  }
  const handle = await toHandle(row);
  cache().signing = { handle, loadedAt: Date.now() };
  return handle;
}

/** The key that signs new tokens: the newest one not yet rotated, created on first use. */
export async function currentSigningKey(): Promise<SigningKeyHandle> {
  const c = cache();
  if (c.signing && fresh(c.signing.loadedAt)) return c.signing.handle;
  c.loading ??= loadCurrent().finally(() => { c.loading = undefined; });
  return c.loading;
}

/**
 * Starts signing with a new key. The old one stops signing now and keeps verifying until every token
 * it may have signed has expired (ROTATED_KEY_GRACE_SECONDS), then drops out of the JWKS.
 */
export async function rotateSigningKey(opts: { now?: Date } = {}): Promise<{ kid: string; rotatedKids: string[]; retireAt: Date }> {
  const now = opts.now ?? new Date();
  const retireAt = new Date(now.getTime() + ROTATED_KEY_GRACE_SECONDS * 1000);
  const k = await generateSigningKey();
  const rotatedKids = await prisma().$transaction(async (tx) => {
    await lockKeys(tx);
    const current = await tx.signingKey.findMany({ where: { rotatedAt: null }, select: { kid: true } });
    await tx.signingKey.updateMany({ where: { rotatedAt: null }, data: { rotatedAt: now, retireAt } });
    await insertKey(tx, k, now);
    return current.map((r) => r.kid);
  });
  clearKeyCache();
  log.info({ kid: k.kid, rotatedKids, retireAt }, 'signing key rotated');
  return { kid: k.kid, rotatedKids, retireAt };
}

async function importVerifyKey(row: SigningKey): Promise<CryptoKey | null> {
  const jwk = toPublicJwk(row.publicJwk as { n?: unknown; e?: unknown }, row.kid);
  // The kid is the key's thumbprint; a row where they disagree has been tampered with.
  if ((await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'sha256')) !== row.kid) {
    log.error({ kid: row.kid }, 'signing key thumbprint mismatch: key ignored');
    return null;
  }
  return (await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, TOKEN_ALG)) as CryptoKey;
}

/**
 * The public key for a kid, or null when it is unknown, retired at `now`, or not ours. A kid not in
 * the cache is looked up in the database (another instance may have just rotated).
 */
export async function verificationKey(kid: string, now: Date): Promise<CryptoKey | null> {
  if (!KID_PATTERN.test(kid)) return null;
  const c = cache();
  let entry = c.verify.get(kid);
  if (!entry || !fresh(entry.loadedAt)) {
    const row = await prisma().signingKey.findUnique({ where: { kid } });
    const key = row && row.alg === TOKEN_ALG ? await importVerifyKey(row) : null;
    if (!row || !key) {
      c.verify.delete(kid);
      return null;
    }
    entry = { key, retireAt: row.retireAt, loadedAt: Date.now() };
    c.verify.set(kid, entry);
  }
  if (entry.retireAt && entry.retireAt.getTime() <= now.getTime()) return null;
  return entry.key;
}

/** The JWKS: every key not yet retired at `now`, public members only. */
export async function publicJwks(opts: { now?: Date } = {}): Promise<{ keys: PublicJwk[] }> {
  const now = opts.now ?? new Date();
  const rows = await prisma().signingKey.findMany({
    where: { alg: TOKEN_ALG, OR: [{ retireAt: null }, { retireAt: { gt: now } }] },
    orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }],
    select: { kid: true, publicJwk: true },
  });
  // Rebuilt member by member, so nothing stored beside the public key can ever be published.
  return { keys: rows.map((r) => toPublicJwk(r.publicJwk as { n?: unknown; e?: unknown }, r.kid)) };
}

/** Deletes keys retired before `now`: they verify nothing, and their private halves need not be kept. */
export async function pruneRetiredSigningKeys(opts: { now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const { count } = await prisma().signingKey.deleteMany({ where: { retireAt: { lte: now } } });
  return count;
}
