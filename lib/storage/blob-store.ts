import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { config } from '../config';
import { unwrapKey, wrapKey } from '../crypto/master-key';
import { createDecryptStream, createEncryptStream, decryptWhole } from './encrypted-stream';

export interface StoredBlob { key: string; wrappedKey: Buffer; sha256: string; size: number }

/** Blob keys are generated ids, never anything a user typed: no path can be smuggled in. */
const blobPath = (key: string) => {
  if (!/^[a-f0-9]{32}$/.test(key)) throw new Error('invalid blob key');
  return path.join(config().dataDir, 'blobs', key.slice(0, 2), key);
};

export class BlobTooLargeError extends Error {}

/**
 * Streams `source` into an encrypted file, hashing the plaintext on the way. Nothing is held whole in
 * memory. The file appears under its final name only once complete; on any failure it is removed.
 */
export async function putBlob(source: Readable, maxBytes: number): Promise<StoredBlob> {
  const key = crypto.randomBytes(16).toString('hex');
  const fileKey = crypto.randomBytes(32);
  const final = blobPath(key);
  const tmp = `${final}.part`;
  fs.mkdirSync(path.dirname(final), { recursive: true, mode: 0o700 });
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
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  try {
    await pipeline(source, meter, createEncryptStream(fileKey), out);
    fs.renameSync(tmp, final);
  } catch (e) {
    // The file is opened asynchronously: an early failure must wait for it, or the removal runs
    // first and the open then leaves an orphaned .part file behind.
    if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { key, wrappedKey: wrapKey(fileKey), sha256: hash.digest('hex'), size };
}

export function readBlob(key: string, wrappedKey: Uint8Array): Readable {
  const input = fs.createReadStream(blobPath(key));
  const decrypt = createDecryptStream(unwrapKey(wrappedKey));
  input.on('error', (e) => decrypt.destroy(e));
  return input.pipe(decrypt);
}

/** A small blob read and decrypted in one go (a whole, authenticated buffer). */
export async function readBlobBuffer(key: string, wrappedKey: Uint8Array): Promise<Buffer> {
  return decryptWhole(unwrapKey(wrappedKey), await fs.promises.readFile(blobPath(key)));
}

export function deleteBlob(key: string): void {
  fs.rmSync(blobPath(key), { force: true });
}

export const blobExists = (key: string) => fs.existsSync(blobPath(key));
