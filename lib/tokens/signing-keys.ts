import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8 } from 'jose';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { cacheStamp, invalidate, onInvalidation } from '../cluster/invalidation';
import { prisma, type Tx } from '../db/client';
import { log } from '../log';
import type { SigningKey } from '../generated/prisma/client';
import { KEY_CACHE_SECONDS, ROTATED_KEY_GRACE_SECONDS, RSA_MODULUS_BITS, TOKEN_ALG } from './constants';
import { openPrivateKey, sealPrivateKey } from './key-crypto';

/** Only the public members of an RSA key, as published in the JWKS. */
export interface PublicJwk { kty: 'RSA'; n: string; e: string; kid: string; alg: typeof TOKEN_ALG; use: 'sig' }

/** The key an organisation signs its guests' tokens with. */
export interface SigningKeyHandle { kid: string; orgId: string; privateKey: CryptoKey; publicJwk: PublicJwk }

/**
 * A public key for verification. orgId is the organisation whose tokens it may verify; null for an
 * instance-wide key from before organisations had their own, which verifies for any organisation
 * until it retires (see the 20261201140000_per_org_signing_keys migration).
 */
export interface VerificationKey { key: CryptoKey; orgId: string | null }

interface VerifyEntry extends VerificationKey { retireAt: Date | null; loadedAt: number; stamp: number | null }
interface SignEntry { handle: SigningKeyHandle; loadedAt: number; stamp: number }

/**
 * In-process key cache, so that a guest request does not query SigningKey: the current private key of
 * each organisation (for signing) and public keys by kid (for verification), each kept for at most
 * KEY_CACHE_SECONDS. A rotation invalidates at once here and, through the invalidation channel
 * (lib/cluster/invalidation.ts), on every other instance; an entry is used only under the channel's
 * current cacheStamp, so while the channel is down nothing is cached and each use reads the database
 * (ROTATED_KEY_GRACE_SECONDS still covers an instance cut off from the channel). An unknown kid is
 * always looked up, so a token signed with a key rotated a moment ago on another instance verifies at
 * once. Loads in flight are shared, and `epoch` keeps a load that started before an invalidation from
 * caching what it read. `knownKids` only remembers which kids exist, to tell a new key from a made-up kid.
 */
interface KeyCache {
  epoch: number;
  signing: Map<string, SignEntry>;
  signingLoads: Map<string, Promise<SigningKeyHandle>>;
  verify: Map<string, VerifyEntry>;
  verifyLoads: Map<string, Promise<VerifyEntry | null>>;
  knownKids: Set<string>;
}

// Next bundles route code apart from server.ts, so the cache lives on globalThis like the Prisma client.
const g = globalThis as unknown as { __liaisonSigningKeys?: KeyCache };
const emptyCache = (epoch = 0): KeyCache => ({ epoch, signing: new Map(), signingLoads: new Map(), verify: new Map(), verifyLoads: new Map(), knownKids: new Set() });
const cache = (): KeyCache => (g.__liaisonSigningKeys ??= emptyCache());
const fresh = (e: { loadedAt: number; stamp: number | null }) => e.stamp !== null && e.stamp === cacheStamp() && Date.now() - e.loadedAt < KEY_CACHE_SECONDS * 1000;
const MAX_KNOWN_KIDS = 10_000;

/**
 * Database lookups of kids never seen here: a flood of made-up kids must not become a flood of queries.
 * 20 a second per instance (a rotation adds one kid per organisation); beyond that an unknown kid is
 * refused (401) without a query. Kids known to exist are always looked up.
 */
const unknownKidLookups = new RateLimiterMemory({ keyPrefix: 'unknown-kid', points: 20, duration: 1 });

/** Forgets every cached key in this process (tests, and operators' scripts). */
export function clearKeyCache(): void {
  g.__liaisonSigningKeys = emptyCache((g.__liaisonSigningKeys?.epoch ?? 0) + 1);
}

