// The PBKDF2 worker process (see kdf-process.ts): derives keys at the lowest CPU priority, so that a
// burst of password and code checks uses idle cores and never the time the server needs for requests.
// Plain JavaScript: it is forked as is, outside the app's bundle and without a TypeScript loader.
import crypto from 'node:crypto';

process.on('message', (m) => {
  const { id, secret, salt, iterations, bytes, digest } = m;
  crypto.pbkdf2(secret, Buffer.from(salt), iterations, bytes, digest, (err, key) => {
    process.send?.(err ? { id, error: String(err.message) } : { id, key: new Uint8Array(key) });
  });
});
process.on('disconnect', () => process.exit(0));
