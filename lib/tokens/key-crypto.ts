import crypto from 'node:crypto';
import { deriveKey } from '../crypto/master-key';

const VERSION = 1;
// The kid is bound as associated data, so a private key copied onto another row fails to decrypt.
const aad = (kid: string) => Buffer.from(`liaison-signing-key-v${VERSION}:${kid}`);

/** AES-256-GCM under the 'signing-keys' subkey: version(1) | iv(12) | tag(16) | ciphertext. */
export function sealPrivateKey(kid: string, pkcs8Pem: string): Uint8Array<ArrayBuffer> {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey('signing-keys'), iv);
  c.setAAD(aad(kid));
  const ct = Buffer.concat([c.update(pkcs8Pem, 'utf8'), c.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), ct]));
}

export function openPrivateKey(kid: string, sealed: Uint8Array): string {
  const buf = Buffer.from(sealed);
  if (buf.length < 30 || buf[0] !== VERSION) throw new Error(`signing key ${kid}: unknown encryption format`);
  const d = crypto.createDecipheriv('aes-256-gcm', deriveKey('signing-keys'), buf.subarray(1, 13));
  d.setAAD(aad(kid));
  d.setAuthTag(buf.subarray(13, 29));
  return Buffer.concat([d.update(buf.subarray(29)), d.final()]).toString('utf8');
}
