import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { createDocument } from '../../lib/documents/service';
import { handleGraphql } from '../../lib/graphql/yoga';
import { toGraphqlError } from '../../lib/graphql/errors';
import { AppError } from '../../lib/errors';
import type { Principal } from '../../lib/auth/principal';
import type { Scope } from '../../lib/auth/scopes';
import { createOrg, createStaff, fileFrom } from '../helpers/factory';
import { consoleSession } from '../helpers/console-session';

const URL_ = 'http://liaison.test/api/graphql';

interface GqlResult { status: number; headers: Headers; body: { data?: any; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> } }

async function gql(query: string, opts: { variables?: Record<string, unknown>; key?: string; auth?: string; cookie?: string; origin?: string; ip?: string } = {}): Promise<GqlResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.auth) headers.authorization = opts.auth;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin) headers.origin = opts.origin;
  headers['x-liaison-client-ip'] = opts.ip ?? '198.51.100.20';
  headers['user-agent'] = 'vitest-graphql';
  const res = await handleGraphql(new Request(URL_, { method: 'POST', headers, body: JSON.stringify({ query, variables: opts.variables }) }));
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;

async function keyFor(orgId: string, scopes?: Scope[]) {
  return (await issueApiKey({ orgId, name: `test ${scopes?.join('+') ?? 'all'}`, scopes, actor: null })).key;
}

/** A console cookie for a live server-side session of that user (lib/auth/sessions.ts). */
async function sessionCookie(userId: string) {
  const user = await prisma().staffUser.findUniqueOrThrow({ where: { id: userId } });
  return (await consoleSession(user)).cookie;
}

async function upload(p: Principal, title: string, tlp = 'AMBER', body = `content of ${title}`) {
  return createDocument(p, fileFrom(body, `${title.toLowerCase().replace(/\W+/g, '-')}.txt`, 'text/plain'), { title, tlp }, 10_000_000);
}

describe('graphql: authentication', () => {
  let orgId: string;
  beforeAll(async () => { orgId = (await createOrg()).id; });

  it('answers 401 invalid_token without credentials, before executing anything', async () => {
    const r = await gql('{ me { id } }');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="liaison", error="invalid_token"/);
    expect(code(r)).toBe('invalid_token');
    expect(r.body.data).toBeUndefined();
  });

  it('answers 401 invalid_token for a malformed or unknown key', async () => {
    for (const auth of ['Bearer garbage', 'Basic dXNlcjpwYXNz', `Bearer lsn_abcdefgh_${'x'.repeat(43)}`]) {
      const r = await gql('{ me { id } }', { auth });
      expect(r.status, auth).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(code(r)).toBe('invalid_token');
    }
  });

  it('refuses a revoked key from the moment of revocation', async () => {
    const admin = await keyFor(orgId);
    const victim = await issueApiKey({ orgId, name: 'to revoke', scopes: ['documents:read'], actor: null });
    expect((await gql('{ me { id } }', { key: victim.key })).status).toBe(200);
    const rev = await gql('mutation($id: ID!) { revokeApiKey(id: $id) { id active revokedAt prefix } }', { key: admin, variables: { id: victim.id } });
    expect(rev.status).toBe(200);
    expect(rev.body.data.revokeApiKey).toMatchObject({ id: victim.id, active: false, prefix: victim.prefix });
    expect(rev.body.data.revokeApiKey.revokedAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    const r = await gql('{ me { id } }', { key: victim.key });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 403 insufficient_scope when the key lacks the scope a field needs', async () => {
    const key = await keyFor(orgId, ['documents:read']);
    const r = await gql('{ auditEvents { nodes { id } } }', { key });
    expect(r.status).toBe(403);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="liaison", error="insufficient_scope"/);
    expect(code(r)).toBe('insufficient_scope');
    expect(r.body.errors?.[0].path).toEqual(['auditEvents']);
    const v = await gql('{ auditVerify { ok } }', { key });
    expect(v.status).toBe(403);
    expect(code(v)).toBe('insufficient_scope');
  });

  it('lets shares:read read one share\'s log but not the whole trail', async () => {
    const key = await keyFor(orgId, ['shares:read']);
    const one = await gql('{ auditEvents(shareId: "nonexistent") { nodes { id } } }', { key });
    expect(one.status).toBe(200);
    expect(one.body.data.auditEvents.nodes).toEqual([]);
    const all = await gql('{ auditEvents { nodes { id } } }', { key });
    expect(all.status).toBe(403);
    expect(code(all)).toBe('insufficient_scope');
  });

  it('keeps introspection on', async () => {
    const r = await gql('{ __schema { queryType { name } mutationType { name } } }', { key: await keyFor(orgId, ['documents:read']) });
    expect(r.body.data.__schema).toEqual({ queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } });
  });
});

