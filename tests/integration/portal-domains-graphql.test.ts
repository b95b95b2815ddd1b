/* Custom domains through GraphQL (POST /api/graphql), with a real DNS server for the TXT check. */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { createOrg } from '../helpers/factory';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
  process.env.LIAISON_DNS_SERVERS = dns.address;
});
afterAll(async () => {
  delete process.env.LIAISON_DNS_SERVERS;
  await dns?.close();
});

type Gql = { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
async function gql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<Gql> {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.31', 'user-agent': 'vitest' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: Gql) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: 'domains', scopes, actor: null })).key;
const uid = () => crypto.randomBytes(4).toString('hex');

const FIELDS = 'id hostname verified status txtName txtValue verifiedAt lastCheckedAt lastError';
const ADD = `mutation($portalId: ID!, $hostname: String!) { addPortalDomain(portalId: $portalId, hostname: $hostname) { ${FIELDS} } }`;
const VERIFY = `mutation($id: ID!) { verifyPortalDomain(id: $id) { ${FIELDS} } }`;
const REMOVE = 'mutation($id: ID!) { removePortalDomain(id: $id) }';
const LIST = `query($portalId: ID!) { portalDomains(portalId: $portalId) { ${FIELDS} } }`;

async function orgWithPortal() {
  const org = await createOrg();
  const portal = await prisma().portal.create({ data: { orgId: org.id, name: 'Portal', slug: `g-${uid()}` } });
  return { org, portal, key: await keyFor(org.id) };
}

describe('portal domains through GraphQL', () => {
  it('adds a domain, shows its TXT record, verifies it against DNS, lists and removes it', async () => {
    const { portal, key } = await orgWithPortal();
    const hostname = `gql-${uid()}.example.test`;
    const add = await gql(key, ADD, { portalId: portal.id, hostname });
    expect(add.body.errors).toBeUndefined();
    const d = add.body.data.addPortalDomain;
    expect(d).toMatchObject({ hostname, verified: false, status: 'PENDING', txtName: `_liaison-challenge.${hostname}`, verifiedAt: null, lastCheckedAt: null });
    expect(d.txtValue).toMatch(/^liaison-site-verification=/);

    const miss = await gql(key, VERIFY, { id: d.id });
    expect(miss.body.data.verifyPortalDomain).toMatchObject({ verified: false, lastError: expect.stringMatching(/NXDOMAIN/) });
    dns.setTxt(d.txtName, [d.txtValue]);
    const ok = await gql(key, VERIFY, { id: d.id });
    expect(ok.body.data.verifyPortalDomain).toMatchObject({ verified: true, status: 'VERIFIED', lastError: null });
    expect(Date.parse(ok.body.data.verifyPortalDomain.verifiedAt)).toBeGreaterThan(0);

    expect((await gql(key, LIST, { portalId: portal.id })).body.data.portalDomains.map((x: { id: string }) => x.id)).toEqual([d.id]);
    expect((await gql(key, REMOVE, { id: d.id })).body.data.removePortalDomain).toBe(true);
    expect((await gql(key, LIST, { portalId: portal.id })).body.data.portalDomains).toEqual([]);
  });

  it('answers validation_failed for a bad host name, with the reason', async () => {
    const { portal, key } = await orgWithPortal();
    const r = await gql(key, ADD, { portalId: portal.id, hostname: '10.0.0.1' });
    expect(code(r)).toBe('validation_failed');
    expect(r.body.errors?.[0].message).toMatch(/IP address/);
  });

  it('lets nobody outside the portal’s organisation, and no key without the admin scope, add, verify, list or remove', async () => {
    const mine = await orgWithPortal();
    const d = (await gql(mine.key, ADD, { portalId: mine.portal.id, hostname: `own-${uid()}.example.test` })).body.data.addPortalDomain;
    dns.setTxt(d.txtName, [d.txtValue]);

    const other = await orgWithPortal();
    const foreignAdd = await gql(other.key, ADD, { portalId: mine.portal.id, hostname: `steal-${uid()}.example.test` });
    expect(code(foreignAdd)).toBe('not_found');
    expect(code(await gql(other.key, VERIFY, { id: d.id }))).toBe('not_found');
    expect(code(await gql(other.key, REMOVE, { id: d.id }))).toBe('not_found');
    expect(code(await gql(other.key, LIST, { portalId: mine.portal.id }))).toBe('not_found');

    const memberKey = await keyFor(mine.org.id, ['documents:read', 'documents:write', 'shares:read', 'shares:write']);
    const noScope = await gql(memberKey, VERIFY, { id: d.id });
    expect(noScope.status).toBe(403);
    expect(code(noScope)).toBe('insufficient_scope');
    expect(code(await gql(memberKey, ADD, { portalId: mine.portal.id, hostname: `member-${uid()}.example.test` }))).toBe('insufficient_scope');

    const stored = await prisma().portalDomain.findMany({ where: { portalId: mine.portal.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0].verifiedAt).toBeNull();
  });
});
