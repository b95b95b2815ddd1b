import crypto from 'node:crypto';
import { deriveKey } from '../crypto/master-key';
import { log } from '../log';
import { blobStore } from '../storage/store';

/**
 * Rendered pages are as sensitive as the document, so the cache is encrypted like the blobs:
 * AES-256-GCM with a key derived from the master key, and the entry's identity (version, name) bound
 * in as additional data, so an object moved to another entry's place fails to decrypt instead of showing
 * another document's page. Entries hold unwatermarked pages; the watermark is drawn per request.
 * Entries live in the blob store (the data directory, or S3 when configured), so every instance behind a
 * load balancer shares one cache.
 */
const dirOf = (versionId: string) => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(versionId)) throw new Error('invalid version id');
  return `cache/pages/${versionId}`;
};
const checkEntry = (name: string) => {
  if (!/^[a-z0-9.-]{1,64}$/.test(name) || name.startsWith('.')) throw new Error('invalid cache entry name');
  return name;
};
const objectOf = (versionId: string, name: string) => `${dirOf(versionId)}/${checkEntry(name)}`;
const aad = (versionId: string, name: string) => Buffer.from(`liaison-page-cache-v1:${versionId}:${name}`);

/** The entry, or null when absent or damaged (render again). A store outage is thrown (503), not hidden. */
export async function readCached(versionId: string, name: string): Promise<Buffer | null> {
  const raw = await blobStore().getBuffer(objectOf(versionId, name));
  if (!raw) return null;
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
export const hasCached = (versionId: string, name: string) => blobStore().exists(objectOf(versionId, name));

export async function writeCached(versionId: string, name: string, data: Buffer): Promise<void> {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey('page-cache'), iv);
  c.setAAD(aad(versionId, checkEntry(name)));
  const body = Buffer.concat([c.update(data), c.final()]);
  await blobStore().putBuffer(objectOf(versionId, name), Buffer.concat([iv, c.getAuthTag(), body]));
}

/** Removes a version's cached pages (when the document is deleted or purged). Failures are logged, never thrown. */
export async function dropCached(versionId: string): Promise<void> {
  try {
    await blobStore().deleteAll(dirOf(versionId));
  } catch (e) {
    log.error({ versionId, err: (e as Error)?.message }, 'could not remove cached page images; they are left in storage');
  }
}
