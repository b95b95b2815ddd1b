import crypto from 'node:crypto';
import { deriveKey } from '../crypto/master-key';

const VERSION = 1;
const aad = (providerId: string) => Buffer.from(`liaison-sso-secret-v${VERSION}:${providerId}`);

/**
 * An OIDC client secret, AES-256-GCM under the 'sso-secrets' subkey and bound to its provider's id (a
 * sealed secret copied to another provider's row does not open). Stored in the provider's JSON config as
 * base64: version | iv | tag | ciphertext.
 */
export function sealClientSecret(providerId: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey('sso-secrets'), iv);
  c.setAAD(aad(providerId));
  const ct = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), ct]).toString('base64');
}

export function openClientSecret(providerId: string, sealed: string): string {
  const buf = Buffer.from(sealed, 'base64');
  if (buf.length < 30 || buf[0] !== VERSION) throw new Error(`identity provider ${providerId}: unknown secret format`);
  const d = crypto.createDecipheriv('aes-256-gcm', deriveKey('sso-secrets'), buf.subarray(1, 13));
  d.setAAD(aad(providerId));
  d.setAuthTag(buf.subarray(13, 29));
  return Buffer.concat([d.update(buf.subarray(29)), d.final()]).toString('utf8');
}
