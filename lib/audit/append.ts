import type pg from 'pg';
import type { Tx } from '../db/client';
import { GENESIS_HASH } from './chain';
import { chainHash, type Appended, type Draft } from './draft';

/*
 * Appending to an organisation's chain. Whoever appends takes the organisation's transaction-scoped
 * advisory lock first, then reads the chain head, then inserts: two writers (two batches, a batch and an
 * in-transaction append, or two Liaison instances on one PostgreSQL) can never read the same head, so
 * seq and prevHash never fork. The (orgId, seq) unique index would refuse a fork anyway.
 */

/** The lock's key; the same text in both paths, and in every Liaison version since the first. */
export const lockKey = (orgId: string) => `audit:${orgId}`;

/** How long a batch waits for the organisation's lock, or for any one statement, before giving up. */
export const LOCK_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 10_000;

const INSERT = `INSERT INTO "AuditEvent"
  (id, "orgId", seq, at, type, "actorType", "actorId", actor, ip, "userAgent", "shareId", "documentId", outcome, reason, details, "prevHash", hash)
  SELECT e.id, $1, e.seq, e.at, e.type, e.actor_type, e.actor_id, e.actor, e.ip, e.user_agent, e.share_id, e.document_id, e.outcome, e.reason, e.details, e.prev_hash, e.hash
  FROM unnest($2::text[], $3::int[], $4::timestamp(3)[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
              $11::text[], $12::text[], $13::text[], $14::text[], $15::jsonb[], $16::text[], $17::text[])
    AS e(id, seq, at, type, actor_type, actor_id, actor, ip, user_agent, share_id, document_id, outcome, reason, details, prev_hash, hash)`;

/**
 * How far a batch got, for deciding what a failure means: only a failure before COMMIT was sent is
 * surely undone. `appended` holds the batch's results from the moment COMMIT is sent.
 */
export interface BatchPhase { at: 'connect' | 'lock' | 'insert' | 'commit'; appended?: Appended[] }

/**
 * Appends `drafts` in order as one transaction on `client`: one lock, one head read, one multi-row
 * insert, one commit. Only this client is used inside the transaction (on the embedded database,
 * waiting inside it for any other connection would deadlock). `phase.at` says how far it got.
 */
export async function appendBatch(client: pg.ClientBase, orgId: string, drafts: Draft[], phase: BatchPhase): Promise<Appended[]> {
  phase.at = 'lock';
  // One round trip: begin, bound the waits, take the lock, read the head. The head is read by its own
  // statement, after the lock is held, so it sees every chain append committed before (READ COMMITTED
  // takes a new snapshot per statement).
  const lit = client.escapeLiteral(orgId);
  const res = await client.query(`BEGIN;
    SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS}; SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS};
    SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(lockKey(orgId))}, 0));
    SELECT seq, hash FROM "AuditEvent" WHERE "orgId" = ${lit} ORDER BY seq DESC LIMIT 1`) as unknown as pg.QueryResult[];
  const head = res[res.length - 1].rows[0] as { seq: number; hash: string } | undefined;

  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const n = drafts.length;
  const cols = { id: new Array<string>(n), seq: new Array<number>(n), at: new Array<string>(n), type: new Array<string>(n),
    actorType: new Array<string>(n), actorId: new Array<string | null>(n), actor: new Array<string>(n), ip: new Array<string | null>(n),
    userAgent: new Array<string | null>(n), shareId: new Array<string | null>(n), documentId: new Array<string | null>(n),
    outcome: new Array<string>(n), reason: new Array<string | null>(n), details: new Array<string>(n), prevHash: new Array<string>(n),
    hash: new Array<string>(n) };
  const out: Appended[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const d = drafts[i];
    seq += 1;
    const hash = chainHash(d, seq, prev);
    cols.id[i] = d.id; cols.seq[i] = seq; cols.at[i] = d.at; cols.type[i] = d.type; cols.actorType[i] = d.actorType;
    cols.actorId[i] = d.actorId; cols.actor[i] = d.actor; cols.ip[i] = d.ip; cols.userAgent[i] = d.userAgent;
    cols.shareId[i] = d.shareId; cols.documentId[i] = d.documentId; cols.outcome[i] = d.outcome; cols.reason[i] = d.reason;
    cols.details[i] = d.details; cols.prevHash[i] = prev; cols.hash[i] = hash;
    out[i] = { id: d.id, hash, seq };
    prev = hash;
  }
  phase.at = 'insert';
  await client.query(INSERT, [orgId, cols.id, cols.seq, cols.at, cols.type, cols.actorType, cols.actorId, cols.actor, cols.ip,
    cols.userAgent, cols.shareId, cols.documentId, cols.outcome, cols.reason, cols.details, cols.prevHash, cols.hash]);
  phase.at = 'commit';
  phase.appended = out;
  await client.query('COMMIT');
  return out;
}

/**
 * Appends one event inside the caller's Prisma transaction, so that it commits or rolls back with the
 * change it describes. Same lock, same head read: it waits for a batch in progress and a batch waits
 * for it, and whichever comes second chains onto the first.
 */
export async function appendInTransaction(tx: Tx, d: Draft): Promise<Appended> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey(d.orgId)}, 0))`;
  const [head] = await tx.$queryRaw<Array<{ seq: number; hash: string }>>`
    SELECT seq, hash FROM "AuditEvent" WHERE "orgId" = ${d.orgId} ORDER BY seq DESC LIMIT 1`;
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = chainHash(d, seq, prevHash);
  await tx.$executeRaw`INSERT INTO "AuditEvent"
    (id, "orgId", seq, at, type, "actorType", "actorId", actor, ip, "userAgent", "shareId", "documentId", outcome, reason, details, "prevHash", hash)
    VALUES (${d.id}, ${d.orgId}, ${seq}, ${d.at}::timestamp(3), ${d.type}, ${d.actorType}, ${d.actorId}, ${d.actor}, ${d.ip}, ${d.userAgent},
            ${d.shareId}, ${d.documentId}, ${d.outcome}, ${d.reason}, ${d.details}::jsonb, ${prevHash}, ${hash})`;
  return { id: d.id, hash, seq };
}
