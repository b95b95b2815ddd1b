import { DeviceStatus as DeviceStatusValues } from '../../generated/prisma/enums';
import { approveDevice, listDevices, revokeDevice, type DeviceView } from '../../devices/registry';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageComplexity, pageSize } from '../connection';
import { DateTime } from './scalars';

export const DeviceStatus = builder.enumType(DeviceStatusValues, {
  name: 'DeviceStatus',
  description: 'APPROVED: requests proved with this key are let through on device-bound grants. PENDING: registered, waiting for an owner or admin. REVOKED: refused from now on.',
});

const DeviceGuest = builder.objectRef<DeviceView['guest']>('DeviceGuest').implement({
  description: 'The guest a device belongs to. Query `guest(id:)` for the rest.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email', { nullable: true }),
    displayName: t.exposeString('displayName', { nullable: true }),
  }),
});

export const Device = builder.objectRef<DeviceView>('Device').implement({
  description: 'A guest browser\'s device key (ECDSA P-256, non-extractable). Device-bound grants need a proof of possession of an APPROVED key on every request.',
  fields: (t) => ({
    id: t.exposeID('id'),
    guestId: t.exposeID('guestId'),
    guest: t.field({ type: DeviceGuest, resolve: (d) => d.guest }),
    label: t.exposeString('label', { description: 'Browser and operating system when it registered, e.g. "Chrome 131 on macOS 10.15.7".' }),
    thumbprint: t.exposeString('thumbprint', { description: 'RFC 7638 SHA-256 thumbprint of the public key (base64url).' }),
    status: t.field({ type: DeviceStatus, resolve: (d) => d.status }),
    createdAt: t.field({ type: DateTime, resolve: (d) => d.createdAt }),
    lastUsedAt: t.field({ type: DateTime, nullable: true, description: 'Updated at most once a minute.', resolve: (d) => d.lastUsedAt }),
    decidedAt: t.field({ type: DateTime, nullable: true, resolve: (d) => d.decidedAt }),
    decidedBy: t.exposeString('decidedBy', { nullable: true, description: 'Staff email, "API key <name>", or "automatic (first device)".' }),
  }),
});

const DeviceConnection = connectionType('Device', Device, { totalCount: true });

builder.queryFields((t) => ({
  devices: t.field({
    type: DeviceConnection,
    description: 'Device keys of the guests you may see, newest first. Admins and auditors: every guest of the organisation; members: guests of shares they created.',
    authScopes: { 'shares:read': true, 'audit:read': true, admin: true },
    args: {
      status: t.arg({ type: DeviceStatus, required: false }),
      guestId: t.arg.id({ required: false }),
      ...pageArgs(t.arg, 200),
    },
    complexity: pageComplexity(50, 200),
    resolve: async (_r, a, ctx) => {
      const page = await listDevices(ctx.principal, {
        status: a.status ?? undefined, guestId: a.guestId ?? undefined, first: pageSize(a.first, 200), after: decodeIdCursor('device', a.after),
      });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (d) => encodeIdCursor('device', d.id), totalCount: page.totalCount };
    },
  }),
}));

builder.mutationFields((t) => ({
  approveDevice: t.field({
    type: Device,
    description: 'Lets a PENDING (or revoked) device in. Admins, or the owner of one of the guest\'s shares. Audited.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => approveDevice(ctx.principal, a.id),
  }),
  revokeDevice: t.field({
    type: Device,
    description: 'Refuses a device from now on and disconnects the guest\'s live sockets. Admins, or the owner of one of the guest\'s shares. Audited.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => revokeDevice(ctx.principal, a.id),
  }),
}));
