import { blobExists } from '../../lib/storage/blob-store';
import { blobStore } from '../../lib/storage/store';

/** Whether each blob is in the configured store (filesystem, or S3 under TEST_S3=1). */
export const storedBlobs = (keys: string[]) => Promise.all(keys.map((k) => blobExists(k)));

/** Every finished object under `prefix` in the configured store (blobs by default). */
export async function storedObjectNames(prefix = 'blobs'): Promise<string[]> {
  const names: string[] = [];
  for await (const n of blobStore().list(prefix)) names.push(n);
  return names;
}

/** A blob's stored bytes (ciphertext) as the store holds them, or null. */
export const storedBlob = (key: string) => blobStore().getBuffer(`blobs/${key.slice(0, 2)}/${key}`);
