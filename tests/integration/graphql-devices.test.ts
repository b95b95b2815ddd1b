import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { registerDevice } from '../../lib/devices/registry';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { createDocument } from '../../lib/documents/service';
import { nodeDevice } from '../helpers/dpop';

interface GqlResult { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }

async function gql(query: string, key: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.32', 'user-agent': 'vitest-graphql-devices' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: `test ${scopes?.join('+') ?? 'all'}`, scopes, actor: null })).key;

const DEVICES = `query($status: DeviceStatus, $guestId: ID, $first: Int, $after: String) {
  devices(status: $status, guestId: $guestId, first: $first, after: $after) {
    nodes { id guestId guest { id email } label thumbprint status createdAt lastUsedAt decidedAt decidedBy }
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;
const APPROVE = `mutation($id: ID!) { approveDevice(id: $id) { id status decidedAt decidedBy } }`;
const REVOKE = `mutation($id: ID!) { revokeDevice(id: $id) { id status decidedAt } }`;

describe('graphql: devices', () => {
  let orgId: string;
  let adminKey: string;
  let guestId: string;
  let pendingId: string;

  beforeAll(async () => {
    const org = await createOrg();
    orgId = org.id;
    adminKey = await keyFor(org.id);
    const guest = await prisma().guest.create({ data: { orgId, kind: 'EMAIL_VERIFIED', email: 'counsel@partner.example' } });
    guestId = guest.id;
    await registerDevice({ guestId, orgId, jwk: (await nodeDevice()).jwk, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0' });
    pendingId = (await registerDevice({ guestId, orgId, jwk: (await nodeDevice()).jwk })).id;
  });

  it('lists devices as a connection, filtered by status and guest', async () => {
    const all = await gql(DEVICES, adminKey, { guestId });
    expect(all.body.errors).toBeUndefined();
    const c = all.body.data.devices;
    expect(c.totalCount).toBe(2);
    expect(c.nodes.map((d: { status: string }) => d.status)).toEqual(['PENDING', 'APPROVED']);
    expect(c.nodes[1]).toMatchObject({ guestId, guest: { id: guestId, email: 'counsel@partner.example' }, label: 'Firefox 121 on Linux', decidedBy: 'automatic (first device)' });
    expect(c.nodes[1].thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c.edges).toHaveLength(2);
    const pending = await gql(DEVICES, adminKey, { status: 'PENDING', first: 1 });
    expect(pending.body.data.devices.nodes.map((d: { id: string }) => d.id)).toEqual([pendingId]);
    const page2 = await gql(DEVICES, adminKey, { guestId, first: 1, after: c.pageInfo.endCursor ?? all.body.data.devices.edges[0].cursor });
    expect(page2.body.errors).toBeUndefined();
  });

  it('approves and revokes, audited, and refuses keys without the scope and other organisations', async () => {
    const readOnly = await keyFor(orgId, ['shares:read']);
    expect(code(await gql(APPROVE, readOnly, { id: pendingId }))).toBe('insufficient_scope');
    const outsider = await keyFor((await createOrg()).id);
    expect(code(await gql(APPROVE, outsider, { id: pendingId }))).toBe('not_found');
    expect((await gql(DEVICES, outsider, { guestId })).body.data.devices.nodes).toEqual([]);

    const approved = await gql(APPROVE, adminKey, { id: pendingId });
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.approveDevice).toMatchObject({ id: pendingId, status: 'APPROVED' });
    expect(approved.body.data.approveDevice.decidedBy).toMatch(/^API key /);
    const revoked = await gql(REVOKE, adminKey, { id: pendingId });
    expect(revoked.body.data.revokeDevice.status).toBe('REVOKED');
    const types = (await prisma().auditEvent.findMany({ where: { orgId, type: { startsWith: 'guest.device.' } }, orderBy: { seq: 'asc' } })).map((e) => `${e.type}:${e.outcome}`);
    expect(types).toEqual(['guest.device.register:success', 'guest.device.register:success', 'guest.device.approve:success', 'guest.device.revoke:success']);
    expect(code(await gql(REVOKE, adminKey, { id: 'no\u0000such' }))).toBe('not_found');
  });

  it('requireDevice on shares: create, read, update; null refused on update', async () => {
    const staff = await createStaff(orgId, 'ADMIN');
    const doc = await createDocument(staff.principal, fileFrom(tinyPdf('x'), 'x.pdf', 'application/pdf'), { title: 'X', tlp: 'AMBER' }, 1e7);
    const created = await gql(`mutation($input: CreateShareInput!) { createShare(input: $input) { share { id requireDevice } } }`, adminKey, { input: { documentIds: [doc.id], requireDevice: true } });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createShare.share.id;
    expect(created.body.data.createShare.share.requireDevice).toBe(true);
    const plain = await gql(`mutation($input: CreateShareInput!) { createShare(input: $input) { share { requireDevice } } }`, adminKey, { input: { documentIds: [doc.id] } });
    expect(plain.body.data.createShare.share.requireDevice).toBe(false);
    const UPDATE = `mutation($id: ID!, $input: UpdateShareInput!) { updateShare(id: $id, input: $input) { id requireDevice } }`;
    expect((await gql(UPDATE, adminKey, { id, input: { requireDevice: false } })).body.data.updateShare.requireDevice).toBe(false);
    expect(code(await gql(UPDATE, adminKey, { id, input: { requireDevice: null } }))).toBe('validation_failed');
    const read = await gql(`query($id: ID!) { share(id: $id) { requireDevice } }`, adminKey, { id });
    expect(read.body.data.share.requireDevice).toBe(false);
    const events = await prisma().auditEvent.findMany({ where: { orgId, shareId: id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.details)).toEqual([expect.objectContaining({ requireDevice: true }), expect.objectContaining({ changed: ['requireDevice'], requireDevice: false })]);
  });
});
