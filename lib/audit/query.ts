import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, can, type Principal } from '../auth/principal';

export const auditQuery = z.object({
  shareId: z.string().max(64).optional(),
  documentId: z.string().max(64).optional(),
  type: z.string().max(64).optional(),
  actor: z.string().max(200).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  first: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().max(64).optional(),
});
export type AuditQuery = z.input<typeof auditQuery>;

/** Opaque cursors: the event's sequence number in its organisation's chain. */
export const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');
export function decodeCursor(c: string): number {
  const m = /^seq:(\d{1,10})$/.exec(Buffer.from(c, 'base64url').toString());
  // seq is a 32-bit column: a larger number is no cursor of ours (and would make the query fail).
  if (!m || Number(m[1]) > 2_147_483_647) throw new AppError('validation_failed', 'Invalid cursor.');
  return Number(m[1]);
}

/**
 * Newest first. Auditors and admins (audit:read) see the whole trail; staff with shares:read may
 * read the events of one share (its access log).
 */
export async function listAuditEvents(p: Principal, raw: AuditQuery) {
  const q = auditQuery.parse(raw);
  if (!(q.shareId && can(p, 'shares:read'))) authorize(p, 'audit:read');
  const where = {
    orgId: p.orgId,
    ...(q.shareId ? { shareId: q.shareId } : {}),
    ...(q.documentId ? { documentId: q.documentId } : {}),
    ...(q.type ? { type: q.type.endsWith('.') ? { startsWith: q.type } : q.type } : {}),
    ...(q.actor ? { actor: { contains: q.actor, mode: 'insensitive' as const } } : {}),
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } } : {}),
    ...(q.after ? { seq: { lt: decodeCursor(q.after) } } : {}),
  };
  const rows = await prisma().auditEvent.findMany({ where, orderBy: { seq: 'desc' }, take: q.first + 1 });
  const hasNextPage = rows.length > q.first;
  const nodes = rows.slice(0, q.first);
  return {
    nodes,
    hasNextPage,
    endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].seq) : null,
    totalCount: () => prisma().auditEvent.count({ where: { ...where, seq: undefined } }),
  };
}

/** Distinct event types, for filter menus. */
export async function auditEventTypes(p: Principal): Promise<string[]> {
  authorize(p, 'audit:read');
  const rows = await prisma().auditEvent.findMany({ where: { orgId: p.orgId }, distinct: ['type'], select: { type: true }, orderBy: { type: 'asc' } });
  return rows.map((r) => r.type);
}
