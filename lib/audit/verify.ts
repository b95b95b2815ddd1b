import type pg from 'pg';
import { canonicalJson } from './canonical';
import { GENESIS_HASH, hashCanonical } from './chain';
import { auditPool } from './pool';

export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; count: number; brokenAt: { id: string; seq: number; orgId: string; problem: string } };

/** Rows per page: large enough that round trips do not matter, small enough that memory stays flat. */
export const VERIFY_PAGE = 5000;

// Raw SQL in key order on the (orgId, seq) unique index, keyset-paginated: each page is one short
// statement, so on the embedded database other connections get their turn between pages. `at` comes
// as the exact text toISOString() gives (what the hash covers), details as JSON text.
const PAGE_SQL = `SELECT id, seq, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, type, "actorType", "actorId", actor, ip,
    "userAgent", "shareId", "documentId", outcome, reason, details::text AS details, "prevHash", hash
  FROM "AuditEvent" WHERE "orgId" = $1 AND seq > $2 ORDER BY seq LIMIT ${VERIFY_PAGE}`;

interface Row {
  id: string; seq: number; at: string; type: string; actorType: string; actorId: string | null; actor: string; ip: string | null;
  userAgent: string | null; shareId: string | null; documentId: string | null; outcome: string; reason: string | null;
  details: string; prevHash: string; hash: string;
}

/**
 * Recomputes every event's hash and link, one organisation at a time (all of them when `orgId` is
 * omitted), and names the first event that breaks its chain: a changed event, a missing or reordered
 * one (sequence gap), or a broken link. While one page is hashed the database is already reading the next.
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
  const page = (after: number) => client.query<Row>(PAGE_SQL, [orgId, after]).then((r) => r.rows);
  let count = counted;
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let next = page(0);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    // Ask for the next page before hashing this one, so the two overlap.
    next = rows.length === VERIFY_PAGE ? page(rows[rows.length - 1].seq) : Promise.resolve([]);
    for (const r of rows) {
      const broken = (problem: string): VerifyResult => ({ ok: false, count, brokenAt: { id: r.id, seq: r.seq, orgId, problem } });
      if (r.seq !== expectedSeq) { await next.catch(() => undefined); return broken(`sequence gap: expected ${expectedSeq}, found ${r.seq}`); }
      if (r.prevHash !== prev) { await next.catch(() => undefined); return broken('prevHash does not match the previous event'); }
      let hash: string;
      try {
        hash = hashCanonical({ ...r, orgId, details: canonicalJson(JSON.parse(r.details)) });
      } catch {
        hash = '';
      }
      if (hash !== r.hash) { await next.catch(() => undefined); return broken('content does not match its hash'); }
      prev = r.hash;
      expectedSeq++;
      count++;
    }
  }
  return { ok: true, count };
}
