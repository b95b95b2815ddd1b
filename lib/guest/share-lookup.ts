import { sha256Hex } from '../crypto/secrets';
import { loadShareByTokenHash } from './context-loader';

/** The share a link token opens (looked up by the token's SHA-256; tokens are never stored in clear). */
export async function findShareByToken(token: string) {
  return loadShareByTokenHash(sha256Hex(token));
}
