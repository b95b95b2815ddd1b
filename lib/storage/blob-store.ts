import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { PassThrough, Readable, Transform } from 'node:stream';
import { isAppError } from '../errors';
import { log } from '../log';
import { unwrapKey, wrapKey } from '../crypto/master-key';
import { createDecryptStream, createEncryptStream, decryptWhole } from './encrypted-stream';
import { blobStore } from './store';

export interface StoredBlob { key: string; wrappedKey: Buffer; sha256: string; size: number }

/** Blob keys are generated ids, never anything a user typed: no path can be smuggled in. */
const blobName = (key: string) => {
  if (!/^[a-f0-9]{32}$/.test(key)) throw new Error('invalid blob key');
  return `blobs/${key.slice(0, 2)}/${key}`;
};

export class BlobTooLargeError extends Error {}

const isStoreFailure = (e: unknown) => isAppError(e) && e.code === 'storage_unavailable';

/**
 * Streams `source` through encryption into the store, hashing the plaintext on the way. Nothing is held
 * whole in memory (S3: multipart parts of bounded size). The stored object appears only once complete;
 * on any failure (too large, the source failing, the store failing) nothing is left visible and the
 * error says which: BlobTooLargeError, the source's error, or AppError storage_unavailable.
 */
export async function putBlob(source: Readable, maxBytes: number): Promise<StoredBlob> {
  const key = crypto.randomBytes(16).toString('hex');
  const name = blobName(key);
  const fileKey = crypto.randomBytes(32);
  const hash = crypto.createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      size += chunk.length;
      if (size > maxBytes) return cb(new BlobTooLargeError(`file exceeds ${maxBytes} bytes`));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const ciphertext = new PassThrough();
  // Which side failed first: the source (and the size limit) or the store. An error travels outwards
  // from where it happened, so the first stream to report one is its origin.
  let origin: 'source' | 'store' | null = null;
  source.once('error', () => { origin ??= 'source'; });
  meter.once('error', () => { origin ??= 'source'; });
  ciphertext.once('error', () => { origin ??= 'store'; });
  const feeding = pipeline(source, meter, createEncryptStream(fileKey), ciphertext);
  // A store that gives up stops reading: end the feeding too, or it would wait for ever.
  const storing = blobStore().put(name, ciphertext).catch((e: unknown) => { ciphertext.destroy(e as Error); throw e; });
  const [fed, stored] = await Promise.allSettled([feeding, storing]);
  if (fed.status === 'rejected' || stored.status === 'rejected') {
    // A request that timed out may still have completed on the server's side: remove it, best effort.
    if (stored.status === 'rejected' && isStoreFailure(stored.reason)) await discardBlob(key);
    if (origin === 'source' && fed.status === 'rejected') throw fed.reason;
    throw stored.status === 'rejected' ? stored.reason : (fed as PromiseRejectedResult).reason;
  }
  return { key, wrappedKey: wrapKey(fileKey), sha256: hash.digest('hex'), size };
}

/**
 * Opens a blob for streaming, decrypted. Resolves once the store has answered (an outage is an error
 * before any byte); a store failing later, or a truncated object, errors the stream: the last chunk's
 * authentication never passes, so partial bytes never end like a complete file.
 */
export async function readBlob(key: string, wrappedKey: Uint8Array): Promise<Readable> {
  const input = await blobStore().get(blobName(key));
  const decrypt = createDecryptStream(unwrapKey(wrappedKey));
  input.on('error', (e) => decrypt.destroy(e));
  decrypt.on('close', () => { if (!input.readableEnded) input.destroy(); });
  return input.pipe(decrypt);
}

/** A small blob read and decrypted in one go (a whole, authenticated buffer). */
export async function readBlobBuffer(key: string, wrappedKey: Uint8Array): Promise<Buffer> {
  const data = await blobStore().getBuffer(blobName(key));
  if (!data) throw new Error('blob does not exist');
  return decryptWhole(unwrapKey(wrappedKey), data);
}

/** Removes a blob. Throws when the store fails (callers decide whether that may fail their operation). */
export async function deleteBlob(key: string): Promise<void> {
  await blobStore().delete(blobName(key));
}

/**
 * Removes a blob after its rows are gone (deletion, purges, a refused upload): a store failure is
 * logged with the key, never thrown, since the database change is already committed and audited.
 * docs/STORAGE.md says how such leftovers are found (`liaison storage orphans`).
 */
export async function discardBlob(key: string): Promise<void> {
  try {
    await deleteBlob(key);
  } catch (e) {
    log.error({ blobKey: key, err: (e as Error)?.message }, 'could not remove an encrypted blob; it is left in storage as an orphan');
  }
}

export const blobExists = (key: string) => blobStore().exists(blobName(key));
