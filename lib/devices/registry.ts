import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';
import { DeviceStatus } from '../generated/prisma/enums';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit, type RequestFacts } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { after, invalidCursor } from '../db/keyset';
import { auditableValue, idSchema, isId } from '../http/ids';
import { guestsManageable, visibleWhere } from '../guest/admin';
import { disconnectGuestSockets } from '../realtime/guest-rooms';
import { describeUserAgent } from '../staff/user-agent';
import { jwkThumbprint, parsePublicJwk } from './keys';

/*
 * A guest's device keys. Trust on first use: the first key a guest registers is APPROVED at once, every
 * later one waits (PENDING) until an owner or admin approves it, and staff can revoke any of them.
 * Who may decide: the same people who may end the guest's sessions (lib/guest/admin.ts): admins for
 * every guest of the organisation, members for the guests of shares they created. Seeing follows
 * guest visibility (admins and auditors all, members their shares' guests). Nothing here decides
 * access: the policy refuses a request whose proof names a key that is not APPROVED.
 */

export const DEVICE_STATUSES = Object.values(DeviceStatus) as [DeviceStatus, ...DeviceStatus[]];

const DEVICE_COLUMNS = {
  id: true, guestId: true, orgId: true, thumbprint: true, label: true, status: true, decidedById: true, decidedAt: true,
  createdAt: true, lastUsedAt: true, guest: { select: { id: true, email: true, displayName: true } },
} satisfies Prisma.GuestDeviceSelect;
type DeviceRow = Prisma.GuestDeviceGetPayload<{ select: typeof DEVICE_COLUMNS }>;

export interface DeviceView {
  id: string; guestId: string; guest: { id: string; email: string | null; displayName: string | null };
  label: string; thumbprint: string; status: DeviceStatus; createdAt: Date; lastUsedAt: Date | null; decidedAt: Date | null;
  /** Who approved or revoked it: a staff member's email, an API key's name, or "automatic (first device)". */
  decidedBy: string | null;
  /** Whether the caller may approve or revoke it. */
  canDecide: boolean;
}

const guestLabel = (g: { id: string; email: string | null }) => g.email ?? `guest ${g.id}`;
const MAX_LABEL = 120;

/** The registering request: the device's label comes from its User-Agent unless one is given. */
export interface RegisterDeviceInput {
  guestId: string; orgId: string; jwk: unknown; label?: string | null; userAgent?: string | null; request?: RequestFacts;
}

/**
 * Registers the key a guest's browser presents (call it in the request that opens the session, so a
 * copied token can never add a key later). Idempotent per guest and thumbprint: the same key again
 * returns its row unchanged, whatever its status. The guest's first device ever is APPROVED; later
 * ones are PENDING, including after the first was revoked. Throws validation_failed for a key that is
 * not a public P-256 JWK (a private one included).
 */
export async function registerDevice(input: RegisterDeviceInput) {
  const key = parsePublicJwk(input.jwk);
  if (!key.ok) throw new AppError('validation_failed', key.reason === 'private_key' ? 'The device key must be a public key.' : 'The device key must be a public ECDSA P-256 JWK.');
  const thumbprint = await jwkThumbprint(key.jwk);
  const where = { guestId_thumbprint: { guestId: input.guestId, thumbprint } };
  const existing = await prisma().guestDevice.findUnique({ where });
  if (existing) return existing;
  const label = (input.label?.trim() || describeUserAgent(input.userAgent ?? input.request?.userAgent).label).replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, MAX_LABEL);
  try {
    return await prisma().$transaction(async (tx) => {
      // Row lock on the guest: two keys registered at the same moment cannot both be "the first".
      const guests = await tx.$queryRaw<{ id: string; email: string | null }[]>`SELECT id, email FROM "Guest" WHERE id = ${input.guestId} AND "orgId" = ${input.orgId} FOR UPDATE`;
      const guest = guests[0];
      if (!guest) throw new AppError('not_found', 'No such guest.');
      const first = (await tx.guestDevice.count({ where: { guestId: guest.id } })) === 0;
      const row = await tx.guestDevice.create({
        data: {
          guestId: guest.id, orgId: input.orgId, thumbprint, publicJwk: { ...key.jwk }, label,
          status: first ? 'APPROVED' : 'PENDING', decidedAt: first ? new Date() : null,
        },
      });
      await recordAudit({
        orgId: input.orgId, type: 'guest.device.register', actor: { type: 'guest', id: guest.id, label: guestLabel(guest) }, request: input.request,
        details: { guestId: guest.id, deviceId: row.id, thumbprint, label, status: row.status, firstDevice: first },
      }, tx);
      return row;
    });
  } catch (e) {
    // The same key registered twice at once: the other request made the row.
    if ((e as { code?: unknown }).code === 'P2002') {
      const row = await prisma().guestDevice.findUnique({ where });
      if (row) return row;
    }
    throw e;
  }
}

/** Marks a device used now, at most once a minute (proofs come with every request; the column is for people). */
export async function touchDevice(id: string, now = new Date()): Promise<void> {
  await prisma().guestDevice.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
}

