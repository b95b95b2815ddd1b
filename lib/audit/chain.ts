import crypto from 'node:crypto';
import { canonicalJson } from './canonical';

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

/**
 * The same fields with the two costly ones already in their canonical form: `at` as the ISO 8601 text
 * `Date.prototype.toISOString` gives, `details` as canonical JSON text. Appending computes them once
 * per event; verification gets `at` as text straight from SQL.
 */
export interface CanonicalParts extends Omit<ChainedFields, 'at' | 'details'> {
  at: string;
  details: string;
}

/**
 * RFC 8785 canonical JSON of the hashed object
 * `{v: 1, id, orgId, seq, at, type, actorType, actorId, actor, ip, userAgent, shareId, documentId,
 *   outcome, reason, details, prevHash}`.
 * Every existing chain was hashed over this exact text (it was produced by `canonicalize` on that object
 * until verification needed the speed); tests/unit/audit-canonical.test.ts keeps the two byte-identical.
 *
 * The members are written in canonical order (UTF-16 code units: actor < actorId < ... < v) through
 * JSON.stringify, which keeps the insertion order of non-numeric keys, leaves out undefined members as
 * canonicalize does, and escapes strings exactly as RFC 8785 §3.2.2.2 requires. Only what JSON.stringify
 * would accept and canonicalize refuses is checked by hand: lone surrogates and non-finite numbers.
 */
export function canonicalEventText(e: CanonicalParts): string {
  if (!wellFormed(e) || !Number.isFinite(e.seq)) throw new Error('event cannot be canonicalised');
  const head = JSON.stringify({ actor: e.actor, actorId: e.actorId, actorType: e.actorType, at: e.at });
  const tail = JSON.stringify({
    documentId: e.documentId, id: e.id, ip: e.ip, orgId: e.orgId, outcome: e.outcome, prevHash: e.prevHash,
    reason: e.reason, seq: e.seq, shareId: e.shareId, type: e.type, userAgent: e.userAgent, v: 1,
  });
  // `at` is always there, so head is never "{}"; details is already canonical text.
  return head.slice(0, -1) + ',"details":' + e.details + ',' + tail.slice(1);
}

const isWellFormed = (s: string | null | undefined) => typeof s !== 'string' || (s as string & { isWellFormed(): boolean }).isWellFormed();
const wellFormed = (e: CanonicalParts) =>
  isWellFormed(e.actor) && isWellFormed(e.actorId) && isWellFormed(e.actorType) && isWellFormed(e.at) && isWellFormed(e.documentId)
  && isWellFormed(e.id) && isWellFormed(e.ip) && isWellFormed(e.orgId) && isWellFormed(e.outcome) && isWellFormed(e.prevHash)
  && isWellFormed(e.reason) && isWellFormed(e.shareId) && isWellFormed(e.type) && isWellFormed(e.userAgent);

/** SHA-256 (hex) of the canonical event text, its predecessor's hash included. */
// One-shot crypto.hash (Node ≥ 20.12) costs less than createHash/update/digest, per event.
export const hashCanonical = (e: CanonicalParts): string => crypto.hash('sha256', canonicalEventText(e), 'hex');

/** SHA-256 of the RFC 8785 canonical JSON of the event, its predecessor's hash included. */
export function eventHash(e: ChainedFields): string {
  return hashCanonical({ ...e, at: e.at.toISOString(), details: canonicalJson(e.details ?? {}) });
}
