import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { createDocument } from '../../lib/documents/service';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

interface GqlResult { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }

async function gql(query: string, key: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${key}`, 'user-agent': 'vitest-graphql-portals' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: 'portals', scopes, actor: null })).key;
const slug = () => `gql-${crypto.randomBytes(4).toString('hex')}`;

const PORTAL = 'id slug name primaryColor accentColor welcome footer supportEmail logoUrl url archived createdAt sections { id name documents { id title } } grants { id status }';
const CREATE = `mutation($input: CreatePortalInput!) { createPortal(input: $input) { ${PORTAL} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePortalInput!) { updatePortal(id: $id, input: $input) { ${PORTAL} } }`;
const SECTION = 'mutation($portalId: ID!, $name: String!) { createPortalSection(portalId: $portalId, name: $name) { id name position } }';
const ADD = 'mutation($sectionId: ID!, $documentIds: [ID!]!) { addDocumentsToSection(sectionId: $sectionId, documentIds: $documentIds) { id name documents { id title tlp } } }';
const GRANT = `mutation($portalId: ID!, $input: PortalGrantInput!) { grantPortalAccess(portalId: $portalId, input: $input) {
  id status emails domains partnerOrgId groups allSections sections { id name } permission allowDownload allowPrint watermark expiresAt termsVersionId requireDevice } }`;
const REVOKE = 'mutation($id: ID!) { revokePortalAccess(id: $id) { id status revokedAt } }';

async function setup() {
  const org = await createOrg();
  const { principal } = await createStaff(org.id, 'MEMBER');
  const doc = await createDocument(principal, fileFrom(tinyPdf('Brief'), 'brief.pdf', 'application/pdf'), { title: 'Brief', tlp: 'GREEN' }, 10_000_000);
  return { org, p: principal, doc, key: await keyFor(org.id) };
}

describe('graphql: portals', () => {
  it('creates a portal, a section with a document and a grant, lists them, and revokes the grant', async () => {
    const { doc, key } = await setup();
    const s = slug();
    const created = await gql(CREATE, key, { input: { slug: s, name: 'Counsel', primaryColor: '#0B3D2E', accentColor: '#1d4ed8', welcome: 'Hello', footer: 'Legal', supportEmail: 'help@firm.example' } });
    expect(created.body.errors).toBeUndefined();
    const portal = created.body.data.createPortal;
    expect(portal).toMatchObject({ slug: s, name: 'Counsel', primaryColor: '#0b3d2e', logoUrl: null, url: `http://liaison.test/p/${s}`, archived: false, sections: [], grants: [] });

    const section = (await gql(SECTION, key, { portalId: portal.id, name: 'Pleadings' })).body.data.createPortalSection;
    expect(section).toMatchObject({ name: 'Pleadings', position: 0 });
    const added = await gql(ADD, key, { sectionId: section.id, documentIds: [doc.id, doc.id] });
    expect(added.body.data.addDocumentsToSection.documents).toEqual([{ id: doc.id, title: 'Brief', tlp: 'GREEN' }]);

    const granted = await gql(GRANT, key, { portalId: portal.id, input: { emails: ['Counsel@Firm.Example'], sectionIds: [section.id], requireDevice: true, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(granted.body.errors).toBeUndefined();
    const grant = granted.body.data.grantPortalAccess;
    expect(grant).toMatchObject({ status: 'ACTIVE', emails: ['counsel@firm.example'], allSections: false, sections: [{ id: section.id, name: 'Pleadings' }], permission: 'VIEW', allowDownload: false, watermark: true, requireDevice: true });

    const list = await gql('query { portals(first: 10) { nodes { id slug sections { name documents { title } } grants { id status } } edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }', key);
    expect(list.body.data.portals.nodes).toEqual([{ id: portal.id, slug: s, sections: [{ name: 'Pleadings', documents: [{ title: 'Brief' }] }], grants: [{ id: grant.id, status: 'ACTIVE' }] }]);
    expect(list.body.data.portals.pageInfo.hasNextPage).toBe(false);
    expect(list.body.data.portals.edges[0].node.id).toBe(portal.id);

    const revoked = await gql(REVOKE, key, { id: grant.id });
    expect(revoked.body.data.revokePortalAccess).toMatchObject({ id: grant.id, status: 'REVOKED' });
    const one = await gql('query($id: ID!) { portal(id: $id) { id grants { status } } }', key, { id: portal.id });
    expect(one.body.data.portal.grants).toEqual([{ status: 'REVOKED' }]);
  });

  it('updates a portal; null clears only supportEmail', async () => {
    const { key } = await setup();
    const portal = (await gql(CREATE, key, { input: { slug: slug(), name: 'Before', supportEmail: 'a@b.example' } })).body.data.createPortal;
    const u = await gql(UPDATE, key, { id: portal.id, input: { name: 'After', supportEmail: null } });
    expect(u.body.data.updatePortal).toMatchObject({ name: 'After', supportEmail: null });
    const bad = await gql(UPDATE, key, { id: portal.id, input: { name: null } });
    expect(code(bad)).toBe('validation_failed');
  });

  it('answers validation_failed for reserved slugs, taken slugs and weak colours', async () => {
    const { key } = await setup();
    const reserved = await gql(CREATE, key, { input: { slug: 'documents', name: 'Docs' } });
    expect(code(reserved)).toBe('validation_failed');
    expect(reserved.body.errors![0].message).toMatch(/reserved/);
    const s = slug();
    await gql(CREATE, key, { input: { slug: s, name: 'First' } });
    const taken = await gql(CREATE, key, { input: { slug: s, name: 'Second' } });
    expect(taken.body.errors![0]).toMatchObject({ message: expect.stringMatching(/already taken/), extensions: { code: 'validation_failed' } });
    const pale = await gql(CREATE, key, { input: { slug: slug(), name: 'Pale', primaryColor: '#f5f5f5' } });
    expect(pale.body.errors![0].message).toMatch(/primaryColor: .*contrast of 1\.\d\d:1/);
  });

  it('enforces scopes and keeps organisations apart', async () => {
    const { org, key } = await setup();
    const portal = (await gql(CREATE, key, { input: { slug: slug(), name: 'Mine' } })).body.data.createPortal;
    const readOnly = await keyFor(org.id, ['portals:read']);
    const denied = await gql(SECTION, readOnly, { portalId: portal.id, name: 'No' });
    expect(denied.status).toBe(403);
    expect(code(denied)).toBe('insufficient_scope');
    expect((await gql('query { portals { nodes { id } } }', await keyFor(org.id, ['shares:read']))).status).toBe(403);

    const other = await createOrg();
    const otherKey = await keyFor(other.id);
    expect(code(await gql('query($id: ID!) { portal(id: $id) { id } }', otherKey, { id: portal.id }))).toBe('not_found');
    expect(code(await gql(UPDATE, otherKey, { id: portal.id, input: { name: 'Hijack' } }))).toBe('not_found');
    expect(code(await gql(SECTION, otherKey, { portalId: portal.id, name: 'Hijack' }))).toBe('not_found');
    expect(code(await gql(GRANT, otherKey, { portalId: portal.id, input: { emails: ['x@y.example'] } }))).toBe('not_found');
    expect((await gql('query { portals { nodes { id } } }', otherKey)).body.data.portals.nodes).toEqual([]);
    expect((await prisma().portal.findUniqueOrThrow({ where: { id: portal.id } })).name).toBe('Mine');
  });
});
