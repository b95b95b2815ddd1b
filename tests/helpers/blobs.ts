import { blobExists } from '../../lib/storage/blob-store';

/** Whether each blob is in the configured store (filesystem, or S3 under TEST_S3=1). */
export const storedBlobs = (keys: string[]) => Promise.all(keys.map((k) => blobExists(k)));
