import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { createDocument } from '../../lib/documents/service';
import { handleGraphql } from '../../lib/graphql/yoga';
import { currentSigningKey } from '../../lib/tokens';
import type { Principal } from '../../lib/auth/principal';
import type { Scope } from '../../lib/auth/scopes';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const URL_ = 'http://liaison.test/api/graphql';
const DAY = 86_400_000;

interface GqlResult { status: number; headers: Headers; body: { data?: any; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> } }

async function gql(query: string, key: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await handleGraphql(new Request(URL_, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.30', 'user-agent': 'vitest-graphql-shares',
    },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: `test ${scopes?.join('+') ?? 'all'}`, scopes, actor: null })).key;
const pdf = (p: Principal, title: string) => createDocument(p, fileFrom(tinyPdf(title), `${title.toLowerCase().replace(/\W+/g, '-')}.pdf`, 'application/pdf'), { title, tlp: 'GREEN' }, 10_000_000);

const SHARE_FIELDS = `id status url expiresAt lastAccessAt accessCount permission allowDownload allowPrint watermark hasPassword
  termsVersion { id version title } allowedIpRanges allowedCountries allowedDevices recipients message
  createdAt updatedAt revokedAt revokedReason createdBy { email } documents { id title }`;
const CREATE = `mutation($input: CreateShareInput!) { createShare(input: $input) { share { ${SHARE_FIELDS} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateShareInput!) { updateShare(id: $id, input: $input) { ${SHARE_FIELDS} } }`;
const REVOKE = 'mutation($id: ID!, $reason: String) { revokeShare(id: $id, reason: $reason) { id status revokedAt revokedReason url } }';
const LIST = `query($status: ShareStatus, $q: String, $documentId: ID, $first: Int, $after: String) {
  shares(status: $status, q: $q, documentId: $documentId, first: $first, after: $after) {
    nodes { id status url expiresAt lastAccessAt accessCount recipients documents { title } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('graphql: share lifecycle', () => {
  let orgId: string;
  let key: string;
  let docs: { id: string }[];
  let shareId: string;
  beforeAll(async () => {
    orgId = (await createOrg()).id;
    key = await keyFor(orgId, ['shares:read', 'shares:write', 'audit:read']);
    const { principal } = await createStaff(orgId, 'MEMBER');
    docs = [await pdf(principal, 'Incident report'), await pdf(principal, 'Indicators')];
  });

  it('creates a share and shows its link once, in the payload', async () => {
    const r = await gql(CREATE, key, { input: { documentIds: docs.map((d) => d.id), recipients: ['Analyst@Partner.example'], allowDownload: true, allowedCountries: ['gb'] } });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const s = r.body.data.createShare.share;
    shareId = s.id;
    expect(s.url).toMatch(/^http:\/\/liaison\.test\/s\/[A-Za-z0-9_-]{43}$/);
    expect(s).toMatchObject({
      status: 'ACTIVE', permission: 'VIEW', allowDownload: true, allowPrint: false, watermark: true, hasPassword: false,
      accessCount: 0, lastAccessAt: null, termsVersion: null, recipients: ['analyst@partner.example'], allowedCountries: ['GB'],
      allowedIpRanges: [], allowedDevices: [], message: null, revokedAt: null, createdBy: null,
    });
    expect(s.documents.map((d: { title: string }) => d.title).sort()).toEqual(['Incident report', 'Indicators']);
    // Organisation default: 14 days.
    expect(new Date(s.expiresAt).getTime()).toBeGreaterThan(Date.now() + 13 * DAY);
    const row = await prisma().share.findUniqueOrThrow({ where: { id: shareId } });
    expect(JSON.stringify(row)).not.toContain(s.url.split('/s/')[1]);
  });

  it('lists it with url null and no access yet, and filters', async () => {
    const r = await gql(LIST, key, { status: 'ACTIVE' });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.shares.nodes).toEqual([expect.objectContaining({ id: shareId, status: 'ACTIVE', url: null, accessCount: 0, lastAccessAt: null, recipients: ['analyst@partner.example'] })]);
    expect((await gql(LIST, key, { status: 'REVOKED' })).body.data.shares.nodes).toEqual([]);
    expect((await gql(LIST, key, { q: 'partner.example' })).body.data.shares.nodes.map((n: { id: string }) => n.id)).toEqual([shareId]);
    expect((await gql(LIST, key, { documentId: docs[1].id })).body.data.shares.nodes.map((n: { id: string }) => n.id)).toEqual([shareId]);
    const one = await gql(`query($id: ID!) { share(id: $id) { ${SHARE_FIELDS} } }`, key, { id: shareId });
    expect(one.body.data.share).toMatchObject({ id: shareId, url: null, status: 'ACTIVE' });
  });

  it('refuses an expiry in the past or a null one, changing nothing', async () => {
    const before = await prisma().share.findUniqueOrThrow({ where: { id: shareId } });
    const past = await gql(UPDATE, key, { id: shareId, input: { expiresAt: new Date(Date.now() - 60_000).toISOString() } });
    expect(past.status).toBe(200);
    expect(code(past)).toBe('validation_failed');
    expect(past.body.errors?.[0].message).toMatch(/future/);
    const none = await gql(UPDATE, key, { id: shareId, input: { expiresAt: null } });
    expect(code(none)).toBe('validation_failed');
    expect(none.body.errors?.[0].message).toMatch(/expiresAt: cannot be null/);
    expect((await prisma().share.findUniqueOrThrow({ where: { id: shareId } })).expiresAt).toEqual(before.expiresAt);
  });

  it('extends the expiry and sets a password; omitted fields stay as they were', async () => {
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const r = await gql(UPDATE, key, { id: shareId, input: { expiresAt, password: 'a long passphrase' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.updateShare).toMatchObject({ id: shareId, expiresAt, hasPassword: true, url: null, allowDownload: true, recipients: ['analyst@partner.example'], allowedCountries: ['GB'] });
    const row = await prisma().share.findUniqueOrThrow({ where: { id: shareId } });
    expect(row.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/);
    expect(row.passwordEpoch).toBe(1);
  });

  it('refuses a malformed IP range with validation_failed and creates nothing', async () => {
    const before = await prisma().share.count({ where: { orgId } });
    const r = await gql(CREATE, key, { input: { documentIds: [docs[0].id], allowedIpRanges: ['10.0.0.0/33'] } });
    expect(r.status).toBe(200);
    expect(code(r)).toBe('validation_failed');
    expect(r.body.errors?.[0].message).toContain('10.0.0.0/33');
    expect(r.body.data).toBeNull();
    expect(await prisma().share.count({ where: { orgId } })).toBe(before);
  });

  it('revokes the share; its access log shows create, update and revoke in one unbroken chain', async () => {
    const r = await gql(REVOKE, key, { id: shareId, reason: 'Contract ended' });
    expect(r.body.data.revokeShare).toMatchObject({ id: shareId, status: 'REVOKED', revokedReason: 'Contract ended', url: null });
    expect(r.body.data.revokeShare.revokedAt).toMatch(/Z$/);
    expect((await gql(LIST, key, { status: 'REVOKED' })).body.data.shares.nodes.map((n: { id: string }) => n.id)).toEqual([shareId]);
    expect((await gql(LIST, key, { status: 'ACTIVE' })).body.data.shares.nodes).toEqual([]);

    const EVENTS = 'nodes { type shareId actor ip hash prevHash }';
    const viaShare = await gql(`query($id: ID!) { share(id: $id) { accessLog { totalCount ${EVENTS} } } }`, key, { id: shareId });
    const log = viaShare.body.data.share.accessLog;
    expect(log.nodes.map((e: { type: string }) => e.type)).toEqual(['share.revoke', 'share.update', 'share.create']);
    expect(log.totalCount).toBe(3);
    for (const e of log.nodes) expect(e).toMatchObject({ shareId, ip: '198.51.100.30', actor: expect.stringMatching(/^api key /) });
    // Nothing else happened in this organisation meanwhile, so the three are consecutive in its chain.
    for (let i = 0; i < log.nodes.length - 1; i++) expect(log.nodes[i].prevHash).toBe(log.nodes[i + 1].hash);

    const viaAudit = await gql(`query($id: ID) { auditEvents(shareId: $id) { ${EVENTS} } }`, key, { id: shareId });
    expect(viaAudit.body.data.auditEvents.nodes).toEqual(log.nodes);

    const again = await gql(UPDATE, key, { id: shareId, input: { allowPrint: true } });
    expect(code(again)).toBe('conflict');
  });

  it('clears password, message and terms with null', async () => {
    const terms = await gql('mutation { createTerms(title: "NDA", body: "Keep it quiet.") { id version } }', key);
    const termsVersionId = terms.body.data.createTerms.id;
    const c = await gql(CREATE, key, { input: { documentIds: [docs[0].id], password: 'another passphrase', message: 'Hello', termsVersionId } });
    const s = c.body.data.createShare.share;
    expect(s).toMatchObject({ hasPassword: true, message: 'Hello', termsVersion: { id: termsVersionId, version: 1, title: 'NDA' } });
    const u = await gql(UPDATE, key, { id: s.id, input: { password: null, message: null, termsVersionId: null, allowedCountries: [] } });
    expect(u.body.errors).toBeUndefined();
    expect(u.body.data.updateShare).toMatchObject({ hasPassword: false, message: null, termsVersion: null, allowedCountries: [] });
  });

  it('pages through shares with opaque cursors', async () => {
    const p1 = await gql(LIST, key, { first: 1 });
    expect(p1.body.data.shares.nodes).toHaveLength(1);
    expect(p1.body.data.shares.pageInfo.hasNextPage).toBe(true);
    const p2 = await gql(LIST, key, { first: 1, after: p1.body.data.shares.pageInfo.endCursor });
    expect(p2.body.data.shares.nodes[0].id).toBe(shareId);
    expect(p2.body.data.shares.pageInfo.hasNextPage).toBe(false);
    expect(code(await gql(LIST, key, { after: 'bogus' }))).toBe('validation_failed');
  });
});

describe('graphql: share scopes and payloads', () => {
  it('refuses createShare to a read-only key with 403 insufficient_scope', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    const doc = await pdf(principal, 'Read only');
    const ro = await keyFor(org.id, ['shares:read']);
    const r = await gql(CREATE, ro, { input: { documentIds: [doc.id] } });
    expect(r.status).toBe(403);
    expect(r.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(code(r)).toBe('insufficient_scope');
    expect(await prisma().share.count({ where: { orgId: org.id } })).toBe(0);
    const t = await gql('mutation { createTerms(title: "x", body: "y") { id } }', ro);
    expect(t.status).toBe(403);
  });

  it('says not_found for another organisation\'s document or share', async () => {
    const org = await createOrg();
    const other = await createOrg();
    const foreignDoc = await pdf((await createStaff(other.id, 'MEMBER')).principal, 'Foreign');
    const key = await keyFor(org.id, ['shares:read', 'shares:write']);
    expect(code(await gql(CREATE, key, { input: { documentIds: [foreignDoc.id] } }))).toBe('not_found');
    const otherKey = await keyFor(other.id, ['shares:write']);
    const foreign = (await gql(CREATE, otherKey, { input: { documentIds: [foreignDoc.id] } })).body.data.createShare.share;
    expect(code(await gql('query($id: ID!) { share(id: $id) { id } }', key, { id: foreign.id }))).toBe('not_found');
    expect(code(await gql(REVOKE, key, { id: foreign.id }))).toBe('not_found');
  });

  it('versions terms: createTerms gives version 1, reviseTerms version 2, and terms lists both', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id, ['shares:read', 'shares:write']);
    const v1 = (await gql('mutation($t: String!, $b: String!) { createTerms(title: $t, body: $b) { id termsId version title body acceptanceCount shareCount } }', key, { t: 'NDA', b: 'First text.' })).body.data.createTerms;
    expect(v1).toMatchObject({ version: 1, title: 'NDA', body: 'First text.', acceptanceCount: 0, shareCount: 0 });
    expect(v1.id).toEqual(expect.any(String));
    const v2 = await gql('mutation($id: ID!) { reviseTerms(termsId: $id, title: "NDA v2", body: "Second text.") { id version } }', key, { id: v1.termsId });
    expect(v2.body.data.reviseTerms).toMatchObject({ version: 2 });
    expect(v2.body.data.reviseTerms.id).not.toBe(v1.id);
    const list = await gql('{ terms { id title latest { version body } versions { id version } } }', key);
    expect(list.body.data.terms).toEqual([{ id: v1.termsId, title: 'NDA v2', latest: { version: 2, body: 'Second text.' }, versions: [{ id: v2.body.data.reviseTerms.id, version: 2 }, { id: v1.id, version: 1 }] }]);
    const blank = await gql('mutation { createTerms(title: "  ", body: "x") { id } }', key);
    expect(code(blank)).toBe('validation_failed');
  });

  it('returns HTML in a message or terms body verbatim: JSON carries text, the UI renders it as text', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    const doc = await pdf(principal, 'Markup');
    const key = await keyFor(org.id, ['shares:read', 'shares:write']);
    const html = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const s = await gql(CREATE, key, { input: { documentIds: [doc.id], message: html } });
    expect(s.body.data.createShare.share.message).toBe(html);
    const t = await gql('mutation($b: String!) { createTerms(title: "<b>T</b>", body: $b) { title body } }', key, { b: html });
    expect(t.body.data.createTerms).toEqual({ title: '<b>T</b>', body: html });
  });
});

describe('graphql: organisation policy and signing keys', () => {
  it('lets an admin set the share policy, which then caps new shares', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    const doc = await pdf(principal, 'Policy');
    const admin = await keyFor(org.id);
    const r = await gql('mutation { updateSharePolicy(defaultShareDays: 3, maxShareDays: 7) { id defaultShareDays maxShareDays } }', admin);
    expect(r.body.data.updateSharePolicy).toEqual({ id: org.id, defaultShareDays: 3, maxShareDays: 7 });
    const long = await gql(CREATE, admin, { input: { documentIds: [doc.id], expiresAt: new Date(Date.now() + 8 * DAY).toISOString() } });
    expect(code(long)).toBe('validation_failed');
    expect(long.body.errors?.[0].message).toMatch(/at most 7 days/);
    const bad = await gql('mutation { updateSharePolicy(defaultShareDays: 10, maxShareDays: 7) { id } }', admin);
    expect(code(bad)).toBe('validation_failed');
    const member = await keyFor(org.id, ['shares:read', 'shares:write']);
    const denied = await gql('mutation { updateSharePolicy(defaultShareDays: 1, maxShareDays: 365) { id } }', member);
    expect(denied.status).toBe(403);
    expect(code(denied)).toBe('insufficient_scope');
  });

  it("rotates the admin's own organisation's signing key only, and audits it", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const old = await currentSigningKey(org.id);
    const othersKey = await currentSigningKey(other.id);
    const member = await keyFor(org.id, ['shares:read', 'shares:write', 'audit:read']);
    const ROTATE = 'mutation { rotateSigningKey { kid rotatedKids retireAt } }';
    const denied = await gql(ROTATE, member);
    expect(denied.status).toBe(403);
    expect(code(denied)).toBe('insufficient_scope');
    expect(code(await gql('{ signingKeys { kid } }', member))).toBe('insufficient_scope');

    const admin = await keyFor(org.id);
    const r = await gql(ROTATE, admin);
    expect(r.status).toBe(200);
    const rotated = r.body.data.rotateSigningKey;
    expect(rotated.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.kid).not.toBe(old.kid);
    expect(new Date(rotated.retireAt).getTime()).toBeGreaterThan(Date.now() + 12 * 3600_000);
    const keys = (await gql('{ signingKeys { kid signing rotatedAt retireAt } }', admin)).body.data.signingKeys;
    expect(rotated.rotatedKids).toEqual([old.kid]);
    expect(keys).toEqual([expect.objectContaining({ kid: rotated.kid, signing: true }), expect.objectContaining({ kid: old.kid, signing: false })]);
    expect((await currentSigningKey(org.id)).kid).toBe(rotated.kid);
    // The other organisation signs with the key it had, which is not in this admin's list.
    expect((await currentSigningKey(other.id)).kid).toBe(othersKey.kid);
    expect(await prisma().signingKey.findUniqueOrThrow({ where: { kid: othersKey.kid } })).toMatchObject({ orgId: other.id, rotatedAt: null, retireAt: null });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'signing_key.rotate' } });
    expect(ev).toMatchObject({ actorType: 'apikey', ip: '198.51.100.30', details: expect.objectContaining({ kid: rotated.kid }) });
    expect(await prisma().auditEvent.count({ where: { orgId: other.id, type: 'signing_key.rotate' } })).toBe(0);
  });
});
