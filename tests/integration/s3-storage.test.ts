import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { addVersion, createDocument, deleteDocument, openDocumentContent } from '../../lib/documents/service';
import { putBlob, readBlob } from '../../lib/storage/blob-store';
import { encryptedSize } from '../../lib/storage/encrypted-stream';
import { blobStore } from '../../lib/storage/store';
import { migrateDataDirToS3 } from '../../lib/storage/migrate';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { apiContent, apiPage, apiToken } from '../helpers/guest';
import { objectKeys, S3_TEST_BUCKET, S3RVER_CREDENTIALS, s3Url, startS3rver, type S3Server } from '../helpers/s3';
import { startFaultProxy, type FaultProxy } from '../helpers/s3-fault-proxy';

const MB = 1024 * 1024;
const saved = { url: process.env.LIAISON_S3_URL, key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
let s3: S3Server;
let proxy: FaultProxy;
const PREFIX = `s3test-${process.pid}`;

/** Points Liaison at the proxy in front of s3rver (a short timeout, so stalls end quickly). */
function useStore(endpoint = proxy.endpoint, timeoutMs = 1000) {
  process.env.LIAISON_S3_URL = s3Url(endpoint, { prefix: PREFIX, timeoutMs });
  Object.assign(process.env, S3RVER_CREDENTIALS);
}

/** A stream of `size` bytes in 1 MB chunks, generated as it is read (never held whole). */
function generated(size: number, onChunk?: (sent: number) => void): Readable {
  const chunk = crypto.randomBytes(MB);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const n = Math.min(MB, size - sent);
      sent += n;
      onChunk?.(sent);
      this.push(n === MB ? chunk : chunk.subarray(0, n));
    },
  });
}

/** AbortMultipartUpload requests (DELETE ?uploadId=) the proxy saw since request number `first`. */
const abortsSince = (first: number) => proxy.requests.slice(first).filter((r) => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url));
const blobKeysIn = (server: S3Server) => objectKeys(server, `${PREFIX}/blobs/`);
const readAll = async (r: Readable) => { const parts: Buffer[] = []; for await (const c of r) parts.push(c as Buffer); return Buffer.concat(parts); };

async function failureAudits(orgId: string) {
  return prisma().auditEvent.findMany({ where: { orgId, outcome: 'failure', reason: 'storage_unavailable' }, select: { type: true } });
}

