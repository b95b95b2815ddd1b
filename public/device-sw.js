/*
 * Liaison device proofs (docs/DEVICES.md). A guest on a device-bound share or portal proves, on every
 * request, that this browser holds its device key: an ECDSA P-256 key created non-extractable by the
 * page (components/device/device-key.ts) and kept in IndexedDB. Page navigations and <img> requests
 * cannot carry a header from page script, so this service worker adds the `DPoP` proof (RFC 9449 style:
 * method, URL without query, time, one-time jti) to the site's own requests. Form posts are sent with
 * redirect "manual", so the page they lead to is a new navigation that gets its own proof.
 *
 * Plain JavaScript on purpose: a service worker is loaded by URL, not bundled. The IndexedDB layout and
 * the proof format must stay the same as in components/device/device-key.ts.
 */
const DB_NAME = 'liaison-device';
const STORE = 'keys';
const KEY_ID = 'device';
// Requests that never need a proof: Next's build files, vendored scripts, the worker itself.
const SKIP = /^\/(_next\/static\/|_next\/image|vendor\/|device-sw\.js$|favicon\.ico$|robots\.txt$)/;
// On the console host (registered with ?site=console) only the guest areas get proofs, never the console
// itself; on a portal's own domain the whole site is the portal.
const GUEST_ONLY = new URL(self.location.href).searchParams.get('site') === 'console';
const GUEST_AREA = /^\/(s|p|i)\/|^\/api\/portal\//;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function idb(req) {
  return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
}

let cached = null;
async function deviceKey() {
  if (cached) return cached;
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await idb(open);
  try {
    const pair = await idb(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY_ID));
    if (!pair || !pair.privateKey || !pair.publicKey) return null;
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    cached = { privateKey: pair.privateKey, jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } };
    return cached;
  } finally {
    db.close();
  }
}

const b64url = (bytes) => {
  let s = '';
  const b = new Uint8Array(bytes);
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const b64json = (v) => b64url(new TextEncoder().encode(JSON.stringify(v)));

async function proofFor(method, url) {
  const key = await deviceKey();
  if (!key) return null;
  const u = new URL(url);
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk };
  const payload = { jti: b64url(crypto.getRandomValues(new Uint8Array(16))), htm: method, htu: `${u.protocol}//${u.host}${u.pathname}`, iat: Math.floor(Date.now() / 1000) };
  const input = `${b64json(header)}.${b64json(payload)}`;
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64url(sig)}`;
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || SKIP.test(url.pathname)) return;
  if (GUEST_ONLY && !GUEST_AREA.test(url.pathname)) return;
  if (!['GET', 'HEAD', 'POST'].includes(req.method)) return;
  event.respondWith((async () => {
    const proof = await proofFor(req.method, req.url).catch(() => null);
    if (!proof) return fetch(req);
    const headers = new Headers(req.headers);
    headers.set('DPoP', proof);
    const init = {
      method: req.method, headers, credentials: 'same-origin', cache: 'no-store',
      // Same-origin mode so the header is kept (an <img> request is "no-cors", which would drop it).
      mode: 'same-origin',
      // A navigation's redirect is handed back to the browser, which then navigates (with a new proof).
      redirect: req.mode === 'navigate' ? 'manual' : 'follow',
      body: req.method === 'POST' ? await req.clone().arrayBuffer() : undefined,
    };
    return fetch(new Request(req.url, init));
  })());
});
