import { prisma } from '../db/client';
import { eventHash, GENESIS_HASH } from './chain';

export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; count: number; brokenAt: { id: string; seq: number; orgId: string; problem: string } };

const PAGE = 1000;

/** Recomputes every event's hash and link, one organisation at a time, reading in pages. */
export async function verifyAuditChain(orgId?: string): Promise<VerifyResult> {
  const db = prisma();
  const orgs = orgId ? [{ id: orgId }] : await db.organization.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } });
  let count = 0;
  for (const org of orgs) {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let cursor = 0;
    for (;;) {
      const rows = await db.auditEvent.findMany({ where: { orgId: org.id, seq: { gt: cursor } }, orderBy: { seq: 'asc' }, take: PAGE });
      if (rows.length === 0) break;
      for (const r of rows) {
        const broken = (problem: string): VerifyResult => ({ ok: false, count, brokenAt: { id: r.id, seq: r.seq, orgId: org.id, problem } });
        if (r.seq !== expectedSeq) return broken(`sequence gap: expected ${expectedSeq}, found ${r.seq}`);
        if (r.prevHash !== prev) return broken('prevHash does not match the previous event');
        if (eventHash({ ...r, details: r.details }) !== r.hash) return broken('content does not match its hash');
        prev = r.hash;
        expectedSeq++;
        count++;
      }
      cursor = rows[rows.length - 1].seq;
    }
  }
  return { ok: true, count };
}
