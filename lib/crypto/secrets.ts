import crypto from 'node:crypto';

/** A URL-safe random secret: 32 bytes = 256 bits by default. */
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');

export const sha256Hex = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
