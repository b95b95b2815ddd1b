import { dropCached } from '../render/page-cache';
import { discardBlob } from './blob-store';

/**
 * Removes the stored files of versions (their blobs and cached page images) and of proposed files, once
 * the rows are deleted and the deletion audited. A store failure is logged per object, never thrown:
 * the deletion has happened and is on record (docs/STORAGE.md, "Deletion").
 */
export async function removeStoredFiles(versions: { id: string; blobKey: string }[], proposalBlobs: string[]): Promise<void> {
  for (const v of versions) {
    await discardBlob(v.blobKey);
    await dropCached(v.id);
  }
  for (const key of proposalBlobs) await discardBlob(key);
}
