import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';
import { GuestKind } from '../generated/prisma/enums';
import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, can, type Principal } from '../auth/principal';
import { after, invalidCursor } from '../db/keyset';
import { auditableValue, idSchema, isId } from '../http/ids';
import { notifyGuestRevoked } from '../notifications/notify';
import { disconnectGuestSockets } from '../realtime/guest-rooms';
import { describeUserAgent, type DeviceDescription } from '../staff/user-agent';

/*
 * Guests and their sessions as staff manage them in the console and through GraphQL.
 *
 * Who sees whom: administrators and auditors every guest of their organisation; members the guests
 * of shares they created (a guest is "of" a share when it opened a session on it or was invited to
 * it). Anyone else, and any guest of another organisation, gets not_found.
 *
 * What takes effect where: nothing here decides access. Ending a session sets its revokedAt, ending
 * all of a guest's sessions bumps the guest's revocationEpoch, and disabling sets disabledAt; the
 * policy (lib/policy) refuses each of these on the very next request, on every path.
 */

export const GUEST_KINDS = Object.values(GuestKind) as [GuestKind, ...GuestKind[]];
export const GUEST_STATES = ['ACTIVE', 'DISABLED', 'EXPIRED'] as const;
export type GuestState = (typeof GUEST_STATES)[number];

export const listGuestsInput = z.object({
  q: z.string().trim().max(200).optional(),
  kind: z.enum(GUEST_KINDS).optional(),
  state: z.enum(GUEST_STATES).optional(),
  shareId: idSchema.optional(),
  first: z.coerce.number().int().min(1).max(100).default(25),
  after: idSchema.optional(),
});

const reasonInput = z.string().trim().max(500).transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim());

const GUEST_COLUMNS = {
  id: true, orgId: true, kind: true, email: true, displayName: true, partnerOrgId: true, expiresAt: true, disabledAt: true,
  disabledReason: true, lastSeenAt: true, createdAt: true, revocationEpoch: true, groups: true,
  partnerOrg: { select: { id: true, name: true } },
} satisfies Prisma.GuestSelect;
type GuestRow = Prisma.GuestGetPayload<{ select: typeof GUEST_COLUMNS }>;

export interface GuestShareRef { id: string; title: string; documentCount: number; state: 'ACTIVE' | 'REVOKED'; expiresAt: Date; ownedByCaller: boolean }

export interface GuestView {
  id: string; kind: GuestKind; email: string | null; displayName: string | null; state: GuestState;
  partnerOrg: { id: string; name: string } | null; expiresAt: Date | null; disabledAt: Date | null; disabledReason: string | null;
  createdAt: Date; lastSeenAt: Date | null; groups: string[];
  shares: GuestShareRef[]; liveSessionCount: number;
  /** Whether the caller may end this guest's sessions (all, or those on their own shares). */
  canRevokeSessions: boolean;
  /** Whether the caller may disable or enable the guest (it affects every share of the guest). */
  canDisable: boolean;
}

export type GuestSessionState = 'ACTIVE' | 'REVOKED' | 'EXPIRED' | 'ENDED';

export interface GuestSessionView {
  id: string; guestId: string; shareId: string | null; shareTitle: string | null; ip: string; country: string | null;
  device: string | null; userAgent: string | null; browser: DeviceDescription; authMethod: string;
  createdAt: Date; lastSeenAt: Date; expiresAt: Date; revokedAt: Date | null; state: GuestSessionState; canRevoke: boolean;
}

export const guestState = (g: { disabledAt: Date | null; expiresAt: Date | null }, now = new Date()): GuestState =>
  g.disabledAt ? 'DISABLED' : g.expiresAt && g.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';

const isAdmin = (p: Principal) => can(p, 'admin');
const sees = (p: Principal) => isAdmin(p) || can(p, 'audit:read');
const ownerId = (p: Principal) => (p.kind === 'staff' ? p.userId : null);

/** The guests the caller may see, as a where clause; throws when the caller may see none. Also used by lib/devices. */
export function visibleWhere(p: Principal): Prisma.GuestWhereInput {
  if (sees(p)) return { orgId: p.orgId };
  const me = ownerId(p);
  // API keys have no shares of their own: without admin or audit:read they manage no guests.
  if (!me || !can(p, 'shares:read')) authorize(p, 'admin');
  const mine = { share: { createdById: me } };
  return { orgId: p.orgId, OR: [{ sessions: { some: mine } }, { invitations: { some: mine } }] };
}

