import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { afterEnding, endSessions } from '../auth/sessions';
import { isId } from '../http/ids';
import { notFound } from './refusals';
import { describeUserAgent, type DeviceDescription } from './user-agent';

export const listStaffSessionsInput = z.object({
  first: z.number().int().min(1).max(200).default(100),
  after: z.string().optional(),
  userId: z.string().optional(),
});

const sessionSelect = {
  id: true, userId: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true, expiresAt: true, endedAt: true, endedReason: true,
  user: { select: { id: true, email: true, name: true, role: true } },
} as const;

type SessionRow = {
  id: string; userId: string; ip: string | null; userAgent: string | null; createdAt: Date; lastSeenAt: Date; expiresAt: Date;
  endedAt: Date | null; endedReason: string | null; user: { id: string; email: string; name: string; role: string };
};

export type StaffSessionView = SessionRow & {
  /** The session the caller is using right now. */
  current: boolean;
  /** Live: not ended and not expired. */
  active: boolean;
  device: DeviceDescription;
};

const view = (p: Principal, s: SessionRow, now = new Date()): StaffSessionView => ({
  ...s,
  current: p.kind === 'staff' && p.sessionId === s.id,
  active: !s.endedAt && s.expiresAt > now,
  device: describeUserAgent(s.userAgent),
});

const live = (now: Date) => ({ endedAt: null, expiresAt: { gt: now } });

/** Every live console session of the organisation (admins), newest first; optionally one user's. */
export async function listStaffSessions(p: Principal, raw: unknown = {}) {
  authorize(p, 'admin');
  const q = listStaffSessionsInput.parse(raw ?? {});
  if (q.userId !== undefined && (!isId(q.userId) || !(await prisma().staffUser.count({ where: { id: q.userId, orgId: p.orgId } })))) {
    throw new AppError('not_found', 'No such staff member.');
  }
  if (q.after !== undefined && (!isId(q.after) || !(await prisma().staffSession.count({ where: { id: q.after, orgId: p.orgId } })))) {
    throw new AppError('validation_failed', 'Invalid cursor.');
  }
  const now = new Date();
  const rows = await prisma().staffSession.findMany({
    where: { orgId: p.orgId, ...live(now), ...(q.userId ? { userId: q.userId } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.first + 1,
    ...(q.after ? { cursor: { id: q.after }, skip: 1 } : {}),
    select: sessionSelect,
  });
  const nodes = rows.slice(0, q.first).map((s) => view(p, s, now));
  return { nodes, hasNextPage: rows.length > q.first, endCursor: nodes.at(-1)?.id ?? null };
}

/** The caller's own live console sessions (any signed-in staff member), newest first. */
export async function listOwnSessions(p: Principal): Promise<StaffSessionView[]> {
  if (p.kind !== 'staff') throw new AppError('forbidden', 'Only a signed-in person has console sessions.');
  const now = new Date();
  const rows = await prisma().staffSession.findMany({
    where: { orgId: p.orgId, userId: p.userId, ...live(now) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 100,
    select: sessionSelect,
  });
  return rows.map((s) => view(p, s, now));
}

/**
 * Ends one console session at once. Admins may end any session of their organisation; anyone may
 * end their own. Ending a session that is already over changes nothing.
 */
export async function endStaffSession(p: Principal, id: unknown): Promise<StaffSessionView> {
  if (p.kind !== 'staff') authorize(p, 'admin');
  if (!isId(id)) return notFound(p, 'staff.session.end', 'sessionId', id, 'session');
  const row = await prisma().staffSession.findFirst({ where: { id, orgId: p.orgId }, select: sessionSelect });
  if (!row) return notFound(p, 'staff.session.end', 'sessionId', id, 'session');
  const own = p.kind === 'staff' && row.userId === p.userId;
  if (!own) authorize(p, 'admin');
  const ended = await prisma().$transaction((tx) => endSessions(tx, {
    orgId: p.orgId, where: { id }, reason: own ? 'ended_by_user' : 'ended_by_admin', actor: actorOf(p), request: p.request,
  }));
  afterEnding(ended);
  const after = await prisma().staffSession.findUniqueOrThrow({ where: { id }, select: sessionSelect });
  return view(p, after);
}

/**
 * Ends every live session of one staff member: admins for anyone in their organisation, anyone for
 * themselves. The session making the request is never ended by this (signing out does that).
 */
export async function endStaffSessions(p: Principal, userId: unknown): Promise<{ endedCount: number }> {
  if (p.kind !== 'staff') authorize(p, 'admin');
  const own = p.kind === 'staff' && userId === p.userId;
  if (!own) authorize(p, 'admin');
  if (!isId(userId)) return notFound(p, 'staff.session.end', 'userId', userId, 'staff member');
  const user = await prisma().staffUser.findFirst({ where: { id: userId, orgId: p.orgId }, select: { id: true } });
  if (!user) return notFound(p, 'staff.session.end', 'userId', userId, 'staff member');
  const exceptId = p.kind === 'staff' ? p.sessionId ?? null : null;
  const ended = await prisma().$transaction((tx) => endSessions(tx, {
    orgId: p.orgId, where: { userId, exceptId }, reason: own ? 'ended_by_user' : 'ended_by_admin', actor: actorOf(p), request: p.request,
  }));
  afterEnding(ended);
  return { endedCount: ended.length };
}
