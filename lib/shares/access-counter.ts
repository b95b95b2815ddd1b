import { prisma } from '../db/client';
import { log } from '../log';

/**
 * A share's accessCount and lastAccessAt are a summary for the console (the audit trail is the
 * record). Incrementing the share row on every view and download would make every guest of a busy
 * share queue on one row lock, so increments are added up here and written at most twice a second,
 * one UPDATE per share. A write that fails is kept and retried with the next flush.
 */
const FLUSH_MS = 500;
const g = globalThis as unknown as { __liaisonAccess?: { pending: Map<string, { n: number; at: Date }>; timer: NodeJS.Timeout | null; flushing: Promise<void> | null } };
const state = () => (g.__liaisonAccess ??= { pending: new Map(), timer: null, flushing: null });

export function countShareAccess(shareId: string, at = new Date()): void {
  count(shareId, at);
}

/**
 * The same summary for portal grants (the access-review page reads it): each grant that allowed the
 * request counts it. Keys are prefixed so that the two tables share one batch.
 */
export function countPortalGrantAccess(grantIds: readonly string[], at = new Date()): void {
  for (const id of grantIds) count(`${PORTAL_GRANT}${id}`, at);
}

const PORTAL_GRANT = 'pg:';

function count(key: string, at: Date): void {
  const s = state();
  const cur = s.pending.get(key);
  if (cur) { cur.n++; if (at > cur.at) cur.at = at; } else s.pending.set(key, { n: 1, at });
  if (!s.timer) {
    s.timer = setTimeout(() => { s.timer = null; void flushShareAccess(); }, FLUSH_MS);
    s.timer.unref();
  }
}

/** Writes the pending counts now (tests, shutdown). */
export async function flushShareAccess(): Promise<void> {
  const s = state();
  if (s.flushing) await s.flushing;
  if (s.pending.size === 0) return;
  const batch = [...s.pending.entries()];
  s.pending.clear();
  s.flushing = (async () => {
    for (const [id, { n, at }] of batch) {
      try {
        if (id.startsWith(PORTAL_GRANT)) {
          const grantId = id.slice(PORTAL_GRANT.length);
          await prisma().$executeRaw`UPDATE "PortalGrant" SET "accessCount" = "accessCount" + ${n}, "lastAccessAt" = GREATEST(COALESCE("lastAccessAt", ${at}), ${at}) WHERE "id" = ${grantId}`;
        } else {
          await prisma().$executeRaw`UPDATE "Share" SET "accessCount" = "accessCount" + ${n}, "lastAccessAt" = GREATEST(COALESCE("lastAccessAt", ${at}), ${at}) WHERE "id" = ${id}`;
        }
      } catch (e) {
        log.warn({ err: (e as Error).message, key: id }, 'access count not written; retrying');
        const cur = s.pending.get(id);
        if (cur) { cur.n += n; if (at > cur.at) cur.at = at; } else s.pending.set(id, { n, at });
        if (!s.timer) { s.timer = setTimeout(() => { s.timer = null; void flushShareAccess(); }, FLUSH_MS * 4); s.timer.unref(); }
      }
    }
  })().finally(() => { s.flushing = null; });
  await s.flushing;
}
