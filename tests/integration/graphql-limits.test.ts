import { getIntrospectionQuery } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import { recordAudit } from '../../lib/audit/record';
import { handleGraphql } from '../../lib/graphql/yoga';
import { GRAPHQL_LIMITS } from '../../lib/graphql/limits';
import { GRAPHQL_RATE } from '../../lib/graphql/rate-limit';
import { pageArgs } from '../../lib/graphql/connection';
import { INVALID_ID_EVENT } from '../../lib/http/staff-ids';
import type { Principal } from '../../lib/auth/principal';
import { createOrg, createStaff, fileFrom } from '../helpers/factory';

const URL_ = 'http://liaison.test/api/graphql';

interface Reply { status: number; headers: Headers; bytes: number; ms: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }

/** One request through the real handler (authentication, rate limit, yoga and every plugin). */
async function gql(query: string, opts: { key: string; variables?: Record<string, unknown>; operationName?: string; body?: Uint8Array<ArrayBuffer>; accept?: string }): Promise<Reply> {
  const started = performance.now();
  const res = await handleGraphql(new Request(URL_, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', authorization: `Bearer ${opts.key}`,
      accept: opts.accept ?? 'application/graphql-response+json', 'x-liaison-client-ip': '198.51.100.30', 'user-agent': 'vitest-limits',
    },
    body: opts.body ? new Blob([opts.body]) : JSON.stringify({ query, variables: opts.variables, operationName: opts.operationName }),
  }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, bytes: Buffer.byteLength(text), ms: performance.now() - started, body: JSON.parse(text) };
}

const code = (r: Reply) => r.body.errors?.[0]?.extensions?.code;

async function keyFor(orgId: string) {
  return (await issueApiKey({ orgId, name: `limits ${Math.random()}`, actor: null })).key;
}

let orgId: string;
let key: string;
let admin: Principal;
let documentId: string;
let shareId: string;

beforeAll(async () => {
  orgId = (await createOrg('Limits Org')).id;
  key = await keyFor(orgId);
  admin = (await createStaff(orgId, 'ADMIN')).principal;
  documentId = (await createDocument(admin, fileFrom('limits body', 'limits.txt', 'text/plain'), { title: 'Limits report', tlp: 'GREEN' }, 1_000_000)).id;
  shareId = (await createShare(admin, { documentIds: [documentId], recipients: ['counsel@example.com'] })).share.id;
  // Enough events that a 200-event page is a full page.
  for (let i = 0; i < 210; i++) {
    await recordAudit({ orgId, type: 'test.filler', actor: { type: 'system', label: 'limits test' }, shareId, details: { i, note: 'x'.repeat(40) } });
  }
});

