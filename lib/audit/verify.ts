import pg from 'pg';
import { canonicalJson } from './canonical';
import { GENESIS_HASH, hashCanonical } from './chain';
import { auditPool } from './pool';

export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; count: number; brokenAt: { id: string; seq: number; orgId: string; problem: string } };

/** Rows per page: large enough that round trips do not matter, small enough that memory stays flat. */
export const VERIFY_PAGE = 5000;

// Raw SQL in key order on the (orgId, seq) unique index. Pages are ranges of seq rather than
// "seq > x LIMIT n": with a range the plan stays cheap even when the planner has no statistics yet
// (it would otherwise sort the whole rest of the chain for every page). Each page is one short
// statement, so on the embedded database other connections get their turn between pages. Rows come as
// arrays, the cheapest form node-postgres parses; measured alternatives are in docs/AUDIT.md.
const PAGE_SQL = `SELECT id, seq, at, type, "actorType", "actorId", actor, ip, "userAgent", "shareId", "documentId", outcome, reason,
    details::text, "prevHash", hash
  FROM "AuditEvent" WHERE "orgId" = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`;
type Row = [id: string, seq: number, at: string, type: string, actorType: string, actorId: string | null, actor: string, ip: string | null,
  userAgent: string | null, shareId: string | null, documentId: string | null, outcome: string, reason: string | null, details: string,
  prevHash: string, hash: string];

const pgTypes = pg.types;
const TIMESTAMP_OID = 1114;
const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/;

/**
 * `timestamp(3)` as PostgreSQL writes it (DateStyle ISO, which the Prisma adapter relies on too:
 * "2026-12-01 21:55:12.12", trailing zeros dropped) to the text toISOString() gives, which is what
 * the hash covers. Converting the text costs far less than to_char() in SQL or a Date in between.
 */
export function isoFromPgTimestamp(text: string): string {
  const m = PG_TIMESTAMP.exec(text);
  // Never a silent mismatch (which would read as tampering): an unexpected format is an error.
  if (!m) throw new Error(`unexpected timestamp format from the database: ${JSON.stringify(text)} (DateStyle must be ISO)`);
  return `${m[1]}T${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}Z`;
}

const pageTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? isoFromPgTimestamp : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

/**
 * Recomputes every event's hash and link, one organisation at a time (all of them when `orgId` is
 * omitted), up to the last event that existed when it started, and names the first event that breaks
 * its chain: a changed event, a missing one (sequence gap), or a broken link. While one page is hashed
 * the database is already reading the next, and memory holds two pages at most.
 */
export async function verifyAuditChain(orgId?: string): Promise<VerifyResult> {
  const client = await auditPool().connect();
  try {
    const orgs = orgId
      ? [orgId]
      : (await client.query<{ id: string }>('SELECT id FROM "Organization" ORDER BY "createdAt", id')).rows.map((r) => r.id);
    let count = 0;
    for (const org of orgs) {
      const r = await verifyOrg(client, org, count);
      if (!r.ok) return r;
      count = r.count;
    }
    return { ok: true, count };
  } finally {
    client.release();
  }
}

async function verifyOrg(client: pg.PoolClient, orgId: string, counted: number): Promise<VerifyResult> {
  const { rows: [last] } = await client.query<{ max: number | null }>('SELECT max(seq) AS max FROM "AuditEvent" WHERE "orgId" = $1', [orgId]);
  const end = last?.max ?? 0;
  const page = (after: number) => after >= end
    ? Promise.resolve([] as Row[])
    : client.query<Row>({ text: PAGE_SQL, values: [orgId, after, Math.min(after + VERIFY_PAGE, end)], rowMode: 'array', types: pageTypes })
      .then((r) => r.rows);
  let count = counted;
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let after = 0;
  let next = page(after);
  while (after < end) {
    const rows = await next;
    const pageStart = after;
    after = Math.min(after + VERIFY_PAGE, end);
    // Ask for the next page before hashing this one, so the two overlap.
    next = page(after);
    if (rows.length === 0) {
      // A whole range missing: the gap is at the next event that exists (there is one: seq `end` does).
      await next.catch(() => undefined);
      const { rows: [r] } = await client.query<{ id: string; seq: number }>(
        'SELECT id, seq FROM "AuditEvent" WHERE "orgId" = $1 AND seq > $2 ORDER BY seq LIMIT 1', [orgId, pageStart]);
      return { ok: false, count, brokenAt: { id: r.id, seq: r.seq, orgId, problem: `sequence gap: expected ${expectedSeq}, found ${r.seq}` } };
    }
    for (const r of rows) {
      const problem = r[1] !== expectedSeq ? `sequence gap: expected ${expectedSeq}, found ${r[1]}`
        : r[14] !== prev ? 'prevHash does not match the previous event'
          : rowHash(r, orgId) !== r[15] ? 'content does not match its hash' : null;
      if (problem) {
        await next.catch(() => undefined);
        return { ok: false, count, brokenAt: { id: r[0], seq: r[1], orgId, problem } };
      }
      prev = r[15];
      expectedSeq++;
      count++;
    }
  }
  return { ok: true, count };
}

function rowHash(r: Row, orgId: string): string {
  try {
    return hashCanonical({
      id: r[0], orgId, seq: r[1], at: r[2], type: r[3], actorType: r[4], actorId: r[5], actor: r[6], ip: r[7], userAgent: r[8],
      shareId: r[9], documentId: r[10], outcome: r[11], reason: r[12], details: canonicalJson(JSON.parse(r[13])), prevHash: r[14],
    });
  } catch {
    return ''; // content that cannot even be canonicalised does not match any hash
  }
}
