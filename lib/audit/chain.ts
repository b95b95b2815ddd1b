import canonicalize from 'canonicalize';
import { sha256Hex } from '../crypto/secrets';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields an event's hash covers. Changing any of them (or the order of events) breaks the chain. */
export interface ChainedFields {
  id: string;
  orgId: string;
  seq: number;
  at: Date;
  type: string;
  actorType: string;
  actorId: string | null;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  shareId: string | null;
  documentId: string | null;
  outcome: string;
  reason: string | null;
  details: unknown;
  prevHash: string;
}

/** SHA-256 of the RFC 8785 canonical JSON of the event, its predecessor's hash included. */
export function eventHash(e: ChainedFields): string {
  const canonical = canonicalize({
    v: 1,
    id: e.id, orgId: e.orgId, seq: e.seq, at: e.at.toISOString(), type: e.type,
    actorType: e.actorType, actorId: e.actorId, actor: e.actor, ip: e.ip, userAgent: e.userAgent,
    shareId: e.shareId, documentId: e.documentId, outcome: e.outcome, reason: e.reason,
    details: e.details ?? {}, prevHash: e.prevHash,
  });
  if (!canonical) throw new Error('event cannot be canonicalised');
  return sha256Hex(canonical);
}
