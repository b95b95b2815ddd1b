import { ipInRanges } from '../policy/cidr';

export type PrecheckRefusal = 'expired' | 'wrong_host' | 'ip_denied' | 'geo_denied' | 'malformed';

export interface PrecheckRequest { host: string | null; ip: string | null; country: string | null; now: number }

/**
 * What proxy.ts can decide about a guest cookie before any page renders and without the database:
 * the token's expiry, the host it was issued for, and the network and country conditions it carries
 * (lib/tokens/guest-token.ts, GuestTokenConditions). The signature is NOT checked here (the keys live
 * in the database): a forged token can only pass this gate, never the policy, which decides every
 * request again with live facts. So this refuses, and never admits: null means "no objection".
 */
export function precheckGuestToken(token: string, req: PrecheckRequest): PrecheckRefusal | null {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 4096) return 'malformed';
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch { return 'malformed'; }
  if (typeof claims !== 'object' || claims === null) return 'malformed';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= req.now) return 'expired';
  if (typeof claims.host === 'string' && claims.host !== req.host) return 'wrong_host';
  const cnd = (typeof claims.cnd === 'object' && claims.cnd !== null ? claims.cnd : {}) as { ip?: unknown; cc?: unknown };
  if (Array.isArray(cnd.ip) && cnd.ip.length && !safeInRanges(req.ip, cnd.ip)) return 'ip_denied';
  if (Array.isArray(cnd.cc) && cnd.cc.length) {
    const c = (req.country ?? '').toUpperCase();
    if (!cnd.cc.some((x) => typeof x === 'string' && x.toUpperCase() === c)) return 'geo_denied';
  }
  return null;
}

function safeInRanges(ip: string | null, ranges: unknown[]): boolean {
  try { return ipInRanges(ip, ranges.filter((r): r is string => typeof r === 'string')); } catch { return false; }
}
