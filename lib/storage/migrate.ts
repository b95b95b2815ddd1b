import { config } from '../config';
import { FilesystemStore } from './fs-store';
import { blobStore, type BlobStore } from './store';

export interface StorageMigration { copied: number; skipped: number; bytes: number }

/**
 * Copies the data directory's files (blobs/ and cache/) into the configured S3 store, as they are:
 * ciphertext stays ciphertext (the keys are wrapped in the database, under the same master key), and
 * names stay the same. Objects already there are skipped, so an interrupted run can simply be repeated.
 * Nothing is deleted from the data directory; remove it once the server runs on S3.
 */
export async function migrateDataDirToS3(opts: { dryRun?: boolean; onObject?: (name: string) => void } = {}): Promise<StorageMigration> {
  const target = blobStore();
  if (target.kind !== 's3') throw new Error('Set LIAISON_S3_URL (or LIAISON_S3_BUCKET) to the bucket to migrate to.');
  return copyAll(new FilesystemStore(config().dataDir), target, opts);
}

async function copyAll(from: BlobStore, to: BlobStore, opts: { dryRun?: boolean; onObject?: (name: string) => void }): Promise<StorageMigration> {
  const result: StorageMigration = { copied: 0, skipped: 0, bytes: 0 };
  for (const prefix of ['blobs', 'cache']) {
    for await (const name of from.list(prefix)) {
      if (await to.exists(name)) { result.skipped++; continue; }
      opts.onObject?.(name);
      if (!opts.dryRun) {
        const body = await from.get(name);
        let size = 0;
        body.on('data', (c: Buffer) => { size += c.length; });
        await to.put(name, body);
        result.bytes += size;
      }
      result.copied++;
    }
  }
  return result;
}