describe('graphql: me', () => {
  it('describes an API key and its organisation', async () => {
    const org = await createOrg('Me Org');
    const created = await issueApiKey({ orgId: org.id, name: 'ci bot', scopes: ['documents:read', 'audit:read'], actor: null });
    const r = await gql('{ me { __typename id scopes org { id slug name tlpCeiling } ... on ApiKeyViewer { name prefix } } }', { key: created.key });
    expect(r.status).toBe(200);
    expect(r.body.data.me).toEqual({
      __typename: 'ApiKeyViewer', id: created.id, scopes: ['documents:read', 'audit:read'],
      org: { id: org.id, slug: org.slug, name: 'Me Org', tlpCeiling: 'AMBER' }, name: 'ci bot', prefix: created.prefix,
    });
  });

  it('describes a staff member signed in with the console cookie', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'AUDITOR');
    const r = await gql('{ me { __typename id scopes org { slug } ... on StaffViewer { email name role } } }', { cookie: await sessionCookie(user.id) });
    expect(r.status).toBe(200);
    expect(r.body.data.me).toEqual({
      __typename: 'StaffViewer', id: user.id, scopes: ['documents:read', 'shares:read', 'portals:read', 'audit:read'],
      org: { slug: org.slug }, email: user.email, name: user.name, role: 'AUDITOR',
    });
  });

  it('treats a cookie for a disabled account as no credential', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'ADMIN');
    await prisma().staffUser.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    const r = await gql('{ me { id } }', { cookie: await sessionCookie(user.id) });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('graphql: documents', () => {
  let orgId: string;
  let key: string;
  let member: Principal;
  const ids: string[] = [];
  beforeAll(async () => {
    orgId = (await createOrg()).id;
    key = await keyFor(orgId, ['documents:read', 'documents:write']);
    member = (await createStaff(orgId, 'MEMBER')).principal;
    for (const [title, tlp] of [['Alpha report', 'GREEN'], ['Bravo memo', 'RED'], ['Charlie report', 'AMBER']]) {
      ids.push((await upload(member, title, tlp)).id);
    }
  });

  const LIST = `query($q: String, $tlp: Tlp, $first: Int, $after: String) {
    documents(q: $q, tlp: $tlp, first: $first, after: $after) {
      edges { cursor node { id title } }
      nodes { id title tlp versionCount shareCount createdBy { email } latestVersion { number size sha256 mediaType fileName tlp createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

  it('pages through the connection, newest first', async () => {
    const p1 = await gql(LIST, { key, variables: { first: 2 } });
    expect(p1.status).toBe(200);
    const c1 = p1.body.data.documents;
    expect(c1.nodes.map((n: { title: string }) => n.title)).toEqual(['Charlie report', 'Bravo memo']);
    expect(c1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[2], ids[1]]);
    expect(c1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: c1.edges[0].cursor, endCursor: c1.edges[1].cursor });
    expect(c1.nodes[0]).toMatchObject({ tlp: 'AMBER', versionCount: 1, shareCount: 0, createdBy: { email: member.kind === 'staff' ? member.email : '' } });
    expect(c1.nodes[0].latestVersion).toMatchObject({ number: 1, size: 'content of Charlie report'.length, mediaType: 'text/plain', fileName: 'charlie-report.txt', tlp: 'AMBER' });

    const p2 = await gql(LIST, { key, variables: { first: 2, after: c1.pageInfo.endCursor } });
    const c2 = p2.body.data.documents;
    expect(c2.nodes.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    expect(c2.pageInfo.hasNextPage).toBe(false);
  });

  it('searches titles and filters by TLP', async () => {
    const q = await gql(LIST, { key, variables: { q: 'REPORT' } });
    expect(q.body.data.documents.nodes.map((n: { title: string }) => n.title)).toEqual(['Charlie report', 'Alpha report']);
    const t = await gql(LIST, { key, variables: { tlp: 'RED' } });
    expect(t.body.data.documents.nodes.map((n: { title: string }) => n.title)).toEqual(['Bravo memo']);
  });

  it('maps bad arguments to validation_failed and a bad cursor likewise', async () => {
    const big = await gql(LIST, { key, variables: { first: 1000 } });
    expect(big.status).toBe(200);
    expect(code(big)).toBe('validation_failed');
    expect(big.body.errors?.[0].message).toBe('first must be between 1 and 100.');
    const cur = await gql(LIST, { key, variables: { after: 'not-a-cursor' } });
    expect(code(cur)).toBe('validation_failed');
    const tlp = await gql(LIST, { key, variables: { tlp: 'PURPLE' } });
    expect(tlp.status).toBe(400); // variable coercion: GraphQL's own error
  });

  it('returns one document with its versions', async () => {
    const r = await gql('query($id: ID!) { document(id: $id) { id title versions { id number sha256 size tlp createdBy { email } } } }', { key, variables: { id: ids[1] } });
    expect(r.status).toBe(200);
    expect(r.body.data.document).toMatchObject({ id: ids[1], title: 'Bravo memo' });
    expect(r.body.data.document.versions).toHaveLength(1);
    expect(r.body.data.document.versions[0]).toMatchObject({ number: 1, tlp: 'RED', size: 'content of Bravo memo'.length });
    expect(r.body.data.document.versions[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads versions for listed documents too', async () => {
    const r = await gql('{ documents(first: 1) { nodes { id versions { number } } } }', { key });
    expect(r.body.data.documents.nodes[0]).toEqual({ id: ids[2], versions: [{ number: 1 }] });
  });

  it('says not_found for another organisation\'s document, without leaking it', async () => {
    const other = await createOrg();
    const otherStaff = (await createStaff(other.id, 'MEMBER')).principal;
    const foreign = await upload(otherStaff, 'Secret of another org');
    const r = await gql('query($id: ID!) { document(id: $id) { id title } }', { key, variables: { id: foreign.id } });
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(code(r)).toBe('not_found');
    expect(r.body.errors?.[0].message).toBe('No such document.');
    expect(JSON.stringify(r.body)).not.toContain('Secret of another org');
    const del = await gql('mutation($id: ID!) { deleteDocument(id: $id) }', { key, variables: { id: foreign.id } });
    expect(code(del)).toBe('not_found');
    expect(await prisma().document.count({ where: { id: foreign.id } })).toBe(1);
  });

  it('deletes a document and audits it with the caller and IP', async () => {
    const doc = await upload(member, 'Doomed draft');
    const r = await gql('mutation($id: ID!) { deleteDocument(id: $id) }', { key, variables: { id: doc.id }, ip: '192.0.2.44' });
    expect(r.status).toBe(200);
    expect(r.body.data.deleteDocument).toBe(doc.id);
    expect(await prisma().document.count({ where: { id: doc.id } })).toBe(0);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId, documentId: doc.id, type: 'document.delete' } });
    expect(ev).toMatchObject({ actorType: 'apikey', ip: '192.0.2.44', userAgent: 'vitest-graphql', outcome: 'success' });
    const again = await gql('query($id: ID!) { document(id: $id) { id } }', { key, variables: { id: doc.id } });
    expect(code(again)).toBe('not_found');
  });

  it('refuses deletion to a read-only key with 403 insufficient_scope', async () => {
    const ro = await keyFor(orgId, ['documents:read']);
    const r = await gql('mutation($id: ID!) { deleteDocument(id: $id) }', { key: ro, variables: { id: ids[0] } });
    expect(r.status).toBe(403);
    expect(code(r)).toBe('insufficient_scope');
    expect(await prisma().document.count({ where: { id: ids[0] } })).toBe(1);
  });
});

describe('graphql: audit', () => {
  it('returns the chain newest first with hash/prevHash linkage, paged, and verifies it', async () => {
    const org = await createOrg();
    const member = (await createStaff(org.id, 'MEMBER')).principal;
    const key = await keyFor(org.id, ['audit:read']); // apikey.create is event 1
    for (let i = 0; i < 4; i++) await upload(member, `Doc ${i}`);
    const Q = `query($first: Int, $after: String, $type: String) {
      auditEvents(first: $first, after: $after, type: $type) {
        totalCount
        nodes { id seq at type actor actorType ip userAgent shareId documentId outcome reason details hash prevHash }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const p1 = await gql(Q, { key, variables: { first: 3 } });
    expect(p1.status).toBe(200);
    const c1 = p1.body.data.auditEvents;
    expect(c1.totalCount).toBe(5);
    expect(c1.nodes.map((n: { seq: number }) => n.seq)).toEqual([5, 4, 3]);
    expect(c1.pageInfo.hasNextPage).toBe(true);
    const p2 = await gql(Q, { key, variables: { first: 3, after: c1.pageInfo.endCursor } });
    const c2 = p2.body.data.auditEvents;
    expect(c2.nodes.map((n: { seq: number }) => n.seq)).toEqual([2, 1]);
    expect(c2.pageInfo.hasNextPage).toBe(false);
    const all = [...c1.nodes, ...c2.nodes];
    for (let i = 0; i < all.length - 1; i++) expect(all[i].prevHash).toBe(all[i + 1].hash);
    expect(all[all.length - 1].prevHash).toBe('0'.repeat(64));
    expect(all[0]).toMatchObject({ type: 'document.upload', actorType: 'staff', actor: member.kind === 'staff' ? member.email : '', outcome: 'success', shareId: null });
    expect(all[0].details).toMatchObject({ title: 'Doc 3', tlp: 'AMBER' });
    expect(all[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(all[4]).toMatchObject({ type: 'apikey.create', actorType: 'system' });

    const uploads = await gql(Q, { key, variables: { type: 'document.' } });
    expect(uploads.body.data.auditEvents.totalCount).toBe(4);

    const v = await gql('{ auditVerify { ok count brokenAt { id } } auditEventTypes }', { key });
    expect(v.body.data).toEqual({ auditVerify: { ok: true, count: 5, brokenAt: null }, auditEventTypes: ['apikey.create', 'document.upload'] });
  });

  it('filters by document and time with DateTime arguments', async () => {
    const org = await createOrg();
    const member = (await createStaff(org.id, 'MEMBER')).principal;
    const key = await keyFor(org.id, ['audit:read']);
    const a = await upload(member, 'A');
    await upload(member, 'B');
    const r = await gql('query($d: ID, $from: DateTime) { auditEvents(documentId: $d, from: $from) { nodes { documentId type } } }', {
      key, variables: { d: a.id, from: '2000-01-01' },
    });
    expect(r.body.data.auditEvents.nodes).toEqual([{ documentId: a.id, type: 'document.upload' }]);
    const bad = await gql('query($from: DateTime) { auditEvents(from: $from) { nodes { id } } }', { key, variables: { from: 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0].message).toMatch(/ISO 8601/);
  });

  it('refuses a cursor that is no sequence number of ours (too large, malformed) as invalid, never a 500', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id, ['audit:read']);
    for (const after of [Buffer.from('seq:99999999999999999999999').toString('base64url'), Buffer.from('seq:2147483648').toString('base64url'), 'not-a-cursor']) {
      const r = await gql('query($after: String) { auditEvents(after: $after) { nodes { id } } }', { key, variables: { after } });
      expect(r.body.errors?.[0].extensions?.code, after).toBe('validation_failed');
    }
  });
});

describe('graphql: API keys', () => {
  it('creates a key once, lists it, and the new key works', async () => {
    const org = await createOrg();
    const admin = await keyFor(org.id);
    const r = await gql('mutation($n: String!, $s: [String!]) { createApiKey(name: $n, scopes: $s) { id name prefix scopes key } }', {
      key: admin, variables: { n: 'nightly export', s: ['documents:read'] },
    });
    expect(r.status).toBe(200);
    const created = r.body.data.createApiKey;
    expect(created).toMatchObject({ name: 'nightly export', scopes: ['documents:read'] });
    expect(created.key).toMatch(new RegExp(`^${created.prefix}_`));
    const me = await gql('{ me { id scopes } }', { key: created.key });
    expect(me.body.data.me).toEqual({ id: created.id, scopes: ['documents:read'] });

    const list = await gql('{ apiKeys { id name prefix scopes active lastUsedAt createdBy { email } } }', { key: admin });
    const listed = list.body.data.apiKeys.find((k: { id: string }) => k.id === created.id);
    expect(listed).toMatchObject({ name: 'nightly export', prefix: created.prefix, active: true, createdBy: null });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(created.key);
  });

  it('rejects invalid input with validation_failed and its message', async () => {
    const org = await createOrg();
    const admin = await keyFor(org.id);
    const r = await gql('mutation { createApiKey(name: "x", scopes: ["root"]) { id } }', { key: admin });
    expect(r.status).toBe(200);
    expect(code(r)).toBe('validation_failed');
    expect(r.body.errors?.[0].message).toMatch(/Scopes must be among/);
    const blank = await gql('mutation { createApiKey(name: "  ") { id } }', { key: admin });
    expect(code(blank)).toBe('validation_failed');
    expect(blank.body.errors?.[0].message).toMatch(/Name is required/);
  });

  it('refuses key management to a documents-only key (insufficient_scope) and to a member (forbidden)', async () => {
    const org = await createOrg();
    const docsKey = await keyFor(org.id, ['documents:read', 'documents:write']);
    const k = await gql('mutation { createApiKey(name: "escalate") { key } }', { key: docsKey });
    expect(k.status).toBe(403);
    expect(code(k)).toBe('insufficient_scope');
    const { user } = await createStaff(org.id, 'MEMBER');
    const m = await gql('mutation { createApiKey(name: "escalate") { key } }', { cookie: await sessionCookie(user.id), origin: 'http://liaison.test' });
    expect(m.status).toBe(403);
    expect(code(m)).toBe('forbidden');
    expect(m.headers.get('www-authenticate')).toBeNull();
    const list = await gql('{ apiKeys { id } }', { cookie: await sessionCookie(user.id) });
    expect(code(list)).toBe('forbidden');
    expect(await prisma().apiKey.count({ where: { orgId: org.id, name: 'escalate' } })).toBe(0);
  });
});

describe('graphql: console cookie', () => {
  it('refuses a cookie-authenticated mutation without a same-site Origin, and accepts it with one', async () => {
    const org = await createOrg();
    const { user, principal } = await createStaff(org.id, 'ADMIN');
    const cookie = await sessionCookie(user.id);
    const doc = await upload(principal, 'Cookie doc');
    const M = 'mutation($id: ID!) { deleteDocument(id: $id) }';

    const none = await gql(M, { cookie, variables: { id: doc.id } });
    expect(none.status).toBe(403);
    expect(code(none)).toBe('forbidden');
    expect(none.body.data).toBeUndefined();
    const evil = await gql(M, { cookie, variables: { id: doc.id }, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(await prisma().document.count({ where: { id: doc.id } })).toBe(1);

    // Queries carry no side effects and need no Origin.
    const q = await gql('query($id: ID!) { document(id: $id) { title } }', { cookie, variables: { id: doc.id } });
    expect(q.body.data.document.title).toBe('Cookie doc');

    const ok = await gql(M, { cookie, variables: { id: doc.id }, origin: 'http://liaison.test' });
    expect(ok.status).toBe(200);
    expect(ok.body.data.deleteDocument).toBe(doc.id);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, documentId: doc.id, type: 'document.delete' } });
    expect(ev).toMatchObject({ actorType: 'staff', actorId: user.id });
  });

  it('lets a Bearer call mutate without an Origin even when a cookie is present', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'ADMIN');
    const key = await keyFor(org.id);
    const r = await gql('mutation { createApiKey(name: "from script", scopes: ["audit:read"]) { name } }', { key, cookie: await sessionCookie(user.id) });
    expect(r.status).toBe(200);
    expect(r.body.data.createApiKey.name).toBe('from script');
  });
});

