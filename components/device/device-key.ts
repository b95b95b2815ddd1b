/*
 * The browser's device key and its DPoP-style proofs (RFC 9449), with WebCrypto only: no server imports,
 * no dependencies. The private key is created non-extractable and kept in IndexedDB as a CryptoKey
 * (structured clone keeps it non-extractable), so script on the page can sign with it but nobody can
 * read it out, copy it to another browser, or send it anywhere. Clearing site data loses it: the
 * browser then registers as a new device.
 *
 * A proof is a compact JWS: header {typ: "dpop+jwt", alg: "ES256", jwk}, payload {jti, htm, htu, iat,
 * ath?}. The server (lib/devices/dpop.ts) checks it on every request of a device-bound grant.
 */

const DB_NAME = 'liaison-device';
const STORE = 'keys';
const KEY_ID = 'device';
const ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export interface DevicePublicJwk { kty: 'EC'; crv: 'P-256'; x: string; y: string }

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const utf8 = (s: string) => new TextEncoder().encode(s);
const b64json = (v: unknown) => base64url(utf8(JSON.stringify(v)));

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDb(): Promise<IDBDatabase> {
  const r = indexedDB.open(DB_NAME, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE);
  return request(r);
}

/**
 * Stores `fresh` unless another tab stored a key first, in one transaction, and returns the key that
 * is now stored: two tabs opening at once end up with the same device.
 */
function keepFirst(db: IDBDatabase, fresh: CryptoKeyPair): Promise<CryptoKeyPair> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    let kept: CryptoKeyPair = fresh;
    const get = store.get(KEY_ID);
    get.onsuccess = () => {
      if (get.result) kept = get.result as CryptoKeyPair;
      else store.put(fresh, KEY_ID);
    };
    tx.oncomplete = () => resolve(kept);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

let current: Promise<CryptoKeyPair> | null = null;

/** This browser's device key pair: created once (private key non-extractable), then reused from IndexedDB. */
export function getDeviceKey(): Promise<CryptoKeyPair> {
  current ??= (async () => {
    const db = await openDb();
    try {
      const stored = await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY_ID)) as CryptoKeyPair | undefined;
      if (stored?.privateKey && stored.publicKey) return stored;
      const fresh = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
      return await keepFirst(db, fresh);
    } finally {
      db.close();
    }
  })().catch((e) => {
    current = null;
    throw e;
  });
  return current;
}

/** The public key as a JWK with only kty, crv, x and y: what the server registers and what proofs carry. */
export async function publicJwk(): Promise<DevicePublicJwk> {
  const { publicKey } = await getDeviceKey();
  const jwk = await crypto.subtle.exportKey('jwk', publicKey);
  return { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
}

/** RFC 7638 thumbprint of the device key, as the server computes it (and puts in a token's cnf.jkt). */
export async function deviceThumbprint(): Promise<string> {
  const { crv, kty, x, y } = await publicJwk();
  // Required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
  return base64url(await crypto.subtle.digest('SHA-256', utf8(JSON.stringify({ crv, kty, x, y }))));
}

/** base64url(SHA-256(token)): the `ath` claim binding a proof to the access token it is sent with. */
export async function tokenHash(token: string): Promise<string> {
  return base64url(await crypto.subtle.digest('SHA-256', utf8(token)));
}

/** The URL a proof names: scheme, host, port and path, without query and fragment (RFC 9449 §4.2). */
function targetUri(url: string | URL): string {
  const u = new URL(url.toString(), typeof location === 'undefined' ? undefined : location.href);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/**
 * A proof for one request. WebCrypto's ECDSA signature is already the raw r||s (64 bytes) that JWS
 * ES256 wants (RFC 7518 §3.4), so no DER conversion is needed.
 */
export async function createProof({ method, url, ath }: { method: string; url: string | URL; ath?: string }): Promise<string> {
  const { privateKey } = await getDeviceKey();
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: await publicJwk() };
  const payload: Record<string, unknown> = {
    jti: base64url(crypto.getRandomValues(new Uint8Array(16))),
    htm: method.toUpperCase(),
    htu: targetUri(url),
    iat: Math.floor(Date.now() / 1000),
    ...(ath ? { ath } : {}),
  };
  const signingInput = `${b64json(header)}.${b64json(payload)}`;
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, utf8(signingInput));
  return `${signingInput}.${base64url(signature)}`;
}

/**
 * fetch with a fresh `DPoP` proof for exactly this method and URL. Pass `ath` (tokenHash of the
 * access token), or `accessToken` and the hash is made here; cookie-only requests need neither.
 */
export async function deviceFetch(input: RequestInfo | URL, init: RequestInit = {}, opts: { ath?: string; accessToken?: string } = {}): Promise<Response> {
  const url = input instanceof Request ? input.url : input.toString();
  const method = init.method ?? (input instanceof Request ? input.method : 'GET');
  const ath = opts.ath ?? (opts.accessToken ? await tokenHash(opts.accessToken) : undefined);
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set('DPoP', await createProof({ method, url, ath }));
  return fetch(input, { ...init, headers });
}