/** Forgets one organisation's cached keys in this process: its signing key and the public keys it owns. */
function invalidateOrg(orgId: string): void {
  const c = cache();
  c.epoch++;
  c.signing.delete(orgId);
  c.signingLoads.delete(orgId);
  for (const [kid, e] of c.verify) if (e.orgId === orgId) c.verify.delete(kid);
  c.verifyLoads.clear();
}

// Another instance rotated this organisation's key (or one was rotated by the CLI).
onInvalidation('signing-keys', (m) => invalidateOrg(m.orgId));

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

const insertKey = (tx: Tx, orgId: string, k: NewKey, createdAt?: Date) =>
  tx.signingKey.create({ data: { kid: k.kid, orgId, alg: TOKEN_ALG, publicJwk: { ...k.publicJwk }, privateKeyEnc: k.privateKeyEnc, ...(createdAt ? { createdAt } : {}) } });

// One lock per organisation for every change to its key set, so two instances never both create or rotate.
const lockOrgKeys = (tx: Tx, orgId: string) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'liaison:signing-keys:' + orgId}, 0))`;

// A key retired by hand (retireAt set, rotatedAt not) no longer signs either; a fresh one replaces it.
const findCurrent = (db: Tx, orgId: string) =>
  db.signingKey.findFirst({ where: { orgId, rotatedAt: null, retireAt: null, alg: TOKEN_ALG }, orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }] });

async function toHandle(row: SigningKey & { orgId: string }): Promise<SigningKeyHandle> {
  const pem = openPrivateKey(row.kid, row.privateKeyEnc);
  const privateKey = await importPKCS8(pem, TOKEN_ALG);
  return { kid: row.kid, orgId: row.orgId, privateKey, publicJwk: toPublicJwk(row.publicJwk as { n?: unknown; e?: unknown }, row.kid) };
}

async function loadCurrent(orgId: string): Promise<SigningKeyHandle> {
  const c = cache();
  const epoch = c.epoch;
  let row = await findCurrent(prisma(), orgId);
  if (!row) {
    const k = await generateSigningKey();
    row = await prisma().$transaction(async (tx) => {
      await lockOrgKeys(tx, orgId);
      // Another instance may have created one while we were generating ours.
      return (await findCurrent(tx, orgId)) ?? insertKey(tx, orgId, k);
    // Once per organisation, and the first guest's session waits on it: a busy database (the embedded one
    // runs one transaction at a time) gets longer than Prisma's default 2 s to start it.
    }, { maxWait: 15_000, timeout: 15_000 });
  }
  const handle = await toHandle({ ...row, orgId });
  const stamp = cacheStamp();
  if (c.epoch === epoch && stamp !== null) c.signing.set(orgId, { handle, loadedAt: Date.now(), stamp });
  return handle;
}

/** The key that signs the organisation's new tokens: its newest one not yet rotated, created on first use. */
export async function currentSigningKey(orgId: string): Promise<SigningKeyHandle> {
  const c = cache();
  const hit = c.signing.get(orgId);
  if (hit && fresh(hit)) return hit.handle;
  let loading = c.signingLoads.get(orgId);
  if (!loading) {
    loading = loadCurrent(orgId).finally(() => { if (c.signingLoads.get(orgId) === loading) c.signingLoads.delete(orgId); });
    c.signingLoads.set(orgId, loading);
  }
  return loading;
}

export interface RotatedKey { orgId: string; kid: string; rotatedKids: string[]; retireAt: Date }

/**
 * Starts signing one organisation's tokens with a new key. Its old key stops signing now and keeps
 * verifying until every token it may have signed has expired (ROTATED_KEY_GRACE_SECONDS), then drops
 * out of the JWKS. Other organisations' keys are untouched.
 */
export async function rotateSigningKey(opts: { orgId: string; now?: Date }): Promise<RotatedKey> {
  const { orgId } = opts;
  const now = opts.now ?? new Date();
  const retireAt = new Date(now.getTime() + ROTATED_KEY_GRACE_SECONDS * 1000);
  const k = await generateSigningKey();
  const rotatedKids = await prisma().$transaction(async (tx) => {
    await lockOrgKeys(tx, orgId);
    const current = await tx.signingKey.findMany({ where: { orgId, rotatedAt: null }, select: { kid: true } });
    await tx.signingKey.updateMany({ where: { orgId, rotatedAt: null }, data: { rotatedAt: now, retireAt } });
    await insertKey(tx, orgId, k, now);
    return current.map((r) => r.kid);
  });
  await invalidate({ type: 'signing-keys', orgId });
  log.info({ orgId, kid: k.kid, rotatedKids, retireAt }, 'signing key rotated');
  return { orgId, kid: k.kid, rotatedKids, retireAt };
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

async function loadVerifyEntry(c: KeyCache, kid: string): Promise<VerifyEntry | null> {
  const epoch = c.epoch;
  const row = await prisma().signingKey.findUnique({ where: { kid } });
  const key = row && row.alg === TOKEN_ALG ? await importVerifyKey(row) : null;
  if (!row || !key) {
    // Not remembered: a key another instance creates a moment later must be found on the next request.
    c.verify.delete(kid);
    return null;
  }
  if (c.knownKids.size >= MAX_KNOWN_KIDS) c.knownKids.clear();
  c.knownKids.add(kid);
  const entry: VerifyEntry = { key, orgId: row.orgId, retireAt: row.retireAt, loadedAt: Date.now(), stamp: cacheStamp() };
  if (c.epoch === epoch && entry.stamp !== null) c.verify.set(kid, entry);
  return entry;
}

/**
 * The public key for a kid and the organisation it belongs to, or null when it is unknown, retired at
 * `now`, or not ours. A kid not in the cache is looked up in the database (another instance may have
 * just rotated). The retirement time is checked on every call, cached or not.
 */
export async function verificationKey(kid: string, now: Date): Promise<VerificationKey | null> {
  if (!KID_PATTERN.test(kid)) return null;
  const c = cache();
  let entry: VerifyEntry | null | undefined = c.verify.get(kid);
  if (!entry || !fresh(entry)) {
    let loading = c.verifyLoads.get(kid);
    if (!loading) {
      if (!c.knownKids.has(kid) && !(await unknownKidLookups.consume('all').then(() => true, () => false))) return null;
      loading = loadVerifyEntry(c, kid).finally(() => { if (c.verifyLoads.get(kid) === loading) c.verifyLoads.delete(kid); });
      c.verifyLoads.set(kid, loading);
    }
    entry = await loading;
  }
  if (!entry) return null;
  if (entry.retireAt && entry.retireAt.getTime() <= now.getTime()) return null;
  return { key: entry.key, orgId: entry.orgId };
}

const notRetired = (now: Date) => ({ alg: TOKEN_ALG, OR: [{ retireAt: null }, { retireAt: { gt: now } }] });

/** The JWKS: every organisation's keys not yet retired at `now`, public members only. */
export async function publicJwks(opts: { now?: Date } = {}): Promise<{ keys: PublicJwk[] }> {
  const now = opts.now ?? new Date();
  const rows = await prisma().signingKey.findMany({
    where: notRetired(now),
    orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }],
    select: { kid: true, publicJwk: true },
  });
  // Rebuilt member by member, so nothing stored beside the public key can ever be published.
  return { keys: rows.map((r) => toPublicJwk(r.publicJwk as { n?: unknown; e?: unknown }, r.kid)) };
}

/** One organisation's keys not yet retired at `now`, newest first; the first without rotatedAt signs. */
export async function organizationSigningKeys(orgId: string, now = new Date()) {
  return prisma().signingKey.findMany({
    where: { orgId, ...notRetired(now) },
    orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }],
    select: { kid: true, alg: true, createdAt: true, rotatedAt: true, retireAt: true },
  });
}

/** Deletes keys retired before `now`: they verify nothing, and their private halves need not be kept. */
export async function pruneRetiredSigningKeys(opts: { now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const { count } = await prisma().signingKey.deleteMany({ where: { retireAt: { lte: now } } });
  return count;
}