describe('graphql: error masking', () => {
  it('hides internal messages behind the stable code', () => {
    const e = toGraphqlError(new Error('relation "Secret" does not exist at 10.0.0.5'));
    expect(e.message).toBe('Something went wrong on our side.');
    expect(e.extensions).toEqual({ code: 'internal' });
    expect(JSON.stringify(e.toJSON())).not.toContain('10.0.0.5');
  });

  it('keeps the code, the safe message and the HTTP mapping of domain errors', () => {
    const e = toGraphqlError(new AppError('rate_limited', 'Slow down.', { retryAfterSeconds: 30 }));
    expect(e.message).toBe('Slow down.');
    expect(e.extensions).toEqual({ code: 'rate_limited', http: { status: 429, headers: { 'retry-after': '30' } } });
  });
});

describe('graphql: transport', () => {
  it('answers queries over GET but refuses mutations over GET', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id);
    const get = (q: string) => handleGraphql(new Request(`${URL_}?query=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } }));
    const ok = await get('{ me { id } }');
    expect(ok.status).toBe(200);
    const mut = await get('mutation { createApiKey(name: "via get") { id } }');
    expect(mut.status).toBe(405);
    expect(await prisma().apiKey.count({ where: { orgId: org.id, name: 'via get' } })).toBe(0);
  });

  it('sends no CORS headers and refuses oversized documents', async () => {
    const org = await createOrg();
    const key = await keyFor(org.id, ['documents:read']);
    const res = await handleGraphql(new Request(URL_, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    }));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const many = `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const r = await gql(many, { key });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0].message).toMatch(/Token limit of 2000 exceeded/);
    expect(r.body.errors?.[0].extensions?.code).toBe('query_too_complex');
  });
});
