import crypto from 'node:crypto';
import { deriveKey } from '../crypto/master-key';

const VERSION = 1;
const aad = (webhookId: string) => Buffer.from(`liaison-webhook-secret-v${VERSION}:${webhookId}`);

/** 256 random bits, shown once: `whsec_<base64url>`. */
export const newWebhookSecret = () => `whsec_${crypto.randomBytes(32).toString('base64url')}`;

/** AES-256-GCM under the 'webhook-secrets' subkey, bound to the webhook's id: version | iv | tag | ciphertext. */
export function sealSecret(webhookId: string, secret: string): Uint8Array<ArrayBuffer> {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey('webhook-secrets'), iv);
  c.setAAD(aad(webhookId));
  const ct = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), ct]));
}

export function openSecret(webhookId: string, sealed: Uint8Array): string {
  const buf = Buffer.from(sealed);
  if (buf.length < 30 || buf[0] !== VERSION) throw new Error(`webhook ${webhookId}: unknown secret encryption format`);
  const d = crypto.createDecipheriv('aes-256-gcm', deriveKey('webhook-secrets'), buf.subarray(1, 13));
  d.setAAD(aad(webhookId));
  d.setAuthTag(buf.subarray(13, 29));
  return Buffer.concat([d.update(buf.subarray(29)), d.final()]).toString('utf8');
}
