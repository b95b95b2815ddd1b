import { z } from 'zod';
import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { afterEnding, endSessions } from '../auth/sessions';
import { hashSecret } from '../crypto/password';
import { isId } from '../http/ids';
import { oneTimePassword } from './one-time-password';
import { notFound } from './refusals';

export const STAFF_ROLES = ['ADMIN', 'MEMBER', 'AUDITOR'] as const;

export const createStaffUserInput = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address').max(254, 'Keep the address under 254 characters'),
  name: z.string().trim().min(1, 'Enter a name').max(100, 'Keep the name under 100 characters'),
  role: z.enum(STAFF_ROLES).default('MEMBER'),
});

export const updateStaffUserInput = z.object({
  role: z.enum(STAFF_ROLES).optional(),
  disabled: z.boolean().optional(),
}).refine((v) => v.role !== undefined || v.disabled !== undefined, { message: 'Give a new role, disabled, or both.' });

export const listStaffUsersInput = z.object({
  first: z.number().int().min(1).max(200).default(100),
  after: z.string().optional(),
  q: z.string().trim().max(100).optional(),
  state: z.enum(['active', 'disabled']).optional(),
});

const liveSessions = (now: Date) => ({ where: { endedAt: null, expiresAt: { gt: now } } });

const userSelect = (now: Date) => ({
  id: true, email: true, name: true, role: true, disabledAt: true, lastSignInAt: true, createdAt: true, mustChangePassword: true,
  _count: { select: { sessions: liveSessions(now) } },
}) as const;

type UserRow = { id: string; email: string; name: string; role: (typeof STAFF_ROLES)[number]; disabledAt: Date | null; lastSignInAt: Date | null; createdAt: Date; mustChangePassword: boolean; _count: { sessions: number } };

export type StaffUserView = Omit<UserRow, '_count'> & { activeSessions: number };

const view = ({ _count, ...u }: UserRow): StaffUserView => ({ ...u, activeSessions: _count.sessions });

