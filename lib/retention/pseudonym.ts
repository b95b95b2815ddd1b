import crypto from 'node:crypto';
import { deriveKey } from '../crypto/master-key';

/*
 * Stable pseudonyms for anonymised guests and addresses. Keyed with a master-key-derived key, so that
 * nobody without the key can test a guess ("was this alice@example.com?") against a pseudonym, while the
 * same guest or IP address always gets the same one within an organisation: patterns stay readable
 * ("the same address opened three sessions") after the identity is gone.
 */
const mac = (purpose: string, orgId: string, value: string) =>
  crypto.createHmac('sha256', deriveKey('liaison retention pseudonyms v1')).update(`${purpose}\u0000${orgId}\u0000${value}`).digest('hex');

/** e.g. `anon-3f9a0c12d4e5`: what an anonymised guest is called from then on. */
export const guestPseudonym = (orgId: string, guestId: string) => `anon-${mac('guest', orgId, guestId).slice(0, 12)}`;

/** An address that can never receive mail (.invalid, RFC 2606), for columns that must hold one. */
export const pseudonymAddress = (pseudonym: string) => `${pseudonym}@anonymised.invalid`;

/** e.g. `ip-5c1d2e3f4a5b6c7d`, for an IP address (or the "unknown" placeholder). */
export const ipPseudonym = (orgId: string, ip: string) => (ip.startsWith('ip-') ? ip : `ip-${mac('ip', orgId, ip).slice(0, 16)}`);
