import crypto from 'node:crypto';
import { canonicalJson, canonicalString } from './canonical';

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
 * The members are written out in canonical order (UTF-16 code units: actor < actorId < … < v); like
 * canonicalize, an undefined member is left out and null is written as null.
 */
const q = canonicalString;
function n(v: string | null): string { return v === null ? 'null' : canonicalString(v); }

export function canonicalEventText(e: CanonicalParts): string {
  // The fast form, written straight out: every member present (the types say so; rows read back from
  // the database always are).
  if (e.actor !== undefined && e.actorId !== undefined && e.actorType !== undefined && e.documentId !== undefined && e.id !== undefined
    && e.ip !== undefined && e.orgId !== undefined && e.outcome !== undefined && e.prevHash !== undefined && e.reason !== undefined
    && e.shareId !== undefined && e.type !== undefined && e.userAgent !== undefined) {
    return '{"actor":' + q(e.actor) + ',"actorId":' + n(e.actorId) + ',"actorType":' + q(e.actorType) + ',"at":' + q(e.at)
      + ',"details":' + e.details + ',"documentId":' + n(e.documentId) + ',"id":' + q(e.id) + ',"ip":' + n(e.ip)
      + ',"orgId":' + q(e.orgId) + ',"outcome":' + q(e.outcome) + ',"prevHash":' + q(e.prevHash) + ',"reason":' + n(e.reason)
      + ',"seq":' + canonicalJson(e.seq) + ',"shareId":' + n(e.shareId) + ',"type":' + q(e.type) + ',"userAgent":' + n(e.userAgent)
      + ',"v":1}';
  }
  const out = member('actor', e.actor) + member('actorId', e.actorId) + member('actorType', e.actorType) + member('at', e.at)
    + ',"details":' + e.details
    + member('documentId', e.documentId) + member('id', e.id) + member('ip', e.ip) + member('orgId', e.orgId)
    + member('outcome', e.outcome) + member('prevHash', e.prevHash) + member('reason', e.reason)
    + ',"seq":' + canonicalJson(e.seq)
    + member('shareId', e.shareId) + member('type', e.type) + member('userAgent', e.userAgent) + ',"v":1';
  return '{' + out.slice(1) + '}';
}

function member(key: string, v: string | null | undefined): string {
  if (v === undefined) return '';
  return `,"${key}":` + (v === null ? 'null' : canonicalString(v));
}

// One-shot crypto.hash (Node ≥ 20.12) costs less than createHash/update/digest, per event.
export const hashCanonical = (e: CanonicalParts): string => crypto.hash('sha256', canonicalEventText(e), 'hex');

/** SHA-256 of the RFC 8785 canonical JSON of the event, its predecessor's hash included. */
export function eventHash(e: ChainedFields): string {
  return hashCanonical({ ...e, at: e.at.toISOString(), details: canonicalJson(e.details ?? {}) });
}
