import crypto from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CHUNK, createDecryptStream, createEncryptStream, decryptWhole, encryptedSize } from '../../lib/storage/encrypted-stream';

const HEADER = 4 + 8;
const TAG = 16;
const key = crypto.randomBytes(32);

/** Feeds `data` through `transform` in pieces of `piece` bytes and collects the output. */
async function run(transform: NodeJS.ReadWriteStream, data: Buffer, piece = 8191): Promise<Buffer> {
  const parts: Buffer[] = [];
  const pieces = function* () { for (let i = 0; i < data.length; i += piece) yield data.subarray(i, i + piece); };
  await pipeline(Readable.from(pieces()), transform, new Writable({ write(c: Buffer, _e, cb) { parts.push(c); cb(); } }));
  return Buffer.concat(parts);
}
const encrypt = (data: Buffer, k = key, piece?: number) => run(createEncryptStream(k), data, piece);
const decrypt = (data: Buffer, k = key, piece?: number) => run(createDecryptStream(k), data, piece);

/** Recognisable, non-repeating-per-chunk plaintext. */
function plaintext(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = 'The quick brown fox jumps over the lazy dog. '.charCodeAt(i % 45);
  return out;
}

/** Splits a ciphertext into its header and sealed chunks. */
function chunksOf(ct: Buffer): { header: Buffer; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  for (let i = HEADER; i < ct.length; i += CHUNK + TAG) chunks.push(ct.subarray(i, Math.min(i + CHUNK + TAG, ct.length)));
  return { header: ct.subarray(0, HEADER), chunks };
}

