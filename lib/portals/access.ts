import type { Tx } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, type Principal } from '../auth/principal';

/**
 * Portal rows as staff reach them: always through the caller's organisation, so another
 * organisation's portal, section or grant is simply not_found, the same answer as one that does not exist.
 */
export async function loadPortal(db: Tx, orgId: string, id: string) {
  const portal = await db.portal.findFirst({ where: { id, orgId }, omit: { logo: true } });
  if (!portal) throw new AppError('not_found', 'No such portal.');
  return portal;
}

export async function loadSection(db: Tx, orgId: string, id: string) {
  const section = await db.portalSection.findFirst({ where: { id, portal: { orgId } }, include: { portal: { select: { id: true, orgId: true, archivedAt: true } } } });
  if (!section) throw new AppError('not_found', 'No such section.');
  return section;
}

/** An archived portal is read-only until it is restored: nothing on it changes meanwhile. */
export function assertLive(portal: { archivedAt: Date | null }): void {
  if (portal.archivedAt) throw new AppError('conflict', 'This portal is archived. Restore it before changing it.');
}

/** One audit event for a staff change to a portal, inside the change's own transaction. */
export function auditPortal(tx: Tx, p: Principal, type: string, portalId: string, details: Record<string, unknown> = {}, reason?: string | null, outcome?: 'denied') {
  return recordAudit({ orgId: p.orgId, type, actor: actorOf(p), request: p.request, reason: reason ?? null, ...(outcome ? { outcome } : {}), details: { portalId, ...details } }, tx);
}

export const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';
