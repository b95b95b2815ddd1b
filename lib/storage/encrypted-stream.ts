import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/*
 * Chunked AES-256-GCM (the "STREAM" construction). Written here because Node has no maintained
 * library for authenticated streaming encryption: a single GCM stream would hand out plaintext
 * before its tag is checked, and could not be read from an offset.
 *
 * File layout: magic "LSN1" | 8-byte random nonce prefix | chunks. Each chunk is
 * ciphertext(<= CHUNK plaintext bytes) | tag(16). Chunk i's IV is prefix | uint32 BE i, and its AAD
 * records i and whether it is the last chunk, so reordering, truncation and appending all fail.
 */
export const CHUNK = 64 * 1024;
const MAGIC = Buffer.from('LSN1');
const HEADER = MAGIC.length + 8;
const TAG = 16;

function ivFor(prefix: Buffer, index: number): Buffer {
  const iv = Buffer.alloc(12);
  prefix.copy(iv, 0);
  iv.writeUInt32BE(index, 8);
  return iv;
}
function aadFor(index: number, last: boolean): Buffer {
  const aad = Buffer.alloc(5);
  aad.writeUInt32BE(index, 0);
  aad[4] = last ? 1 : 0;
  return aad;
}

export function encryptedSize(plainSize: number): number {
  const chunks = Math.max(1, Math.ceil(plainSize / CHUNK));
  return HEADER + plainSize + chunks * TAG;
}

export function createEncryptStream(key: Buffer): Transform {
  const prefix = crypto.randomBytes(8);
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  const seal = (t: Transform, chunk: Buffer, last: boolean) => {
    const c = crypto.createCipheriv('aes-256-gcm', key, ivFor(prefix, index));
    c.setAAD(aadFor(index, last));
    t.push(Buffer.concat([c.update(chunk), c.final(), c.getAuthTag()]));
    index++;
  };
  return new Transform({
    construct(cb) { this.push(Buffer.concat([MAGIC, prefix])); cb(); },
    transform(data: Buffer, _enc, cb: TransformCallback) {
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      // Keep at least one byte back so the final chunk is always sealed as "last".
      while (pending.length > CHUNK) {
        seal(this, pending.subarray(0, CHUNK), false);
        pending = pending.subarray(CHUNK);
      }
      cb();
    },
    flush(cb) { seal(this, pending, true); cb(); },
  });
}

export function createDecryptStream(key: Buffer): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let prefix: Buffer | null = null;
  let index = 0;
  let sawLast = false;
  const open = (chunk: Buffer, last: boolean): Buffer => {
    const d = crypto.createDecipheriv('aes-256-gcm', key, ivFor(prefix!, index));
    d.setAAD(aadFor(index, last));
    d.setAuthTag(chunk.subarray(chunk.length - TAG));
    const out = Buffer.concat([d.update(chunk.subarray(0, chunk.length - TAG)), d.final()]);
    index++;
    return out;
  };
  return new Transform({
    transform(data: Buffer, _enc, cb) {
      buf = buf.length ? Buffer.concat([buf, data]) : data;
      try {
        if (!prefix) {
          if (buf.length < HEADER) return cb();
          if (!buf.subarray(0, 4).equals(MAGIC)) throw new Error('not an encrypted Liaison blob');
          prefix = Buffer.from(buf.subarray(4, HEADER));
          buf = buf.subarray(HEADER);
        }
        // A full chunk is only known not to be the last once more bytes follow it.
        while (buf.length > CHUNK + TAG) {
          this.push(open(buf.subarray(0, CHUNK + TAG), false));
          buf = buf.subarray(CHUNK + TAG);
        }
        cb();
      } catch (e) { cb(e as Error); }
    },
    flush(cb) {
      try {
        if (!prefix || buf.length < TAG || sawLast) throw new Error('encrypted blob is truncated');
        this.push(open(buf, true));
        sawLast = true;
        cb();
      } catch (e) { cb(e as Error); }
    },
  });
}

/**
 * The same format opened in one go, for small files: no stream machinery for a few kilobytes. Every
 * chunk is authenticated exactly as createDecryptStream does (same IVs, AAD and last-chunk rule).
 */
export function decryptWhole(key: Buffer, data: Buffer): Buffer {
  if (data.length < HEADER + TAG || !data.subarray(0, 4).equals(MAGIC)) throw new Error('not an encrypted Liaison blob');
  const prefix = data.subarray(4, HEADER);
  const out: Buffer[] = [];
  let at = HEADER;
  for (let index = 0; at < data.length; index++) {
    const end = Math.min(at + CHUNK + TAG, data.length);
    const last = end === data.length;
    const chunk = data.subarray(at, end);
    if (chunk.length < TAG) throw new Error('encrypted blob is truncated');
    const d = crypto.createDecipheriv('aes-256-gcm', key, ivFor(prefix, index));
    d.setAAD(aadFor(index, last));
    d.setAuthTag(chunk.subarray(chunk.length - TAG));
    out.push(d.update(chunk.subarray(0, chunk.length - TAG)), d.final());
    at = end;
  }
  return Buffer.concat(out);
}
