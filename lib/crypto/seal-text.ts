import crypto from 'node:crypto';
import { deriveKey } from './master-key';

/**
 * A short secret kept in the database (a TOTP seed), AES-256-GCM under a subkey of the master key for
 * `purpose`, bound to `context` (the row it belongs to) so a sealed value cannot be moved to another row.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export function sealText(purpose: string, context: string, plain: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey(purpose), iv);
  c.setAAD(Buffer.from(`${purpose}:${context}`));
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function openText(purpose: string, context: string, sealed: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown sealed text format');
  const d = crypto.createDecipheriv('aes-256-gcm', deriveKey(purpose), Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(`${purpose}:${context}`));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
}
