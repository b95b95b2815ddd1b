import type { Readable } from 'node:stream';
import { config } from '../config';
import { FilesystemStore } from './fs-store';
import { S3Store } from './s3-store';
export { checkName } from './object-name';

/**
 * Where Liaison's files live: encrypted blobs ("blobs/ab/<key>") and encrypted derivatives such as page
 * images ("cache/pages/<version>/<name>"). Only ciphertext ever reaches a store; encryption happens
 * before (lib/storage/blob-store.ts, lib/render/page-cache.ts). Names are generated, never user input.
 */
export interface BlobStore {
  readonly kind: 'filesystem' | 's3';
  /** Streams `body` under `name`. The object is visible only once complete; on failure nothing is left visible. */
  put(name: string, body: Readable): Promise<void>;
  /** A small object written in one request (a cached page image). */
  putBuffer(name: string, data: Buffer): Promise<void>;
  /** Opens an object for reading once the store has answered, so an outage is an error before any byte. */
  get(name: string): Promise<Readable>;
  /** A small object read whole, or null when it does not exist. */
  getBuffer(name: string): Promise<Buffer | null>;
  exists(name: string): Promise<boolean>;
  /** Removes an object; a missing one is not an error. */
  delete(name: string): Promise<void>;
  /** Removes every object whose name starts with `prefix` + "/". */
  deleteAll(prefix: string): Promise<void>;
  /** Every object name under `prefix` (for `liaison storage migrate`). */
  list(prefix: string): AsyncIterable<string>;
}

let current: { signature: string; store: BlobStore } | null = null;

/**
 * The store the configuration names, made once per configuration (tests change the environment between
 * files; a server never does).
 */
export function blobStore(): BlobStore {
  const cfg = config();
  const signature = JSON.stringify(cfg.storage.kind === 's3' ? cfg.storage : { kind: 'filesystem', dataDir: cfg.dataDir });
  if (current?.signature !== signature) {
    current = { signature, store: cfg.storage.kind === 's3' ? new S3Store(cfg.storage) : new FilesystemStore(cfg.dataDir) };
  }
  return current.store;
}
