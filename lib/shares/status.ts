export type ShareStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** Revocation wins over expiry; expiry is reached at expiresAt exactly. */
export function shareStatus(s: { state: 'ACTIVE' | 'REVOKED'; expiresAt: Date }, now = new Date()): ShareStatus {
  if (s.state === 'REVOKED') return 'REVOKED';
  return s.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
}

export function statusWhere(status: ShareStatus | undefined, now = new Date()) {
  if (status === 'REVOKED') return { state: 'REVOKED' as const };
  if (status === 'EXPIRED') return { state: 'ACTIVE' as const, expiresAt: { lte: now } };
  if (status === 'ACTIVE') return { state: 'ACTIVE' as const, expiresAt: { gt: now } };
  return {};
}
