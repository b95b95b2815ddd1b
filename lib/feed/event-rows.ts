import type pg from 'pg';
import pgLib from 'pg';
import { isoFromPgTimestamp } from '../audit/verify';

/**
 * An audit event as the compliance feed writes it (one NDJSON line, a syslog message, an evidence
 * bundle entry): every field the hash covers, with `at` in the exact ISO form that was hashed, and the
 * event's own `hash`. Anyone can recompute `hash` from the other fields (docs/AUDIT.md says how).
 */
export interface FeedEvent {
  seq: number; id: string; orgId: string; at: string; type: string; actorType: string; actorId: string | null; actor: string;
  ip: string | null; userAgent: string | null; shareId: string | null; documentId: string | null; outcome: string;
  reason: string | null; details: unknown; prevHash: string; hash: string;
}

const COLUMNS = `seq, id, "orgId", at, type, "actorType", "actorId", actor, ip, "userAgent", "shareId", "documentId", outcome, reason,
  details::text, "prevHash", hash`;
type Row = [seq: number, id: string, orgId: string, at: string, type: string, actorType: string, actorId: string | null, actor: string,
  ip: string | null, userAgent: string | null, shareId: string | null, documentId: string | null, outcome: string, reason: string | null,
  details: string, prevHash: string, hash: string];

const TIMESTAMP_OID = 1114;
// Timestamps converted from PostgreSQL's text in JavaScript, as the verifier does (and with its checks).
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? isoFromPgTimestamp : pgLib.types.getTypeParser(oid, format)) as typeof pgLib.types.getTypeParser,
};

const toEvent = (r: Row): FeedEvent => ({
  seq: r[0], id: r[1], orgId: r[2], at: r[3], type: r[4], actorType: r[5], actorId: r[6], actor: r[7], ip: r[8], userAgent: r[9],
  shareId: r[10], documentId: r[11], outcome: r[12], reason: r[13], details: JSON.parse(r[14]) as unknown, prevHash: r[15], hash: r[16],
});

/** Which events of the organisation a page reads. */
export type EventFilter = { kind: 'all' } | { kind: 'share'; shareId: string } | { kind: 'guest'; guestId: string };

/**
 * One keyset page of an organisation's events, oldest first: seq in (after, through], at most `limit`.
 * Read on the (orgId, seq) index (the share filter can also use the shareId index); one short statement,
 * so nothing is held between pages.
 */
export async function readEventPage(client: pg.ClientBase, orgId: string, after: number, through: number, limit: number, filter: EventFilter = { kind: 'all' }): Promise<FeedEvent[]> {
  const values: unknown[] = [orgId, after, through, limit];
  let where = '"orgId" = $1 AND seq > $2 AND seq <= $3';
  if (filter.kind === 'share') { values.push(filter.shareId); where += ' AND "shareId" = $5'; }
  // A guest's events: those they did (actor), and staff or system actions on them (details.guestId).
  if (filter.kind === 'guest') { values.push(filter.guestId); where += ` AND (("actorType" = 'guest' AND "actorId" = $5) OR details->>'guestId' = $5)`; }
  const res = await client.query<Row>({ text: `SELECT ${COLUMNS} FROM "AuditEvent" WHERE ${where} ORDER BY seq LIMIT $4`, values, rowMode: 'array', types });
  return res.rows.map(toEvent);
}

/** The organisation's chain head: its last event's seq and hash (seq 0 and no hash for an empty chain). */
export async function chainHead(client: pg.ClientBase, orgId: string): Promise<{ seq: number; hash: string | null }> {
  const { rows: [r] } = await client.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM "AuditEvent" WHERE "orgId" = $1 ORDER BY seq DESC LIMIT 1', [orgId]);
  return r ? { seq: r.seq, hash: r.hash } : { seq: 0, hash: null };
}

/** The feed's JSON text of an event: members in a fixed order, `seq` first, no spaces. */
export const eventLine = (e: FeedEvent): string => JSON.stringify(e);
