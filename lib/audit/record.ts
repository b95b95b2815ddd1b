import { createId } from './id';
import { prisma, type Tx } from '../db/client';
import { eventHash, GENESIS_HASH } from './chain';
import type { Prisma } from '../generated/prisma/client';

export type ActorType = 'staff' | 'apikey' | 'guest' | 'system' | 'anonymous';

export interface Actor { type: ActorType; id?: string | null; label: string }
export interface RequestFacts { ip?: string | null; userAgent?: string | null }

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
 * Appends one event to the organisation's chain. An advisory lock per organisation serialises
 * writers so that seq and prevHash never fork, on PostgreSQL and on the embedded database alike.
 * Pass `tx` to make the event commit or roll back with the change it describes.
 */
export async function recordAudit(input: AuditInput, tx?: Tx): Promise<{ id: string; hash: string; seq: number }> {
  if (tx) return append(tx, input);
  return prisma().$transaction((t) => append(t, input));
}

async function append(tx: Tx, input: AuditInput) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'audit:' + input.orgId}, 0))`;
  const last = await tx.auditEvent.findFirst({
    where: { orgId: input.orgId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const fields = {
    id: createId(),
    orgId: input.orgId,
    seq: (last?.seq ?? 0) + 1,
    // Millisecond precision, as stored, so the hash recomputes exactly.
    at: new Date(Math.floor(Date.now())),
    type: input.type,
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    actor: input.actor.label,
    ip: input.request?.ip ?? null,
    userAgent: input.request?.userAgent?.slice(0, 512) ?? null,
    shareId: input.shareId ?? null,
    documentId: input.documentId ?? null,
    outcome: input.outcome ?? 'success',
    reason: input.reason ?? null,
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Prisma.InputJsonValue,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = eventHash(fields);
  await tx.auditEvent.create({ data: { ...fields, hash } });
  return { id: fields.id, hash, seq: fields.seq };
}