function stateWhere(state: GuestState | undefined, now: Date): Prisma.GuestWhereInput {
  switch (state) {
    case 'DISABLED': return { disabledAt: { not: null } };
    case 'EXPIRED': return { disabledAt: null, expiresAt: { lte: now } };
    case 'ACTIVE': return { disabledAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    default: return {};
  }
}

function searchWhere(q: string | undefined): Prisma.GuestWhereInput {
  if (!q) return {};
  const like = { contains: q, mode: 'insensitive' as const };
  return { OR: [{ email: like }, { displayName: like }, { partnerOrg: { name: like } }, ...(isId(q) ? [{ id: q }] : [])] };
}

/** A session counts as live only while nothing it was issued under has moved on. */
function sessionState(s: { revokedAt: Date | null; expiresAt: Date; guestEpoch: number; shareEpoch: number; passwordEpoch: number; share: { state: string; expiresAt: Date; revocationEpoch: number; passwordEpoch: number } | null },
  g: { revocationEpoch: number; disabledAt: Date | null; expiresAt: Date | null }, now: Date): GuestSessionState {
  if (s.revokedAt) return 'REVOKED';
  if (s.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  const dead = s.guestEpoch !== g.revocationEpoch || g.disabledAt != null || (g.expiresAt != null && g.expiresAt.getTime() <= now.getTime()) ||
    (s.share != null && (s.share.state !== 'ACTIVE' || s.share.expiresAt.getTime() <= now.getTime() || s.share.revocationEpoch !== s.shareEpoch || s.share.passwordEpoch !== s.passwordEpoch));
  return dead ? 'ENDED' : 'ACTIVE';
}

const SESSION_COLUMNS = {
  id: true, guestId: true, shareId: true, ip: true, country: true, device: true, userAgent: true, authMethod: true,
  createdAt: true, lastSeenAt: true, expiresAt: true, revokedAt: true, guestEpoch: true, shareEpoch: true, passwordEpoch: true,
  share: { select: { id: true, state: true, expiresAt: true, revocationEpoch: true, passwordEpoch: true, createdById: true, documents: { take: 1, orderBy: { documentId: 'asc' }, select: { document: { select: { title: true } } } }, _count: { select: { documents: true } } } },
} satisfies Prisma.GuestSessionSelect;
type SessionRow = Prisma.GuestSessionGetPayload<{ select: typeof SESSION_COLUMNS }>;

const shareTitle = (s: { documents: { document: { title: string } }[]; _count: { documents: number } }) => {
  const first = s.documents[0]?.document.title ?? 'Share';
  return s._count.documents > 1 ? `${first} and ${s._count.documents - 1} more` : first;
};

/** The shares each guest has (sessions and invitations), with titles, in two queries for a whole page. */
async function sharesOf(p: Principal, guestIds: string[]): Promise<Map<string, GuestShareRef[]>> {
  const out = new Map<string, GuestShareRef[]>(guestIds.map((id) => [id, []]));
  if (!guestIds.length) return out;
  const [viaSessions, viaInvitations] = await Promise.all([
    prisma().guestSession.groupBy({ by: ['guestId', 'shareId'], where: { guestId: { in: guestIds }, shareId: { not: null } } }),
    prisma().guestInvitation.groupBy({ by: ['guestId', 'shareId'], where: { guestId: { in: guestIds } } }),
  ]);
  const pairs = [...viaSessions, ...viaInvitations].filter((x): x is { guestId: string; shareId: string } => Boolean(x.guestId && x.shareId));
  const shareIds = [...new Set(pairs.map((x) => x.shareId))];
  const shares = await prisma().share.findMany({
    where: { id: { in: shareIds }, orgId: p.orgId },
    select: { id: true, state: true, expiresAt: true, createdById: true, documents: { take: 1, orderBy: { documentId: 'asc' }, select: { document: { select: { title: true } } } }, _count: { select: { documents: true } } },
  });
  const byId = new Map(shares.map((s) => [s.id, {
    id: s.id, title: shareTitle(s), documentCount: s._count.documents, state: s.state, expiresAt: s.expiresAt,
    ownedByCaller: s.createdById != null && s.createdById === ownerId(p),
  } satisfies GuestShareRef]));
  for (const { guestId, shareId } of pairs) {
    const list = out.get(guestId)!;
    const s = byId.get(shareId);
    if (s && !list.some((x) => x.id === shareId)) list.push(s);
  }
  return out;
}

/** Members may disable a guest only when every share the guest has is theirs: it locks the guest out of all of them. */
const mayDisable = (p: Principal, shares: GuestShareRef[]) =>
  can(p, 'shares:write') && (isAdmin(p) || (ownerId(p) != null && shares.length > 0 && shares.every((s) => s.ownedByCaller)));
const mayRevoke = (p: Principal, shares: GuestShareRef[]) => can(p, 'shares:write') && (isAdmin(p) || shares.some((s) => s.ownedByCaller));

/**
 * The guests among `guestIds` whose sessions the caller may end (admins: all; members: guests of a share
 * they created). Deciding on a guest's devices takes the same right (lib/devices/registry.ts).
 */
export async function guestsManageable(p: Principal, guestIds: string[]): Promise<Set<string>> {
  const shares = await sharesOf(p, guestIds);
  return new Set(guestIds.filter((id) => mayRevoke(p, shares.get(id) ?? [])));
}

async function liveCounts(rows: GuestRow[], now: Date): Promise<Map<string, number>> {
  const byGuest = new Map(rows.map((g) => [g.id, g]));
  const live = rows.length ? await prisma().guestSession.findMany({
    where: { guestId: { in: rows.map((g) => g.id) }, revokedAt: null, expiresAt: { gt: now } },
    select: SESSION_COLUMNS,
  }) : [];
  const counts = new Map<string, number>();
  for (const s of live) if (sessionState(s, byGuest.get(s.guestId)!, now) === 'ACTIVE') counts.set(s.guestId, (counts.get(s.guestId) ?? 0) + 1);
  return counts;
}

function view(p: Principal, g: GuestRow, shares: GuestShareRef[], live: number, lastSeen: Date | null, now: Date): GuestView {
  return {
    id: g.id, kind: g.kind, email: g.email, displayName: g.displayName, state: guestState(g, now), partnerOrg: g.partnerOrg,
    expiresAt: g.expiresAt, disabledAt: g.disabledAt, disabledReason: g.disabledReason, createdAt: g.createdAt,
    lastSeenAt: [g.lastSeenAt, lastSeen].filter((d): d is Date => d != null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null,
    groups: g.groups, shares, liveSessionCount: live, canRevokeSessions: mayRevoke(p, shares), canDisable: mayDisable(p, shares),
  };
}

async function views(p: Principal, rows: GuestRow[], now: Date): Promise<GuestView[]> {
  const ids = rows.map((g) => g.id);
  const [shares, live, seen] = await Promise.all([
    sharesOf(p, ids),
    liveCounts(rows, now),
    ids.length ? prisma().guestSession.groupBy({ by: ['guestId'], where: { guestId: { in: ids } }, _max: { lastSeenAt: true } }) : [],
  ]);
  const lastSeen = new Map(seen.map((x) => [x.guestId, x._max.lastSeenAt]));
  return rows.map((g) => view(p, g, shares.get(g.id) ?? [], live.get(g.id) ?? 0, lastSeen.get(g.id) ?? null, now));
}

export interface GuestPage { nodes: GuestView[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }

/** Guests the caller may see, newest first. `q` matches email, name, partner organisation or an exact id. */
export async function listGuests(p: Principal, raw: unknown = {}): Promise<GuestPage> {
  const visible = visibleWhere(p);
  const q = listGuestsInput.parse(raw ?? {});
  const now = new Date();
  // A share filter naming a share outside the organisation is not_found, as asking for that share is.
  if (q.shareId && !(await prisma().share.findFirst({ where: { id: q.shareId, orgId: p.orgId }, select: { id: true } }))) throw new AppError('not_found', 'No such share.');
  const position = q.after ? await prisma().guest.findFirst({ where: { AND: [visible, { id: q.after }] }, select: { id: true, createdAt: true } }) : null;
  if (q.after && !position) throw invalidCursor();
  const filters: Prisma.GuestWhereInput[] = [
    visible, stateWhere(q.state, now), searchWhere(q.q), ...(q.kind ? [{ kind: q.kind }] : []),
    ...(q.shareId ? [{ OR: [{ sessions: { some: { shareId: q.shareId } } }, { invitations: { some: { shareId: q.shareId } } }] }] : []),
  ];
  const rows = await prisma().guest.findMany({ where: { AND: [...filters, ...(position ? [after(position)] : [])] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.first + 1, select: GUEST_COLUMNS });
  const nodes = await views(p, rows.slice(0, q.first), now);
  const countWhere: Prisma.GuestWhereInput = { AND: filters };
  return { nodes, hasNextPage: rows.length > q.first, endCursor: nodes.at(-1)?.id ?? null, totalCount: () => prisma().guest.count({ where: countWhere }) };
}

/**
 * An id that names no guest or session the caller may see (malformed, unknown, another organisation's
 * or a member's colleague's) is not_found, recorded in the caller's own trail.
 */
async function notFound(p: Principal, type: string, field: 'guestId' | 'sessionId', raw: unknown): Promise<never> {
  await recordAudit({
    orgId: p.orgId, type, actor: actorOf(p), request: p.request, outcome: 'denied',
    reason: isId(raw) ? 'not_found' : 'invalid_id', details: { [field]: isId(raw) ? raw : auditableValue(raw) },
  });
  throw new AppError('not_found', field === 'guestId' ? 'No such guest.' : 'No such guest session.');
}

async function loadGuest(p: Principal, id: unknown, type: string): Promise<GuestRow> {
  const visible = visibleWhere(p);
  const row = isId(id) ? await prisma().guest.findFirst({ where: { AND: [visible, { id }] }, select: GUEST_COLUMNS }) : null;
  return row ?? notFound(p, type, 'guestId', id);
}

function sessionView(p: Principal, s: SessionRow, g: GuestRow, now: Date): GuestSessionView {
  const state = sessionState(s, g, now);
  return {
    id: s.id, guestId: s.guestId, shareId: s.shareId, shareTitle: s.share ? shareTitle(s.share) : null, ip: s.ip, country: s.country,
    device: s.device, userAgent: s.userAgent, browser: describeUserAgent(s.userAgent), authMethod: s.authMethod,
    createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, revokedAt: s.revokedAt, state,
    canRevoke: state === 'ACTIVE' && can(p, 'shares:write') && (isAdmin(p) || (s.share?.createdById != null && s.share.createdById === ownerId(p))),
  };
}

/** One guest the caller may see, with its shares. */
export async function getGuest(p: Principal, id: unknown): Promise<GuestView> {
  const g = await loadGuest(p, id, 'guest.read');
  return (await views(p, [g], new Date()))[0];
}

export const GUEST_SESSIONS_LIMIT = 200;

/** A guest's sessions, newest first (at most GUEST_SESSIONS_LIMIT), with device, browser and state. */
export async function listGuestSessions(p: Principal, guestId: unknown): Promise<GuestSessionView[]> {
  const g = await loadGuest(p, guestId, 'guest.read');
  const rows = await prisma().guestSession.findMany({ where: { guestId: g.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: GUEST_SESSIONS_LIMIT, select: SESSION_COLUMNS });
  const now = new Date();
  return rows.map((s) => sessionView(p, s, g, now));
}

const label = (g: { id: string; email: string | null }) => g.email ?? `guest ${g.id}`;

/** One audit event per share the action touched (so each share's access log shows it), or one for the guest. */
async function auditEach(tx: Tx, p: Principal, type: string, shareIds: (string | null)[], details: Record<string, unknown>, reason?: string | null) {
  const targets = shareIds.length ? [...new Set(shareIds)] : [null];
  for (const shareId of targets) await recordAudit({ orgId: p.orgId, type, actor: actorOf(p), request: p.request, shareId, reason: reason ?? null, details }, tx);
}

/** Ends one guest session at once: admins any, members those on shares they created. Ending an ended session changes nothing. */
export async function revokeGuestSession(p: Principal, id: unknown): Promise<GuestSessionView> {
  authorize(p, 'shares:write');
  const visible = visibleWhere(p);
  const s = isId(id) ? await prisma().guestSession.findFirst({ where: { id, guest: visible }, select: SESSION_COLUMNS }) : null;
  if (!s) return notFound(p, 'guest.session.revoke', 'sessionId', id);
  const g = (await prisma().guest.findFirst({ where: { id: s.guestId, orgId: p.orgId }, select: GUEST_COLUMNS }))!;
  if (!isAdmin(p) && !(s.share?.createdById != null && s.share.createdById === ownerId(p))) {
    throw new AppError('forbidden', 'Only an administrator or the owner of the share can end this session.');
  }
  if (!s.revokedAt) {
    await prisma().$transaction(async (tx) => {
      const r = await tx.guestSession.updateMany({ where: { id: s.id, revokedAt: null }, data: { revokedAt: new Date() } });
      if (r.count) await auditEach(tx, p, 'guest.session.revoke', [s.shareId], { guestId: g.id, guest: label(g), sessionId: s.id });
    });
    disconnectGuestSockets({ sessionIds: [s.id] });
    await notifyGuestRevoked(p.orgId, g, actorOf(p).label, 'session ended');
  }
  const after = await prisma().guestSession.findUniqueOrThrow({ where: { id: s.id }, select: SESSION_COLUMNS });
  return sessionView(p, after, g, new Date());
}

/**
 * Ends every session of a guest at once. Admins: the guest's revocation epoch moves on, so every
 * session and token issued before now dies, whichever share or portal it was for. Members: the live
 * sessions on shares they created.
 */
export async function revokeGuestSessions(p: Principal, guestId: unknown): Promise<{ guest: GuestView; revokedCount: number }> {
  authorize(p, 'shares:write');
  const g = await loadGuest(p, guestId, 'guest.sessions.revoke');
  const now = new Date();
  const shares = (await sharesOf(p, [g.id])).get(g.id) ?? [];
  if (!mayRevoke(p, shares)) throw new AppError('forbidden', 'Only an administrator or the owner of one of its shares can end this guest\'s sessions.');
  const all = isAdmin(p);
  const where: Prisma.GuestSessionWhereInput = { guestId: g.id, revokedAt: null, expiresAt: { gt: now }, ...(all ? {} : { share: { createdById: ownerId(p) } }) };
  const ended = await prisma().$transaction(async (tx) => {
    const live = await tx.guestSession.findMany({ where, select: { id: true, shareId: true } });
    await tx.guestSession.updateMany({ where: { id: { in: live.map((s) => s.id) } }, data: { revokedAt: now } });
    if (all) await tx.guest.update({ where: { id: g.id }, data: { revocationEpoch: { increment: 1 } } });
    await auditEach(tx, p, 'guest.sessions.revoke', live.map((s) => s.shareId), { guestId: g.id, guest: label(g), sessions: live.length, scope: all ? 'all' : 'own_shares' });
    return live;
  });
  disconnectGuestSockets({ sessionIds: ended.map((s) => s.id), guestId: all ? g.id : undefined });
  await notifyGuestRevoked(p.orgId, g, actorOf(p).label, 'all sessions ended');
  return { guest: await getGuest(p, g.id), revokedCount: ended.length };
}

/**
 * Disables a guest: no share or portal lets them in again until re-enabled, and every open session
 * ends now (the policy refuses guest_disabled). Disabling a disabled guest changes nothing.
 */
export async function disableGuest(p: Principal, guestId: unknown, rawReason?: unknown): Promise<GuestView> {
  authorize(p, 'shares:write');
  const parsed = rawReason == null ? null : reasonInput.safeParse(rawReason);
  if (parsed && !parsed.success) throw new AppError('validation_failed', 'reason: at most 500 characters of text.');
  const reason = parsed?.data || null;
  const g = await loadGuest(p, guestId, 'guest.disable');
  const shares = (await sharesOf(p, [g.id])).get(g.id) ?? [];
  if (!mayDisable(p, shares)) throw new AppError('forbidden', 'Disabling a guest locks them out of every share; only an administrator, or the owner of all of its shares, can do it.');
  if (g.disabledAt) return getGuest(p, g.id);
  const now = new Date();
  const ended = await prisma().$transaction(async (tx) => {
    const r = await tx.guest.updateMany({ where: { id: g.id, disabledAt: null }, data: { disabledAt: now, disabledReason: reason, revocationEpoch: { increment: 1 } } });
    if (!r.count) return null;
    const live = await tx.guestSession.findMany({ where: { guestId: g.id, revokedAt: null, expiresAt: { gt: now } }, select: { id: true } });
    await tx.guestSession.updateMany({ where: { id: { in: live.map((s) => s.id) } }, data: { revokedAt: now } });
    await auditEach(tx, p, 'guest.disable', shares.map((s) => s.id), { guestId: g.id, guest: label(g), sessions: live.length }, reason);
    return live;
  });
  if (ended) {
    disconnectGuestSockets({ sessionIds: ended.map((s) => s.id), guestId: g.id, reason: 'guest_disabled' });
    await notifyGuestRevoked(p.orgId, g, actorOf(p).label, reason ?? 'guest disabled');
  }
  return getGuest(p, g.id);
}

/** Lets a disabled guest in again (through the share's own conditions, with a new session). */
export async function enableGuest(p: Principal, guestId: unknown): Promise<GuestView> {
  authorize(p, 'shares:write');
  const g = await loadGuest(p, guestId, 'guest.enable');
  const shares = (await sharesOf(p, [g.id])).get(g.id) ?? [];
  if (!mayDisable(p, shares)) throw new AppError('forbidden', 'Only an administrator, or the owner of all of its shares, can enable this guest.');
  if (!g.disabledAt) return getGuest(p, g.id);
  await prisma().$transaction(async (tx) => {
    const r = await tx.guest.updateMany({ where: { id: g.id, disabledAt: { not: null } }, data: { disabledAt: null, disabledReason: null } });
    if (r.count) await auditEach(tx, p, 'guest.enable', shares.map((s) => s.id), { guestId: g.id, guest: label(g), wasDisabled: g.disabledAt?.toISOString() });
  });
  return getGuest(p, g.id);
}

/**
 * Gives a registered (or federated, email-verified) guest account a new expiry, within the
 * organisation's longest term for shares: the access-review "extend" action for guest accounts.
 * Administrators, or the owner of all of its shares. An anonymous link guest has no account to extend
 * and a disabled one must be enabled first. Audited as guest.extend (from, to) per share of the guest.
 */
export async function extendGuest(p: Principal, guestId: unknown, rawExpiresAt: unknown, rawReason?: unknown): Promise<GuestView> {
  authorize(p, 'shares:write');
  const expiresAt = z.coerce.date().safeParse(rawExpiresAt);
  if (!expiresAt.success) throw new AppError('validation_failed', 'expiresAt: a date and time.');
  const parsed = rawReason == null ? null : reasonInput.safeParse(rawReason);
  if (parsed && !parsed.success) throw new AppError('validation_failed', 'reason: at most 500 characters of text.');
  const g = await loadGuest(p, guestId, 'guest.extend');
  const shares = (await sharesOf(p, [g.id])).get(g.id) ?? [];
  if (!mayDisable(p, shares)) throw new AppError('forbidden', 'Only an administrator, or the owner of all of its shares, can change when this guest account expires.');
  if (g.kind === 'ANONYMOUS') throw new AppError('validation_failed', 'An anonymous link guest has no account to extend: extend its share instead.');
  if (g.disabledAt) throw new AppError('conflict', 'This guest account is disabled: enable it before extending it.');
  const now = new Date();
  const { maxShareDays } = await prisma().organization.findUniqueOrThrow({ where: { id: p.orgId }, select: { maxShareDays: true } });
  if (expiresAt.data.getTime() <= now.getTime()) throw new AppError('validation_failed', 'expiresAt: the expiry must be in the future.');
  if (expiresAt.data.getTime() > now.getTime() + maxShareDays * 86_400_000) throw new AppError('validation_failed', `expiresAt: your organisation allows access of at most ${maxShareDays} days.`);
  await prisma().$transaction(async (tx) => {
    const r = await tx.guest.updateMany({ where: { id: g.id, disabledAt: null }, data: { expiresAt: expiresAt.data } });
    if (!r.count) throw new AppError('conflict', 'This guest account was disabled meanwhile.');
    await auditEach(tx, p, 'guest.extend', shares.map((s) => s.id), { guestId: g.id, guest: label(g), from: g.expiresAt?.toISOString() ?? null, expiresAt: expiresAt.data.toISOString() }, parsed?.data || null);
  });
  return getGuest(p, g.id);
}
