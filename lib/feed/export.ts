import { z } from 'zod';
import { recordAudit } from '../audit/record';
import { auditPool } from '../audit/pool';
import { actorOf, can, type Principal } from '../auth/principal';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { auditableValue } from '../http/ids';
import { chainHead, eventLine, readEventPage } from './event-rows';

/** Events per database page of the export: one short statement each, nothing held in between. */
export const EXPORT_PAGE = 2000;
/** The largest seq there can be (the column is a 32-bit integer). */
const MAX_SEQ = 2_147_483_647;

export const EXPORT_EVENT = 'audit.export';

const exportQuery = z.object({
  after: z.string().regex(/^\d{1,10}$/, 'after must be a sequence number (0 or more)').refine((s) => Number(s) <= MAX_SEQ, 'after is out of range')
    .transform(Number).optional(),
  org: z.string().max(64).optional(),
});

export interface AuditExport {
  orgId: string;
  /** The chain head when the export started: the export ends there. */
  through: number;
  after: number;
  /** NDJSON lines ("…\n"), oldest first, read from the database page by page as they are consumed. */
  lines: AsyncGenerator<string>;
}

async function refuse(p: Principal, reason: string, details: Record<string, unknown>, error: AppError): Promise<never> {
  await recordAudit({ orgId: p.orgId, type: EXPORT_EVENT, actor: actorOf(p), request: p.request, outcome: 'denied', reason, details });
  throw error;
}

/**
 * The caller's organisation's audit trail after `after` (exclusive), as a stream of NDJSON lines. Needs
 * audit:read; `org`, when given, must be the caller's own organisation's slug (a key never reads another
 * organisation's trail). Refusals are audited in the caller's organisation. The export itself is
 * recorded first, so it appears in what it exports.
 */
export async function exportAuditTrail(p: Principal, raw: { after?: string | null; org?: string | null }): Promise<AuditExport> {
  const after = await checkExport(p, raw);
  await recordAudit({ orgId: p.orgId, type: EXPORT_EVENT, actor: actorOf(p), request: p.request, details: { after } });
  const client = await auditPool().connect();
  let through: number;
  try { through = (await chainHead(client, p.orgId)).seq; } finally { client.release(); }
  return { orgId: p.orgId, through, after, lines: exportLines(p.orgId, after, through) };
}

/** The export's checks, refusals audited: audit:read, a well-formed `after`, and only the caller's own organisation. */
async function checkExport(p: Principal, raw: { after?: string | null; org?: string | null }): Promise<number> {
  if (!can(p, 'audit:read')) {
    await refuse(p, p.kind === 'apikey' ? 'insufficient_scope' : 'forbidden', {},
      p.kind === 'apikey' ? new AppError('insufficient_scope', 'This API key lacks the audit:read scope.') : new AppError('forbidden', 'Your role does not allow this action.'));
  }
  const parsed = exportQuery.safeParse({ after: raw.after ?? undefined, org: raw.org ?? undefined });
  if (!parsed.success) {
    const shown = (v: unknown) => (v === undefined || v === null ? null : auditableValue(v));
    await refuse(p, 'validation_failed', { after: shown(raw.after), org: shown(raw.org) },
      new AppError('validation_failed', parsed.error.issues.map((i) => i.message).join('; ')));
    throw new Error('unreachable');
  }
  const q = parsed.data;
  if (q.org !== undefined) {
    const own = await prisma().organization.findUnique({ where: { id: p.orgId }, select: { slug: true } });
    // Another organisation's slug and one that does not exist get the same answer: no probing.
    if (own?.slug !== q.org) {
      await refuse(p, 'other_organisation', { org: auditableValue(q.org) },
        new AppError('forbidden', 'This credential reads its own organisation\'s audit trail only.'));
    }
  }
  return q.after ?? 0;
}

/** Events per page of the GraphQL cursor (auditExport): the GraphQL cost limit (10,000) holds 400 events of every field. */
export const MAX_EXPORT_PAGE = 400;

/**
 * One page of the export for cursor-driven clients (GraphQL auditExport): up to `first` events after
 * `after`, oldest first, and where the next page starts. Same checks and refusals as the stream; each
 * page request is recorded (details: after, first).
 */
export async function exportAuditPage(p: Principal, raw: { after?: number | null; first?: number | null }) {
  const after = await checkExport(p, { after: raw.after === null || raw.after === undefined ? undefined : String(raw.after) });
  const first = raw.first ?? 200;
  if (!Number.isInteger(first) || first < 1 || first > MAX_EXPORT_PAGE) {
    await refuse(p, 'validation_failed', { first }, new AppError('validation_failed', `first must be from 1 to ${MAX_EXPORT_PAGE}.`));
  }
  await recordAudit({ orgId: p.orgId, type: EXPORT_EVENT, actor: actorOf(p), request: p.request, details: { after, first } });
  const client = await auditPool().connect();
  try {
    const head = await chainHead(client, p.orgId);
    const events = after < head.seq ? await readEventPage(client, p.orgId, after, Math.min(after + first, head.seq), first) : [];
    const endSeq = Math.min(after + first, Math.max(after, head.seq));
    return { events, endSeq, hasMore: endSeq < head.seq, through: head.seq };
  } finally {
    client.release();
  }
}

/**
 * Lines of events in (after, through], one keyset page at a time. Pages are seq ranges on the
 * (orgId, seq) index, as in the verifier (a range keeps the plan cheap even without planner
 * statistics). A connection is taken for each page and given back before the page is yielded, so a
 * slow reader holds no connection and memory holds one page at most.
 */
export async function* exportLines(orgId: string, after: number, through: number, pageSize = EXPORT_PAGE): AsyncGenerator<string> {
  let cursor = after;
  while (cursor < through) {
    const end = Math.min(cursor + pageSize, through);
    const client = await auditPool().connect();
    let rows;
    try { rows = await readEventPage(client, orgId, cursor, end, pageSize); } finally { client.release(); }
    cursor = end;
    if (!rows.length) continue; // a missing range (the verifier reports it): the export carries on
    let chunk = '';
    for (const e of rows) chunk += eventLine(e) + '\n';
    yield chunk;
  }
}