describe('graphql limits: what legitimate clients send still runs', () => {
  it('answers the README and docs/API.md queries', async () => {
    const readme = await gql('{ me { id scopes } documents(first: 10, q: "report") { nodes { id title tlp latestVersion { sha256 size } } pageInfo { hasNextPage endCursor } } }', { key });
    expect(readme.status).toBe(200);
    expect(readme.body.data.documents.nodes.map((d: { id: string }) => d.id)).toEqual([documentId]);

    const shares = await gql(`query Shares($after: String) {
      shares(status: ACTIVE, first: 50, after: $after) {
        nodes { id status url expiresAt lastAccessAt accessCount recipients documents { id title } createdBy { email } }
        pageInfo { hasNextPage endCursor }
      }
    }`, { key, variables: { after: null } });
    expect(shares.status).toBe(200);
    expect(shares.body.data.shares.nodes[0].id).toBe(shareId);

    const log = await gql(`query Log($id: ID!) {
      share(id: $id) {
        status hasPassword termsVersion { id version title }
        accessLog(first: 100) { totalCount nodes { id at type actor ip userAgent documentId outcome reason hash prevHash } }
      }
    }`, { key, variables: { id: shareId } });
    expect(log.status).toBe(200);
    expect(log.body.data.share.accessLog.nodes).toHaveLength(100);

    const terms = await gql('query { terms { id title latest { id version } versions { id version acceptanceCount shareCount } } }', { key });
    expect(terms.status).toBe(200);
    const created = await gql('mutation Share($input: CreateShareInput!) { createShare(input: $input) { share { id url status expiresAt } } }', {
      key, variables: { input: { documentIds: [documentId], recipients: ['counsel@example.com'], allowDownload: true, watermark: true, allowedDevices: ['desktop'] } },
    });
    expect(created.status).toBe(200);
    expect(created.body.data.createShare.share.url).toMatch(/\/s\//);
  });

  it('answers a full 200-event page of the audit trail with every field, and a full page of shares', async () => {
    const all = 'id seq at type actorType actorId actor ip userAgent shareId documentId outcome reason details hash prevHash';
    const r = await gql(`{ auditEvents(first: 200) { totalCount nodes { ${all} } edges { cursor } pageInfo { hasNextPage endCursor startCursor hasPreviousPage } } }`, { key });
    expect(r.status).toBe(200);
    expect(r.body.data.auditEvents.nodes).toHaveLength(200);
    const s = await gql(`{ shares(first: 100) { nodes {
      id status url expiresAt lastAccessAt accessCount permission allowDownload allowPrint watermark hasPassword
      termsVersion { id version title } allowedIpRanges allowedCountries allowedDevices recipients message createdAt updatedAt
      revokedAt revokedReason createdBy { email name } documents { id title } } } }`, { key });
    expect(s.status).toBe(200);
    expect(s.body.data.shares.nodes.length).toBeGreaterThanOrEqual(1);
  });

  it('answers the standard introspection query (what GraphiQL and code generators send)', async () => {
    const r = await gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), { key });
    expect(r.status).toBe(200);
    expect(r.body.data.__schema.types.some((t: { name: string }) => t.name === 'Share')).toBe(true);
  });

  it('accepts fragments, a few aliases and directives within the limits', async () => {
    const r = await gql(`query Two($yes: Boolean!) {
      mine: documents(first: 5) { nodes { ...Doc } }
      again: documents(first: 5) @include(if: $yes) { nodes { ...Doc } }
    }
    fragment Doc on Document { id title latestVersion { sha256 createdBy { email } } }`, { key, variables: { yes: true } });
    expect(r.status).toBe(200);
    expect(r.body.data.again.nodes[0].id).toBe(documentId);
  });
});

describe('graphql limits: what is refused, cheaply and before anything runs', () => {
  it('refuses the review\'s 300 aliased auditEvents(first: 200) in a few hundred bytes, not 4.9 MB', async () => {
    const query = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: auditEvents(first: 200) { nodes { id at type actor ip details hash prevHash } }`).join(' ')} }`;
    const r = await gql(query, { key });
    expect(r.status).toBe(400);
    expect(code(r)).toBe('query_too_complex');
    expect(r.body.data).toBeUndefined();
    expect(r.bytes).toBeLessThan(1_000);
    expect(r.ms).toBeLessThan(2_000);
    // Under the token limit, the alias limit refuses it.
    const fewer = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: auditEvents(first: 200) { nodes { id } }`).join(' ')} }`;
    const a = await gql(fewer, { key });
    expect(a.status).toBe(400);
    expect(code(a)).toBe('query_too_complex');
    expect(a.body.errors?.[0].message).toContain(`Aliases limit of ${GRAPHQL_LIMITS.maxAliases} exceeded, found 20`);
  });

  it('refuses deep nesting', async () => {
    const deep = `{ __type(name: "Share") { ${'ofType { '.repeat(11)}name${' }'.repeat(11)} } }`;
    const r = await gql(deep, { key });
    expect(r.status).toBe(400);
    expect(code(r)).toBe('query_too_complex');
    expect(r.body.errors?.[0].message).toMatch(/depth limit of 10 exceeded, found 13/);
  });

  it('refuses introspection that revisits the lists of a type (a cycle the cost estimate cannot see)', async () => {
    const r = await gql('{ __schema { types { fields { type { fields { type { name } } } } } } }', { key });
    expect(r.status).toBe(400);
    expect(code(r)).toBe('query_too_complex');
    expect(r.body.data).toBeUndefined();
    const viaFragment = await gql('{ __schema { types { ...T } } } fragment T on __Type { fields { type { interfaces { name } } } }', { key });
    expect(code(viaFragment)).toBe('query_too_complex');
  });

  it('refuses a query whose estimated cost is over the limit, whether page sizes are literals or variables', async () => {
    const literal = await gql('{ shares(first: 100) { nodes { id accessLog(first: 200) { nodes { id } } } } }', { key });
    expect(literal.status).toBe(400);
    expect(code(literal)).toBe('query_too_complex');
    expect(literal.body.errors?.[0].message).toMatch(/estimated cost is [\d,]+, the maximum is 10,000/);
    const variables = await gql('query($n: Int) { shares(first: $n) { nodes { id accessLog(first: $n) { nodes { id } } } } }', { key, variables: { n: 100 } });
    expect(code(variables)).toBe('query_too_complex');
    // The default page size counts too when `first` is omitted: 25 shares × 50 events each is fine…
    const defaults = await gql('{ shares { nodes { id accessLog { nodes { id } } } } }', { key });
    expect(defaults.status).toBe(200);
    // …and a cheap first operation does not hide an expensive one chosen by name.
    const hidden = await gql('query Cheap { me { id } } query Costly { shares(first: 100) { nodes { accessLog(first: 200) { nodes { id details } } } } }', { key, operationName: 'Costly' });
    expect(code(hidden)).toBe('query_too_complex');
    expect(hidden.body.data).toBeUndefined();
  });

  it('refuses too many directives and too many tokens', async () => {
    const dirs = `query($y: Boolean!) { me { id ${Array.from({ length: 11 }, (_, i) => `a${i}: id @include(if: $y)`).join(' ')} } }`;
    const d = await gql(dirs, { key, variables: { y: true } });
    expect(code(d)).toBe('query_too_complex');
    expect(d.body.errors?.[0].message).toContain('Directives limit of 10 exceeded');
    const long = `{ me { ${'id '.repeat(2_100)} } }`;
    const t = await gql(long, { key });
    expect(code(t)).toBe('query_too_complex');
    expect(t.body.errors?.[0].message).toContain('Token limit of 2000 exceeded');
  });

  it('answers limit refusals 200 for legacy application/json clients, as GraphQL over HTTP asks, still with the code', async () => {
    const r = await gql('{ shares(first: 100) { nodes { id accessLog(first: 200) { nodes { id } } } } }', { key, accept: 'application/json' });
    expect(r.status).toBe(200);
    expect(code(r)).toBe('query_too_complex');
    expect(r.body.data).toBeUndefined();
  });
});

