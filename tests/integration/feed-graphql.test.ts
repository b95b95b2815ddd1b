import { beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lib/auth/api-keys';
import type { Scope } from '../../lib/auth/scopes';
import { GENESIS_HASH } from '../../lib/audit/chain';
import { recordAudit } from '../../lib/audit/record';
import { prisma } from '../../lib/db/client';
import { recomputeHash, verifyBundleBytes } from '../../lib/feed/bundle-format';
import type { FeedEvent } from '../../lib/feed/event-rows';
import { handleGraphql } from '../../lib/graphql/yoga';
import { MAX_EXPORT_PAGE } from '../../lib/feed/export';
import { createOrg } from '../helpers/factory';

async function gql(key: string, query: string, variables?: Record<string, unknown>) {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.60' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() as { data?: any; errors?: Array<{ extensions?: { code?: string } }> } };
}
const keyFor = async (orgId: string, scopes: Scope[]) => (await issueApiKey({ orgId, name: 'gql feed', scopes, actor: null })).key;

const PAGE = `query($after: Int, $first: Int) { auditExport(after: $after, first: $first) {
  endSeq hasMore through events { seq id orgId at type actorType actorId actor ip userAgent shareId documentId outcome reason details prevHash hash } } }`;

describe('GraphQL: compliance feed', () => {
  let org: { id: string; slug: string };
  let key: string;
  let weakKey: string;
  let shareId: string;

  beforeAll(async () => {
    org = await createOrg('GQL feed');
    key = await keyFor(org.id, ['audit:read']);
    weakKey = await keyFor(org.id, ['shares:read', 'documents:read']);
    shareId = (await prisma().share.create({ data: { orgId: org.id, expiresAt: new Date(Date.now() + 86_400_000) } })).id;
    for (let i = 0; i < 20; i++) await recordAudit({ orgId: org.id, type: 'guest.view', shareId, actor: { type: 'system', label: 'gql' }, details: { i } });
  });

  it('pages through the trail with the cursor; every event hashes and links', async () => {
    const seen: FeedEvent[] = [];
    let after = 0;
    for (let guard = 0; guard < 20; guard++) {
      const r = await gql(key, PAGE, { after, first: 7 });
      expect(r.body.errors).toBeUndefined();
      const page = r.body.data.auditExport;
      seen.push(...page.events);
      after = page.endSeq;
      if (!page.hasMore) break;
    }
    let prev = GENESIS_HASH;
    seen.forEach((e, i) => { expect(e.seq).toBe(i + 1); expect(e.prevHash).toBe(prev); expect(recomputeHash(e)).toBe(e.hash); prev = e.hash; });
    expect(seen.length).toBeGreaterThanOrEqual(22);
    expect(seen.filter((e) => e.type === 'audit.export').length).toBeGreaterThan(0);
  });

  it('refuses without audit:read (audited), a bad first, a negative after', async () => {
    const r = await gql(weakKey, PAGE, {});
    expect(r.body.errors?.[0].extensions?.code).toBe('insufficient_scope');
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'audit.export', reason: 'insufficient_scope' } })).toBe(1);
    expect((await gql(key, PAGE, { first: 0 })).body.errors?.[0].extensions?.code).toBe('validation_failed');
    // The largest page, every field, fits the cost limit.
    const big = await gql(key, PAGE, { first: MAX_EXPORT_PAGE });
    expect(big.body.errors).toBeUndefined();
    expect(big.body.data.auditExport.events.length).toBeGreaterThan(20);
    expect((await gql(key, PAGE, { after: -1 })).body.errors?.[0].extensions?.code).toBe('validation_failed');
  });

  it('creates a signed evidence bundle that verifies offline; exactly one subject', async () => {
    const m = 'mutation($s: ID, $g: ID) { createEvidenceBundle(shareId: $s, guestId: $g) { bundle fileName sha256 events } }';
    const r = await gql(key, m, { s: shareId });
    expect(r.body.errors).toBeUndefined();
    const b = r.body.data.createEvidenceBundle;
    expect(b.events).toBe(21);
    expect(b.fileName).toBe(`evidence-share-${shareId}.json`);
    expect((await verifyBundleBytes(Buffer.from(b.bundle))).ok).toBe(true);
    expect((await gql(key, m, {})).body.errors?.[0].extensions?.code).toBe('validation_failed');
    expect((await gql(weakKey, m, { s: shareId })).body.errors?.[0].extensions?.code).toBe('insufficient_scope');
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'audit.evidence_bundle', outcome: 'denied', reason: 'insufficient_scope' } })).toBe(1);
    expect((await gql(key, m, { s: 'cmnosuchshare0000000000000' })).body.errors?.[0].extensions?.code).toBe('not_found');
  });
});