/** Staff of the caller's organisation, by name, with how many live console sessions each has. */
export async function listStaffUsers(p: Principal, raw: unknown = {}) {
  authorize(p, 'admin');
  const q = listStaffUsersInput.parse(raw ?? {});
  const now = new Date();
  if (q.after !== undefined && (!isId(q.after) || !(await prisma().staffUser.count({ where: { id: q.after, orgId: p.orgId } })))) {
    throw new AppError('validation_failed', 'Invalid cursor.');
  }
  const rows = await prisma().staffUser.findMany({
    where: {
      orgId: p.orgId,
      ...(q.state === 'active' ? { disabledAt: null } : q.state === 'disabled' ? { disabledAt: { not: null } } : {}),
      ...(q.q ? { OR: [{ name: { contains: q.q, mode: 'insensitive' as const } }, { email: { contains: q.q, mode: 'insensitive' as const } }] } : {}),
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: q.first + 1,
    ...(q.after ? { cursor: { id: q.after }, skip: 1 } : {}),
    select: userSelect(now),
  });
  const nodes = rows.slice(0, q.first).map(view);
  return {
    nodes, hasNextPage: rows.length > q.first, endCursor: nodes.at(-1)?.id ?? null,
    // Lets the console say up front that the last administrator cannot be demoted or disabled.
    activeAdmins: () => prisma().staffUser.count({ where: { orgId: p.orgId, role: 'ADMIN', disabledAt: null } }),
  };
}

/** One staff member of the caller's organisation. */
export async function getStaffUser(p: Principal, id: unknown): Promise<StaffUserView> {
  authorize(p, 'admin');
  const row = isId(id) ? await prisma().staffUser.findFirst({ where: { id, orgId: p.orgId }, select: userSelect(new Date()) }) : null;
  if (!row) throw new AppError('not_found', 'No such staff member.');
  return view(row);
}

export interface IssuedPassword { user: StaffUserView; oneTimePassword: string }

/**
 * Creates a staff account with a one-time password, returned here once and never stored in plain.
 * Its owner must choose their own password at first sign-in (mustChangePassword).
 */
export async function createStaffUser(p: Principal, raw: unknown): Promise<IssuedPassword> {
  authorize(p, 'admin');
  const input = createStaffUserInput.parse(raw);
  // Email addresses are unique across organisations, so the refusal says no more than "taken".
  if (await prisma().staffUser.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new AppError('conflict', 'This email address already has an account.');
  }
  const password = oneTimePassword();
  const passwordHash = await hashSecret(password);
  try {
    const user = await prisma().$transaction(async (tx) => {
      const row = await tx.staffUser.create({
        data: { orgId: p.orgId, email: input.email, name: input.name, role: input.role, passwordHash, mustChangePassword: true },
        select: userSelect(new Date()),
      });
      await recordAudit({
        orgId: p.orgId, type: 'staff.create', actor: actorOf(p), request: p.request,
        details: { userId: row.id, email: row.email, name: row.name, role: row.role, oneTimePassword: true },
      }, tx);
      return view(row);
    });
    return { user, oneTimePassword: password };
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') throw new AppError('conflict', 'This email address already has an account.');
    throw e;
  }
}

// Serialises changes to one organisation's admins, so two admins demoting each other at the same
// moment cannot both pass the last-admin check.
async function lockAdmins(tx: Tx, orgId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'staff-admins:' + orgId}, 0))`;
}

async function assertNotLastAdmin(tx: Tx, orgId: string, target: { id: string; name: string }) {
  const others = await tx.staffUser.count({ where: { orgId, role: 'ADMIN', disabledAt: null, id: { not: target.id } } });
  if (others === 0) {
    throw new AppError('conflict', `${target.name} is the last active administrator. Make someone else an administrator first.`);
  }
}

/**
 * Changes a staff member's role and/or disables or re-enables them. A role change ends their console
 * sessions (the caller's own current one excepted, when they change themselves); disabling ends all of
 * them. The last active administrator can be neither demoted nor disabled.
 */
export async function updateStaffUser(p: Principal, id: unknown, raw: unknown): Promise<StaffUserView> {
  authorize(p, 'admin');
  const input = updateStaffUserInput.parse(raw);
  if (!isId(id)) return notFound(p, 'staff.update', 'userId', id, 'staff member');
  const result = await prisma().$transaction(async (tx) => {
    await lockAdmins(tx, p.orgId);
    const target = await tx.staffUser.findFirst({ where: { id, orgId: p.orgId }, select: { id: true, email: true, name: true, role: true, disabledAt: true } });
    if (!target) return null;
    const roleChange = input.role !== undefined && input.role !== target.role ? input.role : null;
    const disable = input.disabled === true && !target.disabledAt;
    const enable = input.disabled === false && Boolean(target.disabledAt);
    const wasActiveAdmin = target.role === 'ADMIN' && !target.disabledAt;
    if (wasActiveAdmin && ((roleChange && roleChange !== 'ADMIN') || disable)) await assertNotLastAdmin(tx, p.orgId, target);

    const now = new Date();
    const self = p.kind === 'staff' && p.userId === target.id;
    const actor = actorOf(p);
    const ended: string[] = [];
    if (roleChange || disable || enable) {
      await tx.staffUser.update({
        where: { id: target.id },
        data: { ...(roleChange ? { role: roleChange } : {}), ...(disable ? { disabledAt: now } : enable ? { disabledAt: null } : {}) },
      });
    }
    if (roleChange) {
      await recordAudit({ orgId: p.orgId, type: 'staff.role_change', actor, request: p.request, details: { userId: target.id, email: target.email, from: target.role, to: roleChange } }, tx);
    }
    if (disable) {
      await recordAudit({ orgId: p.orgId, type: 'staff.disable', actor, request: p.request, details: { userId: target.id, email: target.email } }, tx);
      ended.push(...await endSessions(tx, { orgId: p.orgId, where: { userId: target.id }, reason: 'disabled', actor, request: p.request }));
    } else if (roleChange) {
      const exceptId = self && p.kind === 'staff' ? p.sessionId ?? null : null;
      ended.push(...await endSessions(tx, { orgId: p.orgId, where: { userId: target.id, exceptId }, reason: 'role_changed', actor, request: p.request }));
    }
    if (enable) {
      await recordAudit({ orgId: p.orgId, type: 'staff.enable', actor, request: p.request, details: { userId: target.id, email: target.email } }, tx);
    }
    const row = await tx.staffUser.findUniqueOrThrow({ where: { id: target.id }, select: userSelect(now) });
    return { user: view(row), ended };
  });
  if (!result) return notFound(p, 'staff.update', 'userId', id, 'staff member');
  afterEnding(result.ended);
  return result.user;
}

/**
 * Issues a new one-time password for a colleague who lost theirs, and ends all their sessions. Your
 * own password is changed under Your account, with the current one.
 */
export async function resetStaffPassword(p: Principal, id: unknown): Promise<IssuedPassword> {
  authorize(p, 'admin');
  if (!isId(id)) return notFound(p, 'staff.password_reset', 'userId', id, 'staff member');
  if (p.kind === 'staff' && p.userId === id) throw new AppError('conflict', 'Change your own password under Your account.');
  const exists = await prisma().staffUser.findFirst({ where: { id, orgId: p.orgId }, select: { id: true } });
  if (!exists) return notFound(p, 'staff.password_reset', 'userId', id, 'staff member');
  const password = oneTimePassword();
  const passwordHash = await hashSecret(password);
  const result = await prisma().$transaction(async (tx) => {
    const row = await tx.staffUser.update({ where: { id }, data: { passwordHash, mustChangePassword: true }, select: { id: true, email: true } });
    await recordAudit({ orgId: p.orgId, type: 'staff.password_reset', actor: actorOf(p), request: p.request, details: { userId: row.id, email: row.email } }, tx);
    const ended = await endSessions(tx, { orgId: p.orgId, where: { userId: id }, reason: 'password_reset', actor: actorOf(p), request: p.request });
    return { ended, user: view(await tx.staffUser.findUniqueOrThrow({ where: { id }, select: userSelect(new Date()) })) };
  });
  afterEnding(result.ended);
  return { user: result.user, oneTimePassword: password };
}
