import { PassThrough, Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AppError } from '../errors';
import { log } from '../log';
import { checkName } from './object-name';
import type { StorageConfig } from './s3-settings';
import type { BlobStore } from './store';

/** Parts of a multipart upload. At most QUEUE parts are in flight, so an upload holds about (QUEUE + 1) × PART in memory. */
export const PART_BYTES = 8 * 1024 * 1024;
const QUEUE = 2;
const MAX_ATTEMPTS = 3;

type S3Settings = Extract<StorageConfig, { kind: 's3' }>;

const isMissing = (e: unknown) => e instanceof S3ServiceException && (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404);

/**
 * Any failure of the store, as the user sees it: 503, retryable, without the SDK's message (which can
 * name the bucket and endpoint). The cause is kept for the log.
 */
export function storageUnavailable(op: string, name: string, cause: unknown): AppError {
  log.warn({ op, object: name, err: (cause as Error)?.name, message: (cause as Error)?.message }, 'object storage failed');
  return new AppError('storage_unavailable', 'File storage is unavailable. Try again shortly.', { retryAfterSeconds: 5, cause });
}

/**
 * An S3-compatible bucket. Requests time out (connection and idle socket) and are retried a bounded
 * number of times by the SDK's standard strategy. Uploads are multipart and streamed; S3 makes an object
 * visible only when its upload completes, and a failed multipart upload is aborted.
 */
export class S3Store implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(s: S3Settings) {
    this.bucket = s.bucket;
    this.prefix = s.prefix ? `${s.prefix}/` : '';
    this.client = new S3Client({
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      forcePathStyle: s.forcePathStyle,
      maxAttempts: MAX_ATTEMPTS,
      retryMode: 'standard',
      // Checksums only where S3 requires them: self-hosted S3-compatible servers often do not know the
      // newer checksum headers, and every blob carries its own authentication tags anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // requestTimeout is the socket's idle time; without throwOnRequestTimeout the handler only warns.
      requestHandler: { connectionTimeout: Math.min(s.timeoutMs, 10_000), requestTimeout: s.timeoutMs, throwOnRequestTimeout: true },
    });
  }

  private key(name: string) { return this.prefix + checkName(name); }

  async put(name: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(name), Body: body, ContentType: 'application/octet-stream' },
      partSize: PART_BYTES,
      queueSize: QUEUE,
      leavePartsOnError: false, // abort the multipart upload on any failure
    });
    try {
      await upload.done();
    } catch (e) {
      // The source failed (too large, client gone): that is the error, not the store. (Upload ends a
      // body it gives up on with an AbortError: that one is the store's failure.)
      if (body.errored && body.errored.name !== 'AbortError') throw body.errored;
      throw storageUnavailable('put', name, e);
    }
  }

  async putBuffer(name: string, data: Buffer): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(name), Body: data, ContentType: 'application/octet-stream' }));
    } catch (e) {
      throw storageUnavailable('put', name, e);
    }
  }

  async get(name: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
      if (!(r.Body instanceof Readable)) throw new Error('unexpected body type');
      // A failure while the body streams (connection cut, idle timeout) reads as the store failing,
      // whoever consumes it. pipe() does not forward errors, so only this handler ends `out`.
      const out = new PassThrough();
      r.Body.on('error', (e) => out.destroy(storageUnavailable('get', name, e)));
      return r.Body.pipe(out);
    } catch (e) {
      if (isMissing(e)) throw Object.assign(new Error(`object ${name} does not exist`), { code: 'ENOENT' });
      throw storageUnavailable('get', name, e);
    }
  }

  async getBuffer(name: string): Promise<Buffer | null> {
    let body: Readable;
    try {
      body = await this.get(name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const parts: Buffer[] = [];
    for await (const chunk of body) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw storageUnavailable('head', name, e);
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
    } catch (e) {
      if (isMissing(e)) return;
      throw storageUnavailable('delete', name, e);
    }
  }

  async deleteAll(prefix: string): Promise<void> {
    // One DeleteObject per key: cache folders are small, and DeleteObjects needs a Content-MD5 that not
    // every S3-compatible server accepts in the SDK's newer checksum form.
    for await (const name of this.list(prefix)) await this.delete(name);
  }

  async *list(prefix: string): AsyncIterable<string> {
    const base = `${this.prefix}${checkName(prefix)}/`;
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: base, ContinuationToken: token }));
      } catch (e) {
        throw storageUnavailable('list', prefix, e);
      }
      for (const o of page.Contents ?? []) if (o.Key) yield o.Key.slice(this.prefix.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
