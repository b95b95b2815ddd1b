import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { createOrg } from '../helpers/factory';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider';
import { startSamlIdp, type SamlTestIdp } from '../helpers/saml-idp';

const BASE = 'http://liaison.test';
let oidc: OidcTestProvider;
let saml: SamlTestIdp;
const SECRET = 'partner-client-secret-0123456789abcdef';

beforeAll(async () => {
  process.env.LIAISON_SSO_ALLOW_HTTP = '1';
  oidc = await startOidcProvider([{ client_id: 'liaison', client_secret: SECRET, redirect_uris: [`${BASE}/sso/*`] }]);
  saml = await startSamlIdp();
});
afterAll(async () => { await oidc?.close(); await saml?.close(); delete process.env.LIAISON_SSO_ALLOW_HTTP; });

type Gql = { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
async function gql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<Gql> {
  const res = await handleGraphql(new Request(`${BASE}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.30', 'user-agent': 'vitest' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: Gql) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: 'sso tests', scopes, actor: null })).key;

const FIELDS = 'id name domains tlpCeiling lawEnforcement guestCount idp { id kind name enabled issuer clientId requireMfa redirectUri entityId ssoUrl acsUrl spMetadataUrl }';
const CREATE = `mutation($input: PartnerOrgInput!) { createPartnerOrg(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePartnerOrgInput!) { updatePartnerOrg(id: $id, input: $input) { ${FIELDS} } }`;

describe('partner organisations through GraphQL', () => {
  it('creates an OIDC partner (secret sealed, never returned) and shows its redirect URI', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id);
    const r = await gql(key, CREATE, { input: { name: 'Acme Forensics', domains: ['ACME.example', 'acme.example', 'bücher.example'], tlpCeiling: 'AMBER', oidc: { issuer: oidc.issuer, clientId: 'liaison', clientSecret: SECRET, requireMfa: true } } });
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data.createPartnerOrg;
    expect(p).toMatchObject({ name: 'Acme Forensics', domains: ['acme.example', 'xn--bcher-kva.example'], tlpCeiling: 'AMBER', lawEnforcement: false, guestCount: 0 });
    expect(p.idp).toMatchObject({ kind: 'OIDC', issuer: oidc.issuer, clientId: 'liaison', requireMfa: true, redirectUri: `${BASE}/sso/${p.idp.id}/callback`, acsUrl: null, spMetadataUrl: null });
    const stored = await prisma().identityProvider.findUniqueOrThrow({ where: { id: p.idp.id } });
    expect(JSON.stringify(stored.config)).not.toContain(SECRET);
    const ev = await prisma().auditEvent.findFirst({ where: { orgId: org.id, type: 'partner_org.create' } });
    expect(JSON.stringify(ev?.details)).not.toContain(SECRET);
  });

  it('creates a SAML partner from metadata and shows the ACS and SP metadata URLs; lists, updates and deletes', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id);
    const r = await gql(key, CREATE, { input: { name: 'Borealis Police', domains: ['borealis.example'], lawEnforcement: true, saml: { metadataXml: saml.metadataXml } } });
    const p = r.body.data.createPartnerOrg;
    expect(p.idp).toMatchObject({ kind: 'SAML', entityId: saml.entityId, ssoUrl: saml.ssoUrl, acsUrl: `${BASE}/sso/${p.idp.id}/acs`, spMetadataUrl: `${BASE}/sso/${p.idp.id}/metadata`, redirectUri: null });
    const list = await gql(key, `{ partnerOrgs { ${FIELDS} } }`);
    expect(list.body.data.partnerOrgs.map((x: { id: string }) => x.id)).toEqual([p.id]);
    // Switch to OIDC, remove the ceiling, change domains.
    const u = await gql(key, UPDATE, { id: p.id, input: { domains: ['borealis.example', 'police.borealis.example'], tlpCeiling: null, oidc: { issuer: oidc.issuer, clientId: 'liaison', clientSecret: SECRET } } });
    expect(u.body.errors).toBeUndefined();
    expect(u.body.data.updatePartnerOrg).toMatchObject({ domains: ['borealis.example', 'police.borealis.example'], tlpCeiling: null, idp: { id: p.idp.id, kind: 'OIDC' } });
    // Same client id, no secret: the stored one is kept.
    const keep = await gql(key, UPDATE, { id: p.id, input: { oidc: { issuer: oidc.issuer, clientId: 'liaison', requireMfa: true } } });
    expect(keep.body.data.updatePartnerOrg.idp.requireMfa).toBe(true);
    const d = await gql(key, 'mutation($id: ID!) { deletePartnerOrg(id: $id) { id } }', { id: p.id });
    expect(d.body.data.deletePartnerOrg.id).toBe(p.id);
    expect(await prisma().identityProvider.count({ where: { id: p.idp.id } })).toBe(0);
    const types = (await prisma().auditEvent.findMany({ where: { orgId: org.id, type: { startsWith: 'partner_org.' } }, orderBy: { seq: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(['partner_org.create', 'partner_org.update', 'partner_org.update', 'partner_org.delete']);
  });

  it('refuses bad input with a stable code and writes nothing', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'X', domains: ['not a domain'], saml: { metadataXml: saml.metadataXml } }, 'validation_failed'],
      [{ name: 'X', domains: [], saml: { metadataXml: saml.metadataXml } }, 'validation_failed'],
      [{ name: 'X', domains: ['x.example'] }, 'validation_failed'],
      [{ name: 'X', domains: ['x.example'], saml: { metadataXml: saml.metadataXml }, oidc: { issuer: oidc.issuer, clientId: 'liaison', clientSecret: SECRET } }, 'validation_failed'],
      [{ name: 'X', domains: ['x.example'], oidc: { issuer: 'ftp://idp.example', clientId: 'liaison', clientSecret: SECRET } }, 'validation_failed'],
      [{ name: 'X', domains: ['x.example'], oidc: { issuer: oidc.issuer, clientId: 'liaison' } }, 'validation_failed'],
      [{ name: 'X', domains: ['x.example'], saml: { metadataXml: '<EntityDescriptor/>' } }, 'validation_failed'],
      [{ name: '', domains: ['x.example'], saml: { metadataXml: saml.metadataXml } }, 'validation_failed'],
    ];
    for (const [input, expected] of cases) {
      const r = await gql(key, CREATE, { input });
      expect(code(r), JSON.stringify(input).slice(0, 120)).toBe(expected);
    }
    expect(await prisma().partnerOrg.count({ where: { orgId: org.id } })).toBe(0);
    // One domain, one partner.
    await gql(key, CREATE, { input: { name: 'First', domains: ['shared.example'], saml: { metadataXml: saml.metadataXml } } });
    expect(code(await gql(key, CREATE, { input: { name: 'Second', domains: ['SHARED.example'], saml: { metadataXml: saml.metadataXml } } }))).toBe('conflict');
    expect(await prisma().partnerOrg.count({ where: { orgId: org.id } })).toBe(1);
  });

  it('admins only; another organisation\'s partner is not found (audited)', async () => {
    const org = await createOrg();
    const other = await createOrg();
    const created = await gql(await keyFor(other.id), CREATE, { input: { name: 'Theirs', domains: ['theirs.example'], saml: { metadataXml: saml.metadataXml } } });
    const theirs = created.body.data.createPartnerOrg.id;
    const member = await keyFor(org.id, ['documents:read', 'shares:write']);
    expect(code(await gql(member, '{ partnerOrgs { id } }'))).toBe('insufficient_scope');
    const admin = await keyFor(org.id);
    expect(code(await gql(admin, UPDATE, { id: theirs, input: { name: 'Mine now' } }))).toBe('not_found');
    expect(code(await gql(admin, 'mutation($id: ID!) { deletePartnerOrg(id: $id) { id } }', { id: theirs }))).toBe('not_found');
    expect((await prisma().partnerOrg.findUniqueOrThrow({ where: { id: theirs } })).name).toBe('Theirs');
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'partner_org.update', outcome: 'denied', reason: 'not_found' } })).toBe(1);
  });

  it('the staff identity provider: set, read, replace settings, remove', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id);
    expect((await gql(key, '{ staffIdentityProvider { id } }')).body.data.staffIdentityProvider).toBeNull();
    const set = await gql(key, `mutation($input: StaffIdentityProviderInput!) { setStaffIdentityProvider(input: $input) { id kind name domains redirectUri acsUrl } }`,
      { input: { name: 'Harbour Entra ID', domains: ['harbour.example'], oidc: { issuer: oidc.issuer, clientId: 'liaison', clientSecret: SECRET } } });
    expect(set.body.errors).toBeUndefined();
    const idp = set.body.data.setStaffIdentityProvider;
    expect(idp).toMatchObject({ kind: 'OIDC', name: 'Harbour Entra ID', domains: ['harbour.example'], redirectUri: `${BASE}/sso/${idp.id}/callback` });
    const again = await gql(key, `mutation($input: StaffIdentityProviderInput!) { setStaffIdentityProvider(input: $input) { id kind acsUrl } }`,
      { input: { name: 'Harbour SAML', domains: ['harbour.example'], saml: { metadataXml: saml.metadataXml } } });
    expect(again.body.data.setStaffIdentityProvider).toMatchObject({ id: idp.id, kind: 'SAML', acsUrl: `${BASE}/sso/${idp.id}/acs` });
    const removed = await gql(key, 'mutation { removeStaffIdentityProvider { id } }');
    expect(removed.body.data.removeStaffIdentityProvider.id).toBe(idp.id);
    expect((await gql(key, '{ staffIdentityProvider { id } }')).body.data.staffIdentityProvider).toBeNull();
  });
});
