import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PBKDF2_ITERATIONS, burnVerification, hashSecret, verifySecret } from '../../lib/crypto/password';

const FORMAT = /^pbkdf2-sha256\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

describe('password hashing (PBKDF2-HMAC-SHA-256)', () => {
  it('uses at least 600,000 iterations by default, in the self-describing format', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const stored = await hashSecret('s3cret passphrase');
    const m = FORMAT.exec(stored);
    expect(m, stored).not.toBeNull();
    expect(Number(m![1])).toBe(PBKDF2_ITERATIONS);
    expect(Buffer.from(m![2], 'base64url')).toHaveLength(16);
    expect(Buffer.from(m![3], 'base64url')).toHaveLength(32);
    // The hash is exactly PBKDF2-HMAC-SHA-256 over the stated salt and iteration count.
    const expected = crypto.pbkdf2Sync('s3cret passphrase', Buffer.from(m![2], 'base64url'), PBKDF2_ITERATIONS, 32, 'sha256');
    expect(m![3]).toBe(expected.toString('base64url'));
    expect(await verifySecret('s3cret passphrase', stored)).toBe(true);
  });

  it('verifies the right secret and rejects a wrong one', async () => {
    const stored = await hashSecret('hunter22', 1000);
    expect(stored.startsWith('pbkdf2-sha256$1000$')).toBe(true);
    expect(await verifySecret('hunter22', stored)).toBe(true);
    expect(await verifySecret('hunter23', stored)).toBe(false);
    expect(await verifySecret('Hunter22', stored)).toBe(false);
    expect(await verifySecret('', stored)).toBe(false);
  });

  it('uses a fresh salt for every hash', async () => {
    const [a, b] = await Promise.all([hashSecret('same', 1000), hashSecret('same', 1000)]);
    expect(a).not.toBe(b);
    expect(a.split('$')[2]).not.toBe(b.split('$')[2]);
    expect(await verifySecret('same', a)).toBe(true);
    expect(await verifySecret('same', b)).toBe(true);
  });

  it('normalises Unicode (NFKC) so composed and decomposed input match', async () => {
    const stored = await hashSecret('caf\u00e9', 1000);
    expect(await verifySecret('cafe\u0301', stored)).toBe(true);
  });

  it('treats malformed stored strings as a failed verification, never a match or a crash', async () => {
    const good = await hashSecret('pw', 1000);
    const [, , salt, hash] = good.split('$');
    const malformed = [
      '',
      'garbage',
      'pw',
      `pbkdf2-sha1$1000$${salt}$${hash}`,
      `bcrypt$1000$${salt}$${hash}`,
      `pbkdf2-sha256$abc$${salt}$${hash}`,
      `pbkdf2-sha256$0$${salt}$${hash}`,
      `pbkdf2-sha256$-5$${salt}$${hash}`,
      `pbkdf2-sha256$1.5$${salt}$${hash}`,
      `pbkdf2-sha256$1000$${salt}`,
      `pbkdf2-sha256$1000$${salt}$${hash}$extra`,
      // An empty or truncated hash must not compare equal to an empty derivation.
      `pbkdf2-sha256$1000$${salt}$`,
      'pbkdf2-sha256$1$$',
      `pbkdf2-sha256$1000$${salt}$${hash.slice(0, 4)}`,
    ];
    for (const s of malformed) expect(await verifySecret('pw', s), s).toBe(false);
  });

  it('burnVerification always answers false', async () => {
    expect(await burnVerification('anything')).toBe(false);
  });
});
