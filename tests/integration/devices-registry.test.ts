import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import type { Principal } from '../../lib/auth/principal';
import { AppError } from '../../lib/errors';
import { approveDevice, countPendingDevices, listDevices, registerDevice, revokeDevice, touchDevice } from '../../lib/devices/registry';
import { jwkThumbprint } from '../../lib/devices/keys';
import { apiKeyPrincipal, createOrg, createStaff } from '../helpers/factory';
import { apiToken, sharedPdf } from '../helpers/guest';
import { nodeDevice } from '../helpers/dpop';

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};
const events = (orgId: string, type: string) => prisma().auditEvent.findMany({ where: { orgId, type }, orderBy: { seq: 'asc' } });

/** A guest that opened a session on a share (so the share's owner may manage it), through the real guest API. */
async function guestOf(url: string) {
  const token = await apiToken(url);
  const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
  return (await prisma().guestSession.findUniqueOrThrow({ where: { id: sid } })).guestId;
}

// Stands in for the socket.io server lib/realtime/server.ts installs, to see which rooms revocation cuts.
const io = globalThis as unknown as { __liaisonIo?: unknown };
function fakeIo() {
  const cut: string[][] = [];
  io.__liaisonIo = { in: (rooms: string[]) => ({ emit: () => true, disconnectSockets: () => { cut.push(rooms); } }) };
  return cut;
}

