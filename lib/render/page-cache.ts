import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { deriveKey } from '../crypto/master-key';

/**
 * Rendered pages are as sensitive as the document, so the cache is encrypted like the blobs:
 * AES-256-GCM with a key derived from the master key, and the entry's identity (version, name) bound
 * in as additional data, so a file moved to another entry's place fails to decrypt instead of showing
 * another document's page. Entries hold unwatermarked pages; the watermark is drawn per request.
 */
const dirOf = (versionId: string) => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(versionId)) throw new Error('invalid version id');
  return path.join(config().dataDir, 'cache', 'pages', versionId);
};
const checkName = (name: string) => {
  if (!/^[a-z0-9.-]{1,64}$/.test(name)) throw new Error('invalid cache entry name');
  return name;
};
const aad = (versionId: string, name: string) => Buffer.from(`liaison-page-cache-v1:${versionId}:${name}`);

export function readCached(versionId: string, name: string): Buffer | null {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(path.join(dirOf(versionId), checkName(name)));
  } catch {
    return null;
  }
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', deriveKey('page-cache'), raw.subarray(0, 12));
    d.setAAD(aad(versionId, name));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
  } catch {
    return null; // damaged or foreign: render again
  }
}

/** Whether an entry is there (without reading it): for warming the cache ahead of a guest. */
export const hasCached = (versionId: string, name: string) => fs.existsSync(path.join(dirOf(versionId), checkName(name)));

export function writeCached(versionId: string, name: string, data: Buffer): void {
  const dir = dirOf(versionId);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey('page-cache'), iv);
  c.setAAD(aad(versionId, checkName(name)));
  const body = Buffer.concat([c.update(data), c.final()]);
  const final = path.join(dir, name);
  const tmp = `${final}.${crypto.randomBytes(4).toString('hex')}.part`;
  fs.writeFileSync(tmp, Buffer.concat([iv, c.getAuthTag(), body]), { mode: 0o600 });
  fs.renameSync(tmp, final); // readers never see half an entry
}

/** Removes a version's cached pages (when the document is deleted). */
export function dropCached(versionId: string): void {
  fs.rmSync(dirOf(versionId), { recursive: true, force: true });
}