describe('graphql limits: page sizes', () => {
  it('caps `first` on every connection and refuses values outside 1..max', async () => {
    for (const [q, max] of [
      ['documents(first: $n) { nodes { id } }', 100],
      ['shares(first: $n) { nodes { id } }', 100],
      ['auditEvents(first: $n) { nodes { id } }', 200],
      [`share(id: "${shareId}") { accessLog(first: $n) { nodes { id } } }`, 200],
    ] as const) {
      for (const n of [0, max + 1, -5]) {
        const r = await gql(`query($n: Int) { ${q} }`, { key, variables: { n } });
        expect(code(r), `${q} first=${n}`).toBe('validation_failed');
        expect(r.body.errors?.[0].message).toBe(`first must be between 1 and ${max}.`);
      }
    }
    const ok = await gql('{ share(id: "' + shareId + '") { accessLog(first: 200) { nodes { id } } } }', { key });
    expect(ok.body.data.share.accessLog.nodes).toHaveLength(200);
    const over = await gql(`{ share(id: "${shareId}") { accessLog(first: 201) { nodes { id } } } }`, { key });
    expect(code(over)).toBe('validation_failed');
    expect(over.body.errors?.[0].message).toBe('first must be between 1 and 200.');
  });

  it('refuses to define a connection that pages more than 200 nodes', () => {
    const arg = { int: (o: object) => ({ int: o }), string: (o: object) => ({ string: o }) } as unknown as Parameters<typeof pageArgs>[0];
    expect(() => pageArgs(arg, 201)).toThrow(/1 to 200 nodes, not 201/);
    expect(() => pageArgs(arg, 0)).toThrow(/1 to 200 nodes, not 0/);
    expect(pageArgs(arg, 200).first).toEqual({ int: { required: false, description: 'Page size, 1 to 200.' } });
  });

  it('refuses a cursor that does not decode to an id', async () => {
    const after = Buffer.from('document:\u0000').toString('base64url');
    const r = await gql('query($a: String) { documents(after: $a) { nodes { id } } }', { key, variables: { a: after } });
    expect(code(r)).toBe('validation_failed');
    expect(r.body.errors?.[0].message).toBe('Invalid cursor.');
  });
});

