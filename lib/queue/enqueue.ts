import { prisma, type Tx } from '../db/client';
import type { Prisma } from '../generated/prisma/client';

export interface JobInput {
  kind: string;
  /** The organisation the work is for; null for work that spans organisations. */
  orgId?: string | null;
  payload?: Record<string, unknown>;
  /** One row per key across the whole installation: a second enqueue with the same key adds nothing. */
  dedupeKey?: string;
  maxAttempts?: number;
  /** Not before this time (default: now). */
  runAt?: Date;
}

/**
 * Adds one item to the durable queue, in the caller's transaction when given, so that the work
 * commits or rolls back with the change that caused it. Returns the new id, or null when an item
 * with the same dedupeKey exists (ON CONFLICT DO NOTHING: a duplicate never aborts the caller's
 * transaction).
 */
export async function enqueueJob(input: JobInput, tx?: Tx): Promise<string | null> {
  const rows = await (tx ?? prisma()).queueItem.createManyAndReturn({
    data: [{
      kind: input.kind, orgId: input.orgId ?? null, payload: (input.payload ?? {}) as Prisma.InputJsonValue,
      dedupeKey: input.dedupeKey ?? null, maxAttempts: input.maxAttempts ?? 8,
      nextAttemptAt: input.runAt ?? new Date(),
    }],
    skipDuplicates: true,
    select: { id: true },
  });
  if (rows.length) wakeWorkers();
  return rows[0]?.id ?? null;
}

type Waker = () => void;
const g = globalThis as unknown as { __liaisonQueueWakers?: Set<Waker> };

/** The workers of this process, woken when work is added so that it goes out without waiting for a poll. */
export function onEnqueue(w: Waker): () => void {
  g.__liaisonQueueWakers ??= new Set();
  g.__liaisonQueueWakers.add(w);
  return () => g.__liaisonQueueWakers?.delete(w);
}

export function wakeWorkers() {
  for (const w of g.__liaisonQueueWakers ?? []) w();
}