beforeAll(async () => {
  s3 = await startS3rver();
  proxy = await startFaultProxy(s3.endpoint);
});
afterEach(() => { proxy.mode = 'pass'; proxy.failIf = null; useStore(); });
afterAll(async () => {
  for (const [k, v] of [['LIAISON_S3_URL', saved.url], ['AWS_ACCESS_KEY_ID', saved.key], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
  await proxy.close();
  await s3.stop();
});

describe('S3 storage', () => {
  it('is chosen from LIAISON_S3_URL, stores only ciphertext, and reads it back', async () => {
    useStore();
    expect(blobStore().kind).toBe('s3');
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    const secret = `Privileged memo ${crypto.randomUUID()}`;
    const before = new Set(blobKeysIn(s3));
    const doc = await createDocument(principal, fileFrom(secret, 'memo.txt', 'text/plain'), { title: 'Memo' }, 10 * MB);
    const added = blobKeysIn(s3).filter((k) => !before.has(k));
    expect(added).toHaveLength(1);
    const stored = fs.readFileSync(path.join(s3.dir, S3_TEST_BUCKET, `${added[0]}._S3rver_object`));
    expect(stored.subarray(0, 4).toString()).toBe('LSN1');
    expect(stored.includes(Buffer.from('Privileged memo'))).toBe(false);
    expect(stored.length).toBe(encryptedSize(Buffer.byteLength(secret)));
    // Nothing of the data directory is used for it.
    expect(fs.existsSync(path.join(process.env.LIAISON_DATA_DIR!, 'blobs', added[0].split('/').pop()!.slice(0, 2), added[0].split('/').pop()!))).toBe(false);
    const file = await openDocumentContent(principal, doc.id);
    expect((await readAll(file.stream)).toString()).toBe(secret);
  });

  it('streams a large upload as a multipart upload with bounded memory (50 MB, then 200 MB)', async () => {
    useStore(proxy.endpoint, 30_000);
    const size = 200 * MB;
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    let small;
    let blob;
    let first = 0;
    let afterSmall = 0;
    const started = Date.now();
    try {
      small = await putBlob(generated(50 * MB), 300 * MB);
      afterSmall = peak - base;
      first = proxy.requests.length;
      blob = await putBlob(generated(size), 300 * MB);
    } finally {
      clearInterval(sample);
    }
    const seconds = (Date.now() - started) / 1000;
    const growth = peak - base;
    console.info(`50 MB then 200 MB uploads to s3rver: ${seconds.toFixed(1)} s; RSS growth ${(afterSmall / MB).toFixed(0)} MB after 50 MB, ${(growth / MB).toFixed(0)} MB after 200 MB`);
    expect(small.size).toBe(50 * MB);
    expect(blob.size).toBe(size);
    // Memory does not follow the file's size: four times the data costs (almost) nothing more.
    expect(growth - afterSmall).toBeLessThan(40 * MB);
    // The fixed part (SDK, allocator and garbage-collector slack) measured 85-100 MB here; the bound that
    // matters is the one above, that it does not grow with the file.
    expect(growth).toBeLessThan(0.75 * size);
    const reqs = proxy.requests.slice(first);
    expect(reqs.filter((r) => r.method === 'POST' && /[?&]uploads\b/.test(r.url))).toHaveLength(1);
    expect(reqs.filter((r) => r.method === 'PUT' && /partNumber=/.test(r.url)).length).toBe(Math.ceil(encryptedSize(size) / (8 * MB)));
    // The decrypted object is the stream that went in (hash over a streamed read).
    const hash = crypto.createHash('sha256');
    for await (const c of await readBlob(blob.key, blob.wrappedKey)) hash.update(c as Buffer);
    expect(hash.digest('hex')).toBe(blob.sha256);
  }, 240_000);

  it('refuses a file over the limit while it streams: no object, the multipart upload aborted, no version', async () => {
    useStore();
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    const before = blobKeysIn(s3).length;
    const first = proxy.requests.length;
    await expect(createDocument(principal, { stream: generated(30 * MB), fileName: 'big.bin' }, {}, 20 * MB)).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(blobKeysIn(s3)).toHaveLength(before);
    expect(abortsSince(first)).toHaveLength(1);
    expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('S3 answering 500 to a part: the upload is aborted, 503 storage_unavailable, no version, audited', async () => {
    useStore();
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    const doc = await createDocument(principal, fileFrom('v1'), {}, 10 * MB);
    const before = blobKeysIn(s3).length;
    const first = proxy.requests.length;
    proxy.failIf = (r) => r.method === 'PUT' && /partNumber=2\b/.test(r.url);
    const err = await addVersion(principal, doc.id, { stream: generated(20 * MB), fileName: 'v2.bin' }, {}, 50 * MB).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'storage_unavailable', status: 503 });
    expect(blobKeysIn(s3)).toHaveLength(before);
    expect(abortsSince(first)).toHaveLength(1); // AbortMultipartUpload was sent (s3rver itself does not implement it)
    expect(await prisma().documentVersion.count({ where: { documentId: doc.id } })).toBe(1);
    expect(await failureAudits(org.id)).toEqual([{ type: 'document.version' }]);
  });

  it('S3 not answering at all: the request times out (bounded retries), 503, no document', async () => {
    useStore(proxy.endpoint, 500);
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    proxy.mode = 'stall';
    const started = Date.now();
    const err = await createDocument(principal, fileFrom('stalled upload'), {}, 10 * MB).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'storage_unavailable', retryAfterSeconds: 5 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
    expect(await failureAudits(org.id)).toEqual([{ type: 'document.upload' }]);
  }, 30_000);

  it('S3 stopped in the middle of an upload: 503, no version row, no object', async () => {
    const own = await startS3rver();
    try {
      useStore(own.endpoint, 1000);
      const org = await createOrg();
      const { principal } = await createStaff(org.id);
      let killed = false;
      const source = generated(40 * MB, (sent) => { if (sent >= 12 * MB && !killed) { killed = true; void own.kill(); } });
      const err = await createDocument(principal, { stream: source, fileName: 'cut.bin' }, {}, 100 * MB).catch((e: unknown) => e);
      expect(killed).toBe(true);
      expect(err).toMatchObject({ code: 'storage_unavailable' });
      expect(objectKeys(own, `${PREFIX}/blobs/`)).toEqual([]);
      expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
    } finally {
      await own.stop();
    }
  }, 60_000);

  it('a guest download fails closed: 503 before any byte, and an error (never a clean short end) mid-body', async () => {
    useStore();
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    const original = crypto.randomBytes(3 * MB);
    const doc = await createDocument(principal, fileFrom(original, 'evidence.bin'), { tlp: 'GREEN' }, 10 * MB);
    const { url } = await createShare(principal, { documentIds: [doc.id], allowDownload: true, watermark: false } as CreateShareInput);
    const token = await apiToken(url!);

    proxy.mode = 'error';
    const refused = await apiContent(token, doc.id);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: 'storage_unavailable' });
    expect(await failureAudits(org.id)).toEqual([{ type: 'guest.download' }]);

    proxy.mode = 'cut';
    proxy.cutAfter = MB;
    const cut = await apiContent(token, doc.id);
    expect(cut.status).toBe(200);
    await expect(cut.arrayBuffer()).rejects.toThrow();

    proxy.mode = 'pass';
    const whole = await apiContent(token, doc.id);
    expect(Buffer.from(await whole.arrayBuffer()).equals(original)).toBe(true);
  });

  it('a staff download with S3 failing: 503, and no download on record', async () => {
    useStore();
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    const doc = await createDocument(principal, fileFrom('kept safe'), {}, 10 * MB);
    proxy.mode = 'error';
    await expect(openDocumentContent(principal, doc.id)).rejects.toMatchObject({ code: 'storage_unavailable', status: 503 });
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'document.download' } })).toBe(0);
  });

  it('page images are cached in the bucket, and deleting the document removes blobs and cache there', async () => {
    useStore();
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    const doc = await createDocument(principal, fileFrom(tinyPdf('Cached page'), 'brief.pdf', 'application/pdf'), { tlp: 'GREEN' }, 10 * MB);
    const { url } = await createShare(principal, { documentIds: [doc.id], watermark: true } as CreateShareInput);
    const token = await apiToken(url!);
    const page = await apiPage(token, doc.id, 1);
    expect(page.status).toBe(200);
    const cache = objectKeys(s3, `${PREFIX}/cache/pages/${doc.versionId}/`);
    expect(cache.map((k) => k.split('/').pop()).sort()).toEqual(expect.arrayContaining(['layout.json']));
    expect(cache.length).toBeGreaterThanOrEqual(2);
    const version = await prisma().documentVersion.findUniqueOrThrow({ where: { id: doc.versionId } });
    expect(blobKeysIn(s3).some((k) => k.endsWith(version.blobKey))).toBe(true);

    await deleteDocument(principal, doc.id);
    expect(objectKeys(s3, `${PREFIX}/cache/pages/${doc.versionId}/`)).toEqual([]);
    expect(blobKeysIn(s3).some((k) => k.endsWith(version.blobKey))).toBe(false);
  });

  it('liaison storage migrate --to s3: copies the data directory as it is (ciphertext, same names); a second run skips', async () => {
    delete process.env.LIAISON_S3_URL;
    expect(blobStore().kind).toBe('filesystem');
    const org = await createOrg();
    const { principal } = await createStaff(org.id);
    const body = crypto.randomBytes(200_000);
    const doc = await createDocument(principal, fileFrom(body, 'old.bin'), {}, 10 * MB);
    const version = await prisma().documentVersion.findUniqueOrThrow({ where: { id: doc.versionId } });
    useStore();
    expect(await blobStore().exists(`blobs/${version.blobKey.slice(0, 2)}/${version.blobKey}`)).toBe(false);
    const first = await migrateDataDirToS3();
    expect(first.copied).toBeGreaterThanOrEqual(1);
    const again = await migrateDataDirToS3();
    expect(again.copied).toBe(0);
    expect(again.skipped).toBe(first.copied + first.skipped);
    const file = await openDocumentContent(principal, doc.id);
    expect((await readAll(file.stream)).equals(body)).toBe(true);
  });
});
