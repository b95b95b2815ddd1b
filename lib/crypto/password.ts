import crypto from 'node:crypto';
import os from 'node:os';
import { pbkdf2Background } from './kdf-process';

/*
 * Derivations run in a low-priority child process (./kdf-process.ts), at most one per core at once; the
 * rest wait their turn. Throttles bound how many derivations a burst can ask for; this bounds how many
 * run together. A few lines rather than a library: it is a counter and a queue.
 */
const KDF_CONCURRENCY = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
let running = 0;
const waiting: Array<() => void> = [];

async function pbkdf2(secret: string, salt: Buffer, iterations: number, bytes: number, digest: string): Promise<Buffer> {
  if (running >= KDF_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await pbkdf2Background(secret, salt, iterations, bytes, digest);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export const PBKDF2_ITERATIONS = 600_000;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Self-describing: `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`. */
export async function hashSecret(secret: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const hash = await pbkdf2(secret.normalize('NFKC'), salt, iterations, KEY_BYTES, 'sha256');
  return `pbkdf2-sha256$${iterations}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== 'pbkdf2-sha256') return false;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1) return false;
  const salt = Buffer.from(parts[2], 'base64url');
  const expected = Buffer.from(parts[3], 'base64url');
  // An empty or truncated hash would otherwise match a derivation of the same (short) length.
  if (expected.length < 16 || salt.length < 8) return false;
  const actual = await pbkdf2(secret.normalize('NFKC'), salt, iterations, expected.length, 'sha256');
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

// Verifying against this keeps the cost of an unknown account equal to a known one (no user enumeration by timing).
let dummy: Promise<string> | undefined;
export async function burnVerification(secret: string): Promise<false> {
  dummy ??= hashSecret('liaison-dummy-secret');
  await verifySecret(secret, await dummy);
  return false;
}