describe('device registry', () => {
  let ctx: Awaited<ReturnType<typeof sharedPdf>>;
  let admin: Awaited<ReturnType<typeof createStaff>>;
  let auditor: Awaited<ReturnType<typeof createStaff>>;
  let colleague: Awaited<ReturnType<typeof createStaff>>;
  let guestId: string;

  beforeAll(async () => {
    ctx = await sharedPdf();
    admin = await createStaff(ctx.org.id, 'ADMIN');
    auditor = await createStaff(ctx.org.id, 'AUDITOR');
    colleague = await createStaff(ctx.org.id, 'MEMBER');
    guestId = await guestOf(ctx.url);
  });
  afterEach(() => { delete io.__liaisonIo; });

  it('approves the first device on first use, keeps later ones pending, and is idempotent per key', async () => {
    const first = await nodeDevice();
    const second = await nodeDevice();
    const a = await registerDevice({ guestId, orgId: ctx.org.id, jwk: first.jwk, userAgent: CHROME, request: { ip: '198.51.100.4', userAgent: CHROME } });
    expect(a.status).toBe('APPROVED');
    expect(a.label).toBe('Chrome 131 on macOS 10.15.7');
    expect(a.thumbprint).toBe(await jwkThumbprint(first.jwk));
    expect(a.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: first.jwk.x, y: first.jwk.y });
    const b = await registerDevice({ guestId, orgId: ctx.org.id, jwk: second.jwk, userAgent: FIREFOX });
    expect(b.status).toBe('PENDING');
    expect(b.label).toBe('Firefox 121 on Linux');
    const again = await registerDevice({ guestId, orgId: ctx.org.id, jwk: { ...second.jwk, kid: 'other members do not matter' }, userAgent: CHROME });
    expect(again.id).toBe(b.id);
    expect(await prisma().guestDevice.count({ where: { guestId } })).toBe(2);

    const registered = await events(ctx.org.id, 'guest.device.register');
    expect(registered.map((e) => [e.actorType, e.actorId, (e.details as { status: string }).status])).toEqual([['guest', guestId, 'APPROVED'], ['guest', guestId, 'PENDING']]);
    expect(registered[0].ip).toBe('198.51.100.4');
  });

  it('refuses a private or malformed key, and a guest of another organisation', async () => {
    const d = await nodeDevice();
    expect(await codeOf(registerDevice({ guestId, orgId: ctx.org.id, jwk: d.privateJwk }))).toBe('validation_failed');
    expect(await codeOf(registerDevice({ guestId, orgId: ctx.org.id, jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' } }))).toBe('validation_failed');
    const other = await createOrg();
    expect(await codeOf(registerDevice({ guestId, orgId: other.id, jwk: d.jwk }))).toBe('not_found');
  });

  it('approves only one of two keys registered at the same moment as the first device', async () => {
    const g = await prisma().guest.create({ data: { orgId: ctx.org.id, kind: 'ANONYMOUS' } });
    const keys = await Promise.all([nodeDevice(), nodeDevice(), nodeDevice()]);
    const rows = await Promise.all(keys.map((k) => registerDevice({ guestId: g.id, orgId: ctx.org.id, jwk: k.jwk })));
    expect(rows.map((r) => r.status).sort()).toEqual(['APPROVED', 'PENDING', 'PENDING']);
  });

  it('lists devices with filters for those who may see the guest, and counts pending ones', async () => {
    const all = await listDevices(admin.principal, { guestId });
    expect(all.nodes.map((d) => d.status)).toEqual(['PENDING', 'APPROVED']);
    expect(all.nodes[1].decidedBy).toBe('automatic (first device)');
    expect(all.nodes.every((d) => d.canDecide)).toBe(true);
    const pending = await listDevices(ctx.principal, { status: 'PENDING' });
    expect(pending.nodes.map((d) => d.guestId)).toEqual([guestId]);
    expect(pending.nodes[0].canDecide).toBe(true);
    expect(await countPendingDevices(admin.principal)).toBeGreaterThanOrEqual(1);
    // Auditors see but may not decide; a member sees only the guests of their own shares.
    const seen = await listDevices(auditor.principal, { guestId });
    expect(seen.nodes).toHaveLength(2);
    expect(seen.nodes.some((d) => d.canDecide)).toBe(false);
    expect((await listDevices(colleague.principal, { guestId })).nodes).toEqual([]);
    expect(await countPendingDevices(colleague.principal)).toBe(0);
    const page1 = await listDevices(admin.principal, { guestId, first: 1 });
    const page2 = await listDevices(admin.principal, { guestId, first: 1, after: page1.endCursor! });
    expect(page1.hasNextPage).toBe(true);
    expect(page2.nodes[0].id).not.toBe(page1.nodes[0].id);
    expect(await page1.totalCount()).toBe(2);
  });

  it('the share owner approves a pending device and revokes one; both audited; revoking cuts the guest\'s sockets', async () => {
    const cut = fakeIo();
    const pending = (await listDevices(ctx.principal, { guestId, status: 'PENDING' })).nodes[0];
    const approved = await approveDevice(ctx.principal, pending.id);
    expect(approved.status).toBe('APPROVED');
    expect(approved.decidedBy).toBe(ctx.principal.kind === 'staff' ? ctx.principal.email : '');
    expect(approved.decidedAt).not.toBeNull();
    expect(cut).toEqual([]);
    // Approving again changes nothing and records nothing.
    await approveDevice(ctx.principal, pending.id);
    expect(await events(ctx.org.id, 'guest.device.approve')).toHaveLength(1);

    const revoked = await revokeDevice(admin.principal, pending.id);
    expect(revoked.status).toBe('REVOKED');
    expect(revoked.decidedBy).toBe(admin.user.email);
    expect(cut).toEqual([[`guest:${guestId}`]]);
    const [approveEvent] = await events(ctx.org.id, 'guest.device.approve');
    const [revokeEvent] = await events(ctx.org.id, 'guest.device.revoke');
    expect(approveEvent.actorId).toBe(ctx.principal.kind === 'staff' ? ctx.principal.userId : null);
    expect(approveEvent.details).toMatchObject({ guestId, deviceId: pending.id, from: 'PENDING', status: 'APPROVED' });
    expect(revokeEvent.actorId).toBe(admin.user.id);
    expect(revokeEvent.details).toMatchObject({ deviceId: pending.id, from: 'APPROVED', status: 'REVOKED', thumbprint: pending.thumbprint });
  });

  it('a revoked device re-registering stays revoked; the next new key is pending', async () => {
    const revoked = (await listDevices(admin.principal, { guestId, status: 'REVOKED' })).nodes[0];
    const row = await prisma().guestDevice.findUniqueOrThrow({ where: { id: revoked.id } });
    expect((await registerDevice({ guestId, orgId: ctx.org.id, jwk: row.publicJwk })).status).toBe('REVOKED');
    expect((await registerDevice({ guestId, orgId: ctx.org.id, jwk: (await nodeDevice()).jwk })).status).toBe('PENDING');
  });

  it('refuses staff of another organisation, colleagues, auditors and read-only keys', async () => {
    const device = (await listDevices(admin.principal, { guestId, status: 'PENDING' })).nodes[0];
    const otherOrg = await createOrg();
    const outsider = await createStaff(otherOrg.id, 'ADMIN');
    expect(await codeOf(approveDevice(outsider.principal, device.id))).toBe('not_found');
    expect(await codeOf(revokeDevice(outsider.principal, device.id))).toBe('not_found');
    expect((await listDevices(outsider.principal, { guestId })).nodes).toEqual([]);
    expect(await codeOf(approveDevice(colleague.principal, device.id))).toBe('not_found');
    expect(await codeOf(approveDevice(auditor.principal, device.id))).toBe('forbidden');
    expect(await codeOf(approveDevice(apiKeyPrincipal(ctx.org.id, ['shares:read']), device.id))).toBe('insufficient_scope');
    expect(await codeOf(approveDevice(admin.principal, '../../etc'))).toBe('not_found');
    expect((await prisma().guestDevice.findUniqueOrThrow({ where: { id: device.id } })).status).toBe('PENDING');
    const denied = await prisma().auditEvent.findMany({ where: { orgId: otherOrg.id, type: 'guest.device.approve', outcome: 'denied' } });
    expect(denied.map((e) => e.reason)).toEqual(['not_found']);
    // A key with admin scope decides, and is named as the decider.
    const key = await issueApiKey({ orgId: ctx.org.id, name: 'ops', scopes: ['admin', 'shares:write'], actor: null });
    const byKey = await approveDevice({ ...(apiKeyPrincipal(ctx.org.id, ['admin', 'shares:write']) as Extract<Principal, { kind: 'apikey' }>), keyId: key.id }, device.id);
    expect(byKey.decidedBy).toBe('API key ops');
  });

  it('touchDevice writes lastUsedAt at most once a minute', async () => {
    const d = (await listDevices(admin.principal, { guestId })).nodes[0];
    const t0 = new Date('2030-01-01T00:00:00Z');
    await prisma().guestDevice.update({ where: { id: d.id }, data: { lastUsedAt: null } });
    await touchDevice(d.id, t0);
    await touchDevice(d.id, new Date(t0.getTime() + 30_000));
    expect((await prisma().guestDevice.findUniqueOrThrow({ where: { id: d.id } })).lastUsedAt).toEqual(t0);
    await touchDevice(d.id, new Date(t0.getTime() + 61_000));
    expect((await prisma().guestDevice.findUniqueOrThrow({ where: { id: d.id } })).lastUsedAt).toEqual(new Date(t0.getTime() + 61_000));
  });
});
