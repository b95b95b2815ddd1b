import { prisma, type Tx } from '../db/client';
import { recordAudit, type Actor, type RequestFacts } from '../audit/record';
import type { StaffRole } from '../generated/prisma/enums';
import { disconnectStaffSessions } from '../realtime/staff-rooms';

/**
 * Server-side console sessions. The next-auth cookie only names a StaffSession row (`sid`); every
 * authenticated request checks that row, so ending it ends the session at once, whatever the cookie says.
 */

/** A console session lasts 8 hours from sign-in, however active it is; then its owner signs in again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

// lastSeenAt is a hint for people reading the sessions list, not a security fact: a write at most once a
// minute per session keeps every other request to a single read.
const LAST_SEEN_RESOLUTION_MS = 60_000;

export type SessionEndReason =
  | 'signed_out' | 'password_changed' | 'password_reset' | 'role_changed' | 'disabled' | 'ended_by_admin' | 'ended_by_user';

const USER_AGENT_MAX = 512;

/** Opens the session a sign-in creates, in the caller's transaction (with its audit event). */
export async function openStaffSession(tx: Tx, user: { id: string; orgId: string }, request: RequestFacts): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  const row = await tx.staffSession.create({
    data: { userId: user.id, orgId: user.orgId, ip: request.ip ?? null, userAgent: request.userAgent?.slice(0, USER_AGENT_MAX) ?? null, expiresAt },
    select: { id: true, expiresAt: true },
  });
  return row;
}

export interface LiveSession {
  sessionId: string;
  userId: string;
  orgId: string;
  email: string;
  name: string;
  role: StaffRole;
  mustChangePassword: boolean;
}

interface LiveRow extends LiveSession { lastSeenAt: Date }

/**
 * The session `sid` of user `userId` if it is live: it exists, belongs to that user and organisation,
 * has not ended or expired, and the user is not disabled. One query (a join), plus a write of
 * lastSeenAt at most once a minute.
 */
export async function findLiveSession(sid: string, userId: string): Promise<LiveSession | null> {
  const now = new Date();
  const rows = await prisma().$queryRaw<LiveRow[]>`
    SELECT s.id AS "sessionId", s."lastSeenAt", u.id AS "userId", u."orgId", u.email, u.name, u.role::text AS role, u."mustChangePassword"
    FROM "StaffSession" s JOIN "StaffUser" u ON u.id = s."userId" AND u."orgId" = s."orgId"
    WHERE s.id = ${sid} AND s."userId" = ${userId} AND s."endedAt" IS NULL AND s."expiresAt" > ${now} AND u."disabledAt" IS NULL`;
  const row = rows[0];
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    // Conditional, so concurrent requests of one session write once between them.
    await prisma().staffSession.updateMany({
      where: { id: sid, endedAt: null, lastSeenAt: { lt: new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS) } },
      data: { lastSeenAt: now },
    });
  }
  const { lastSeenAt: _seen, ...live } = row;
  return live;
}

/**
 * Ends sessions in the caller's transaction and writes one audit event per ended session, so the
 * trail says which session ended, why and on whose action. Sessions already ended are left as they
 * were. Call `afterEnding` with the result once the transaction has committed.
 */
export async function endSessions(
  tx: Tx,
  args: { orgId: string; where: { id?: string; userId?: string; exceptId?: string | null }; reason: SessionEndReason; actor: Actor; request?: RequestFacts; auditType?: string },
): Promise<string[]> {
  const now = new Date();
  const live = await tx.staffSession.findMany({
    where: {
      orgId: args.orgId, endedAt: null, expiresAt: { gt: now },
      ...(args.where.id ? { id: args.where.id } : {}),
      ...(args.where.userId ? { userId: args.where.userId } : {}),
      ...(args.where.exceptId ? { NOT: { id: args.where.exceptId } } : {}),
    },
    select: { id: true, userId: true, ip: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
  });
  if (!live.length) return [];
  // endedAt: null in the update too: of two racing requests, only one ends (and audits) a session.
  const ids: string[] = [];
  for (const s of live) {
    const { count } = await tx.staffSession.updateMany({ where: { id: s.id, endedAt: null }, data: { endedAt: now, endedReason: args.reason } });
    if (!count) continue;
    ids.push(s.id);
    await recordAudit({
      orgId: args.orgId, type: args.auditType ?? 'staff.session.end', actor: args.actor, request: args.request,
      reason: args.reason, details: { sessionId: s.id, userId: s.userId, startedAt: s.createdAt.toISOString(), sessionIp: s.ip },
    }, tx);
  }
  return ids;
}

/** After the transaction that ended sessions committed: closes their live sockets too. */
export function afterEnding(ids: string[]): void {
  if (ids.length) disconnectStaffSessions(ids);
}

/**
 * Ends the session a sign-out names (next-auth's signOut event). The cookie carries the session and
 * user ids; a cookie whose session is already over ends nothing and audits nothing.
 */
export async function signOutSession(sid: unknown, userId: unknown, request: RequestFacts): Promise<boolean> {
  if (typeof sid !== 'string' || typeof userId !== 'string') return false;
  const session = await prisma().staffSession.findUnique({
    where: { id: sid },
    select: { orgId: true, userId: true, user: { select: { email: true } } },
  });
  if (!session || session.userId !== userId) return false;
  const ended = await prisma().$transaction((tx) => endSessions(tx, {
    orgId: session.orgId, where: { id: sid }, reason: 'signed_out', auditType: 'staff.signout',
    actor: { type: 'staff', id: userId, label: session.user.email }, request,
  }));
  afterEnding(ended);
  return ended.length > 0;
}
