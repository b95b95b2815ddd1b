import { sha256Hex } from '../crypto/secrets';
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

const str = (k: string, v: string | null | undefined) =>
  v === undefined ? '' : `,"${k}":${v === null ? 'null' : canonicalString(v)}`;

/**
 * RFC 8785 canonical JSON of the hashed object
 * `{v: 1, id, orgId, seq, at, type, actorType, actorId, actor, ip, userAgent, shareId, documentId,
 *   outcome, reason, details, prevHash}`,
 * written out with its members already in canonical (UTF-16 code unit) order. Every existing chain was
 * hashed over this exact text (it was produced by `canonicalize` on that object until the pipeline
 * needed the speed), and tests/unit/audit-canonical.test.ts keeps the two byte-identical.
 */
export function canonicalEventText(e: CanonicalParts): string {
  const out = str('actor', e.actor) + str('actorId', e.actorId) + str('actorType', e.actorType)
    + `,"at":${canonicalString(e.at)},"details":${e.details}`
    + str('documentId', e.documentId) + str('id', e.id) + str('ip', e.ip) + str('orgId', e.orgId)
    + str('outcome', e.outcome) + str('prevHash', e.prevHash) + str('reason', e.reason)
    + `,"seq":${canonicalJson(e.seq)}`
    + str('shareId', e.shareId) + str('type', e.type) + str('userAgent', e.userAgent) + ',"v":1';
  return '{' + out.slice(1) + '}';
}

/** SHA-256 (hex) of the canonical event text, its predecessor's hash included. */
export const hashCanonical = (e: CanonicalParts): string => sha256Hex(canonicalEventText(e));

/** SHA-256 of the RFC 8785 canonical JSON of the event, its predecessor's hash included. */
export function eventHash(e: ChainedFields): string {
  return hashCanonical({ ...e, at: e.at.toISOString(), details: canonicalJson(e.details ?? {}) });
}