describe('chunked AES-256-GCM stream', () => {
  const sizes = [0, 1, 100, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 7, 3 * CHUNK, 3 * CHUNK + 1];
  for (const size of sizes) {
    it(`round-trips ${size} bytes and has the predicted size`, async () => {
      const plain = crypto.randomBytes(size);
      const ct = await encrypt(plain);
      expect(ct.subarray(0, 4).toString()).toBe('LSN1');
      expect(ct.length).toBe(encryptedSize(size));
      expect(chunksOf(ct).chunks).toHaveLength(Math.max(1, Math.ceil(size / CHUNK)));
      expect((await decrypt(ct)).equals(plain)).toBe(true);
    });
  }

  it('does not depend on how the input is split', async () => {
    const plain = crypto.randomBytes(2 * CHUNK + 333);
    const ct = await encrypt(plain, key, 1000);
    for (const piece of [1 + HEADER, CHUNK + TAG, CHUNK + TAG + 1, 65_537, ct.length]) {
      expect((await decrypt(ct, key, piece)).equals(plain), `piece ${piece}`).toBe(true);
    }
  });

  it('encrypts: the ciphertext contains no run of the plaintext, and two encryptions differ', async () => {
    const plain = plaintext(3 * CHUNK);
    const a = await encrypt(plain);
    const b = await encrypt(plain);
    expect(a.includes(Buffer.from('quick brown fox'))).toBe(false);
    expect(a.includes(plain.subarray(1000, 1016))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('rejects a flipped byte anywhere in a chunk', async () => {
    const plain = crypto.randomBytes(2 * CHUNK + 10);
    const ct = await encrypt(plain);
    for (const pos of [HEADER, HEADER + 5000, HEADER + CHUNK + TAG - 1, ct.length - 1, ct.length - TAG - 1]) {
      const bad = Buffer.from(ct);
      bad[pos] ^= 0x01;
      await expect(decrypt(bad), `byte ${pos}`).rejects.toThrow();
    }
  });

  it('rejects a changed nonce prefix or a wrong magic', async () => {
    const ct = await encrypt(plaintext(500));
    const badNonce = Buffer.from(ct);
    badNonce[6] ^= 0xff;
    await expect(decrypt(badNonce)).rejects.toThrow();
    const badMagic = Buffer.from(ct);
    badMagic[0] = 'X'.charCodeAt(0);
    await expect(decrypt(badMagic)).rejects.toThrow(/not an encrypted Liaison blob/);
  });

  it('rejects a truncated last chunk', async () => {
    const ct = await encrypt(crypto.randomBytes(CHUNK + 500));
    await expect(decrypt(ct.subarray(0, ct.length - 1))).rejects.toThrow();
    await expect(decrypt(ct.subarray(0, ct.length - TAG))).rejects.toThrow();
    await expect(decrypt(ct.subarray(0, HEADER + 3))).rejects.toThrow(/truncated/);
    await expect(decrypt(ct.subarray(0, 5))).rejects.toThrow(/truncated/);
    await expect(decrypt(Buffer.alloc(0))).rejects.toThrow(/truncated/);
  });

  it('rejects a file cut at a chunk boundary (the remaining last chunk was not sealed as last)', async () => {
    const ct = await encrypt(crypto.randomBytes(2 * CHUNK + 500));
    const { header, chunks } = chunksOf(ct);
    await expect(decrypt(Buffer.concat([header, chunks[0], chunks[1]]))).rejects.toThrow();
    await expect(decrypt(Buffer.concat([header, chunks[0]]))).rejects.toThrow();
  });

  it('rejects dropped, swapped, duplicated and appended chunks', async () => {
    const ct = await encrypt(crypto.randomBytes(3 * CHUNK + 500));
    const { header, chunks } = chunksOf(ct);
    expect(chunks).toHaveLength(4);
    const variants: Record<string, Buffer[]> = {
      dropped: [chunks[0], chunks[2], chunks[3]],
      swapped: [chunks[1], chunks[0], chunks[2], chunks[3]],
      duplicated: [chunks[0], chunks[0], chunks[1], chunks[2], chunks[3]],
      appended: [...chunks, chunks[3]],
    };
    for (const [name, parts] of Object.entries(variants)) {
      await expect(decrypt(Buffer.concat([header, ...parts])), name).rejects.toThrow();
    }
  });

  it('rejects chunks spliced from another file encrypted under the same key', async () => {
    const a = chunksOf(await encrypt(crypto.randomBytes(2 * CHUNK + 1)));
    const b = chunksOf(await encrypt(crypto.randomBytes(2 * CHUNK + 1)));
    await expect(decrypt(Buffer.concat([a.header, a.chunks[0], b.chunks[1], a.chunks[2]]))).rejects.toThrow();
  });

  it('rejects the wrong key', async () => {
    const ct = await encrypt(plaintext(CHUNK + 1));
    await expect(decrypt(ct, crypto.randomBytes(32))).rejects.toThrow();
    const empty = await encrypt(Buffer.alloc(0));
    await expect(decrypt(empty, crypto.randomBytes(32))).rejects.toThrow();
  });

  it('releases no plaintext of a chunk that fails authentication', async () => {
    const plain = plaintext(2 * CHUNK + 10);
    const ct = await encrypt(plain);
    const bad = Buffer.from(ct);
    bad[HEADER + 10] ^= 0x01; // first chunk
    const out: Buffer[] = [];
    await expect(pipeline(Readable.from([bad]), createDecryptStream(key), new Writable({ write(c: Buffer, _e, cb) { out.push(c); cb(); } }))).rejects.toThrow();
    expect(Buffer.concat(out).length).toBe(0);
  });
});

describe('decryptWhole: the same format opened in one go (small files)', () => {
  const sizes = [0, 1, 100, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 7, 3 * CHUNK + 1];
  it.each(sizes)('round-trips %i bytes exactly like the stream', async (size) => {
    const plain = crypto.randomBytes(size);
    const ct = await encrypt(plain);
    expect(decryptWhole(key, ct).equals(plain)).toBe(true);
  });

  it('refuses everything the stream refuses: flipped bytes, truncation, cuts at a boundary, reordering, splicing, the wrong key', async () => {
    const ct = await encrypt(crypto.randomBytes(3 * CHUNK + 500));
    const { header, chunks } = chunksOf(ct);
    const flipped = Buffer.from(ct); flipped[HEADER + 10] ^= 1;
    const other = chunksOf(await encrypt(crypto.randomBytes(3 * CHUNK + 500)));
    const bad: Record<string, Buffer> = {
      flipped,
      truncated: ct.subarray(0, ct.length - 1),
      'cut at a boundary': Buffer.concat([header, chunks[0], chunks[1]]),
      dropped: Buffer.concat([header, chunks[0], chunks[2], chunks[3]]),
      swapped: Buffer.concat([header, chunks[1], chunks[0], chunks[2], chunks[3]]),
      appended: Buffer.concat([header, ...chunks, chunks[3]]),
      spliced: Buffer.concat([header, chunks[0], other.chunks[1], chunks[2], chunks[3]]),
      'header only': header,
      empty: Buffer.alloc(0),
      'wrong magic': Buffer.concat([Buffer.from('XXXX'), ct.subarray(4)]),
    };
    for (const [name, data] of Object.entries(bad)) expect(() => decryptWhole(key, data), name).toThrow();
    expect(() => decryptWhole(crypto.randomBytes(32), ct)).toThrow();
  });
});