/** Names of the deciders (staff emails, API key names), in two queries for a whole page. */
async function deciderNames(orgId: string, rows: DeviceRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.decidedById).filter((x): x is string => x != null))];
  if (!ids.length) return new Map();
  const [staff, keys] = await Promise.all([
    prisma().staffUser.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, email: true } }),
    prisma().apiKey.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, name: true } }),
  ]);
  return new Map([...staff.map((s) => [s.id, s.email] as const), ...keys.map((k) => [k.id, `API key ${k.name}`] as const)]);
}

async function views(p: Principal, rows: DeviceRow[]): Promise<DeviceView[]> {
  const [names, manageable] = await Promise.all([deciderNames(p.orgId, rows), guestsManageable(p, [...new Set(rows.map((r) => r.guestId))])]);
  return rows.map((r) => ({
    id: r.id, guestId: r.guestId, guest: r.guest, label: r.label, thumbprint: r.thumbprint, status: r.status,
    createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, decidedAt: r.decidedAt,
    decidedBy: r.decidedById ? names.get(r.decidedById) ?? 'a former staff member' : r.decidedAt ? 'automatic (first device)' : null,
    canDecide: manageable.has(r.guestId),
  }));
}

export const listDevicesInput = z.object({
  guestId: idSchema.optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  first: z.coerce.number().int().min(1).max(200).default(50),
  after: idSchema.optional(),
});

export interface DevicePage { nodes: DeviceView[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }

/** Devices of the guests the caller may see, newest first; filter by guest and status. */
export async function listDevices(p: Principal, raw: unknown = {}): Promise<DevicePage> {
  const visible = visibleWhere(p);
  const q = listDevicesInput.parse(raw ?? {});
  const filters: Prisma.GuestDeviceWhereInput[] = [
    { orgId: p.orgId, guest: visible }, ...(q.guestId ? [{ guestId: q.guestId }] : []), ...(q.status ? [{ status: q.status }] : []),
  ];
  const position = q.after ? await prisma().guestDevice.findFirst({ where: { AND: [filters[0], { id: q.after }] }, select: { id: true, createdAt: true } }) : null;
  if (q.after && !position) throw invalidCursor();
  const rows = await prisma().guestDevice.findMany({
    where: { AND: [...filters, ...(position ? [after(position)] : [])] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.first + 1, select: DEVICE_COLUMNS,
  });
  const nodes = await views(p, rows.slice(0, q.first));
  return { nodes, hasNextPage: rows.length > q.first, endCursor: nodes.at(-1)?.id ?? null, totalCount: () => prisma().guestDevice.count({ where: { AND: filters } }) };
}

/** How many devices wait for a decision the caller can see (the console's notice on /guests). */
export async function countPendingDevices(p: Principal): Promise<number> {
  return prisma().guestDevice.count({ where: { orgId: p.orgId, status: 'PENDING', guest: visibleWhere(p) } });
}

async function decide(p: Principal, rawId: unknown, to: 'APPROVED' | 'REVOKED'): Promise<DeviceView> {
  const type = to === 'APPROVED' ? 'guest.device.approve' : 'guest.device.revoke';
  authorize(p, 'shares:write');
  const row = isId(rawId) ? await prisma().guestDevice.findFirst({ where: { id: rawId, orgId: p.orgId, guest: visibleWhere(p) }, select: DEVICE_COLUMNS }) : null;
  if (!row) {
    // Another organisation's device, a colleague's guest's, or no such id: not_found, recorded in the caller's own trail.
    await recordAudit({
      orgId: p.orgId, type, actor: actorOf(p), request: p.request, outcome: 'denied',
      reason: isId(rawId) ? 'not_found' : 'invalid_id', details: { deviceId: isId(rawId) ? rawId : auditableValue(rawId) },
    });
    throw new AppError('not_found', 'No such device.');
  }
  if (!(await guestsManageable(p, [row.guestId])).has(row.guestId)) {
    throw new AppError('forbidden', 'Only an administrator or the owner of one of this guest\'s shares can decide on its devices.');
  }
  if (row.status !== to) {
    const decider = p.kind === 'staff' ? p.userId : p.keyId;
    await prisma().$transaction(async (tx) => {
      const r = await tx.guestDevice.updateMany({ where: { id: row.id, status: row.status }, data: { status: to, decidedById: decider, decidedAt: new Date() } });
      if (r.count) {
        await recordAudit({
          orgId: p.orgId, type, actor: actorOf(p), request: p.request,
          details: { guestId: row.guestId, guest: guestLabel(row.guest), deviceId: row.id, thumbprint: row.thumbprint, label: row.label, from: row.status, status: to },
        }, tx);
      }
    });
    // Sockets opened with the key keep no proof after the handshake: cut them, the next one must prove again.
    if (to === 'REVOKED') disconnectGuestSockets({ guestId: row.guestId, reason: 'device_denied' });
  }
  const fresh = await prisma().guestDevice.findUniqueOrThrow({ where: { id: row.id }, select: DEVICE_COLUMNS });
  return (await views(p, [fresh]))[0];
}

/** Lets a PENDING (or previously revoked) device in. Approving an approved device changes nothing. */
export const approveDevice = (p: Principal, id: unknown) => decide(p, id, 'APPROVED');

/** Refuses a device from now on (also how a pending device is declined) and cuts the guest's live sockets. */
export const revokeDevice = (p: Principal, id: unknown) => decide(p, id, 'REVOKED');
