import { buffer as readAll } from 'node:stream/consumers';
import { log } from '../../log';
import { readCached, writeCached } from '../../render/page-cache';
import { readBlob } from '../../storage/blob-store';
import { isWatermarkable } from '../media-types';
import { buildFastIndex } from './build-index';
import type { FastIndex } from './types';

/** The version fields the index is made from and checked against. */
export interface IndexableVersion {
  id: string;
  sha256: string;
  size: bigint | number;
  mediaType: string;
  blobKey: string;
  wrappedKey: Uint8Array;
}

// Stored with the cached page images: encrypted with the page-cache key, bound to the version id.
// v2 (2026-12-03) adds the marked page dictionaries; a v1 entry is simply not read, and is rebuilt.
const ENTRY = 'fast-index-v2.json';
// Indexing reads the file whole, once; past this the file is left to the pdf-lib path (which refuses it).
const MAX_INDEX_BYTES = 200 * 1024 * 1024;

type Stored = FastIndex | { unindexable: string; sha256: string };

// The last few indexes parsed, so repeated downloads of a board pack skip decrypting and parsing its
// index (about 10 ms for 1,000 pages). Read-only once made: the writer never changes an index.
const RECENT = 16;
const recent = new Map<string, Stored>();
function remember(versionId: string, s: Stored): Stored {
  recent.delete(versionId);
  recent.set(versionId, s);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
  return s;
}

async function readStored(version: IndexableVersion): Promise<Stored | undefined> {
  const hit = recent.get(version.id);
  if (hit?.sha256 === version.sha256) return hit;
  const raw = await readCached(version.id, ENTRY);
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw.toString('utf8')) as Stored;
    return s.sha256 === version.sha256 ? remember(version.id, s) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The version's index: the stored one, else made now (one read of the decrypted original) and stored,
 * so versions uploaded before the fast path existed get one on their first download. Null when the
 * file cannot be indexed (the reason is stored too, so it is not parsed again on every download).
 */
export async function fastIndexFor(version: IndexableVersion): Promise<FastIndex | null> {
  if (!isWatermarkable(version.mediaType) || Number(version.size) > MAX_INDEX_BYTES) return null;
  let stored = await readStored(version);
  if (!stored) {
    const original = await readAll(await readBlob(version.blobKey, version.wrappedKey));
    const built = buildFastIndex(original, version.sha256);
    const made: Stored = 'unindexable' in built ? { unindexable: built.unindexable, sha256: version.sha256 }
      : built.size !== Number(version.size) ? { unindexable: 'size differs from the version record', sha256: version.sha256 } : built;
    await writeCached(version.id, ENTRY, Buffer.from(JSON.stringify(made)));
    stored = remember(version.id, made);
  }
  return 'unindexable' in stored ? null : stored;
}

/** At upload: index now so the first download is fast. A failure here only costs that download the indexing. */
export async function indexUploadedVersion(version: IndexableVersion): Promise<void> {
  try {
    await fastIndexFor(version);
  } catch (e) {
    log.warn({ versionId: version.id, err: e instanceof Error ? e.message : String(e) }, 'fast watermark index not built');
  }
}

/** Why a version has no index, for tests and operators; undefined when it has one or none was made. */
export async function unindexableReason(version: IndexableVersion): Promise<string | undefined> {
  const s = await readStored(version);
  return s && 'unindexable' in s ? s.unindexable : undefined;
}

/** Forgets the parsed copy kept in memory (the stored entry goes with the version's cache: dropCached). */
export function forgetFastIndex(versionId: string): void {
  recent.delete(versionId);
}
