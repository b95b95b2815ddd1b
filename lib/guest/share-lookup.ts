import { prisma } from '../db/client';
import { sha256Hex } from '../crypto/secrets';
import { shareWithDocs } from './facts';

/** The share a link token opens (looked up by the token's SHA-256; tokens are never stored). */
export async function findShareByToken(token: string) {
  return prisma().share.findUnique({ where: { tokenHash: sha256Hex(token) }, include: shareWithDocs });
}
