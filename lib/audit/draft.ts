import { createId } from './id';
import { canonicalJson } from './canonical';
import { hashCanonical, type CanonicalParts } from './chain';

export type ActorType = 'staff' | 'apikey' | 'guest' | 'system' | 'anonymous';

export interface Actor { type: ActorType; id?: string | null; label: string }
export interface RequestFacts {
  ip?: string | null; userAgent?: string | null;
  /** The host the request came to (not recorded in the trail; guest flows bind sessions to it). */
  host?: string | null;
}

export interface AuditInput {
  orgId: string;
  type: string;
  actor: Actor;
  request?: RequestFacts;
  shareId?: string | null;
  documentId?: string | null;
  outcome?: 'success' | 'failure' | 'denied';
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * An event ready to be chained: everything but its place in the chain (seq, prevHash) is fixed.
 * `details` is canonical JSON text, which is also what the database stores (as JSONB).
 */
export type Draft = Omit<CanonicalParts, 'seq' | 'prevHash'>;

export interface Appended { id: string; hash: string; seq: number }

/** Thrown when an event cannot be stored as given (a programming error, not a database condition). */
export class UnrecordableEvent extends Error {}

// PostgreSQL text and JSONB cannot hold U+0000; refusing it here keeps one bad event out of a batch.
const NUL = '\u0000';
function storable(label: string, s: string | null): string | null {
  if (s !== null && (typeof s !== 'string' || s.includes(NUL))) throw new UnrecordableEvent(`${label} is not storable text`);
  return s;
}
/** The columns that may not be null: a missing one would make the database refuse the whole batch. */
function required(label: string, s: string | null | undefined): string {
  if (typeof s !== 'string') throw new UnrecordableEvent(`${label} is missing`);
  return storable(label, s)!;
}

/**
 * Fixes an event's content when it happens: id, time (millisecond precision, as stored, so the hash
 * recomputes exactly) and canonical details. Everything that could make the database refuse the row is
 * checked here, so that a batch never fails for one caller's malformed event.
 */
export function draftEvent(input: AuditInput, now = Date.now()): Draft {
  let details: string;
  try {
    // The JSON round trip is what JSONB storage does to the value (Dates become strings, undefined
    // members disappear), so the hash covers what verification will read back.
    const plain = JSON.parse(JSON.stringify(input.details ?? {}, (k, v) => {
      if (k.includes(NUL) || (typeof v === 'string' && v.includes(NUL))) throw new Error('U+0000 in a string');
      return v;
    }));
    details = canonicalJson(plain);
  } catch (e) {
    throw new UnrecordableEvent(`details are not storable JSON data: ${(e as Error).message}`, { cause: e });
  }
  return {
    id: createId(),
    orgId: required('organisation', input.orgId),
    at: new Date(Math.floor(now)).toISOString(),
    type: required('type', input.type),
    actorType: required('actor type', input.actor?.type),
    actorId: storable('actor id', input.actor.id ?? null),
    actor: required('actor', input.actor.label),
    ip: storable('ip', input.request?.ip ?? null),
    userAgent: storable('user agent', input.request?.userAgent?.slice(0, 512) ?? null),
    shareId: storable('share id', input.shareId ?? null),
    documentId: storable('document id', input.documentId ?? null),
    outcome: required('outcome', input.outcome ?? 'success'),
    reason: storable('reason', input.reason ?? null),
    details,
  };
}

/** The event's hash once its place in the chain is known. */
export const chainHash = (d: Draft, seq: number, prevHash: string): string => hashCanonical({ ...d, seq, prevHash });