describe('graphql: ID arguments are validated before anything runs, and refusals are audited', () => {
  const refusals = async (since: Date) => prisma().auditEvent.findMany({ where: { orgId, type: INVALID_ID_EVENT, at: { gte: since } }, orderBy: { seq: 'asc' } });

  it('answers 404 not_found for NUL, a 3,000-character id, a path and invalid UTF-8, literal or variable, and audits the escaped value', async () => {
    const since = new Date(Date.now() - 1);
    const nul = await gql('{ document(id: "\\u0000") { id } }', { key });
    expect(nul.status).toBe(404);
    expect(code(nul)).toBe('not_found');
    expect(nul.body.errors?.[0].message).toBe('Not found: id of document is not a valid id.');

    const long = await gql('query($id: ID!) { share(id: $id) { id } }', { key, variables: { id: 'a'.repeat(3_000) } });
    expect(long.status).toBe(404);
    const path = await gql('query($id: ID!) { document(id: $id) { id } }', { key, variables: { id: '../../etc' } });
    expect(path.status).toBe(404);
    // A JSON body whose id bytes are not UTF-8 (C3 28): the parser reads U+FFFD, which is no id either.
    const prefix = Buffer.from('{"query":"query($id: ID!) { document(id: $id) { id } }","variables":{"id":"');
    const bytes = Buffer.concat([prefix, Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    const utf8 = await gql('', { key, body: new Uint8Array(bytes) });
    expect(utf8.status).toBe(404);
    expect(code(utf8)).toBe('not_found');

    const rows = await refusals(since);
    expect(rows.map((e) => (e.details as { value: string }).value)).toEqual([
      '\\u0000', `${'a'.repeat(80)}...(3000 chars)`, '../../etc', '\\ufffd(',
    ]);
    expect(rows.map((e) => (e.details as { where: string }).where)).toEqual(['graphql document', 'graphql share', 'graphql document', 'graphql document']);
    for (const e of rows) {
      expect(e).toMatchObject({ outcome: 'denied', reason: 'invalid_id', actorType: 'apikey', documentId: null, shareId: null, ip: '198.51.100.30' });
    }
  });

  it('checks IDs nested in inputs and lists, so a bad one anywhere stops the whole mutation', async () => {
    const before = await prisma().share.count({ where: { orgId } });
    const since = new Date(Date.now() - 1);
    const r = await gql('mutation($in: CreateShareInput!) { createShare(input: $in) { share { id } } }', {
      key, variables: { in: { documentIds: [documentId, 'x\u202ey'] } },
    });
    expect(r.status).toBe(404);
    expect(r.body.errors?.[0].message).toBe('Not found: input.documentIds[1] of createShare is not a valid id.');
    expect(await prisma().share.count({ where: { orgId } })).toBe(before);
    // Two mutations: the second carries the bad id, and the first must not have run either.
    const two = await gql(`mutation { a: revokeShare(id: "${shareId}") { id } b: revokeShare(id: "bad id") { id } }`, { key });
    expect(two.status).toBe(404);
    expect((await prisma().share.findUniqueOrThrow({ where: { id: shareId } })).revokedAt).toBeNull();
    const rows = await refusals(since);
    expect(rows.map((e) => [(e.details as { where: string }).where, (e.details as { field: string }).field, (e.details as { value: string }).value])).toEqual([
      ['graphql createShare', 'input.documentIds[1]', 'x\\u202ey'],
      ['graphql revokeShare', 'id', 'bad id'],
    ]);
  });

  it('checks ID arguments of nested fields too', async () => {
    const r = await gql('query($d: ID) { share(id: "' + shareId + '") { id } auditEvents(documentId: $d) { nodes { id } } }', { key, variables: { d: 'a/b' } });
    expect(r.status).toBe(404);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors?.[0].message).toBe('Not found: documentId of auditEvents is not a valid id.');
  });
});

describe('graphql: per-principal rate limit', () => {
  it(`allows ${GRAPHQL_RATE.requests} requests a minute per key, then answers 429 rate_limited with Retry-After, before parsing`, async () => {
    const mine = await keyFor(orgId);
    for (let i = 0; i < GRAPHQL_RATE.requests; i++) {
      const r = await gql('{ me { id } }', { key: mine });
      if (r.status !== 200) throw new Error(`request ${i + 1} answered ${r.status}`);
    }
    // Even a document that does not parse is refused by the limit first: nothing was read.
    const over = await gql('{ this is not graphql', { key: mine });
    expect(over.status).toBe(429);
    expect(code(over)).toBe('rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(GRAPHQL_RATE.perSeconds);
    expect(over.body.errors?.[0].message).toMatch(/Too many GraphQL requests/);
    // Another key of the same organisation has its own budget.
    expect((await gql('{ me { id } }', { key })).status).toBe(200);
  });
});
