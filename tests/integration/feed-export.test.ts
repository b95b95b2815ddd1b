import { beforeAll, describe, expect, it } from 'vitest';
import { GET as exportRoute } from '../../app/api/v1/audit/export/route';
import { issueApiKey } from '../../lib/auth/api-keys';
import type { Scope } from '../../lib/auth/scopes';
import { recordAudit } from '../../lib/audit/record';
import { prisma } from '../../lib/db/client';
import { recomputeHash } from '../../lib/feed/bundle-format';
import type { FeedEvent } from '../../lib/feed/event-rows';
import { exportLines } from '../../lib/feed/export';
import { GENESIS_HASH } from '../../lib/audit/chain';
import { createOrg } from '../helpers/factory';

const keyFor = async (orgId: string, scopes: Scope[]) => (await issueApiKey({ orgId, name: `feed ${scopes.join('+')}`, scopes, actor: null })).key;

async function get(query: string, key: string) {
  const req = new Request(`http://liaison.test/api/v1/audit/export${query}`, {
    headers: { authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.44', 'user-agent': 'vitest-feed' },
  });
  return exportRoute(req, { params: Promise.resolve({}) });
}

const parseLines = (text: string): FeedEvent[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FeedEvent);

describe('GET /api/v1/audit/export', () => {
  let org: { id: string; slug: string };
  let other: { id: string; slug: string };
  let readKey: string;
  let sharesKey: string;
  let otherKey: string;

  beforeAll(async () => {
    org = await createOrg('Feed Org');
    other = await createOrg('Other Org');
    readKey = await keyFor(org.id, ['audit:read']);
    sharesKey = await keyFor(org.id, ['shares:read']);
    otherKey = await keyFor(other.id, ['audit:read']);
    // Varied content: unicode, nested details, nulls.
    await Promise.all(Array.from({ length: 30 }, (_, i) => recordAudit({
      orgId: org.id, type: i % 3 ? 'guest.view' : 'share.update', actor: { type: 'system', label: `writer ${i} — ünïcødé 𝄞` },
      request: { ip: `192.0.2.${i}`, userAgent: null }, details: { i, nested: { list: [1, 'two', null], text: 'line\nbreak "quoted"' } },
    })));
    await recordAudit({ orgId: other.id, type: 'other.secret', actor: { type: 'system', label: 'other' } });
  });

  it('streams the whole trail as NDJSON, oldest first, every hash recomputable and linked', async () => {
    const res = await get('', readKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const events = parseLines(text);
    // The API key's creation (3 keys, in this organisation: 2), 30 events, and the export itself.
    expect(events.length).toBeGreaterThanOrEqual(31);
    expect(Number(res.headers.get('x-liaison-audit-through'))).toBe(events[events.length - 1].seq);
    let prev = GENESIS_HASH;
    events.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.orgId).toBe(org.id);
      expect(e.prevHash).toBe(prev);
      expect(recomputeHash(e)).toBe(e.hash);
      prev = e.hash;
    });
    expect(events.some((e) => e.type === 'other.secret')).toBe(false);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ type: 'audit.export', outcome: 'success', actorType: 'apikey', details: { after: 0 } });
  });

  it('continues after a sequence number, and accepts its own organisation slug', async () => {
    const res = await get(`?after=10&org=${org.slug}`, readKey);
    expect(res.status).toBe(200);
    const events = parseLines(await res.text());
    expect(events[0].seq).toBe(11);
    events.forEach((e, i) => expect(e.seq).toBe(11 + i));
    const beyond = await get('?after=2000000000', readKey);
    expect(beyond.status).toBe(200);
    expect(await beyond.text()).toBe('');
  });

  it('reads the database in keyset pages, one page per chunk', async () => {
    const max = (await prisma().auditEvent.aggregate({ where: { orgId: org.id }, _max: { seq: true } }))._max.seq!;
    const chunks: string[] = [];
    for await (const c of exportLines(org.id, 3, max, 7)) chunks.push(c);
    expect(chunks.length).toBe(Math.ceil((max - 3) / 7));
    expect(chunks.slice(0, -1).every((c) => parseLines(c).length === 7)).toBe(true);
    expect(parseLines(chunks.join('')).map((e) => e.seq)).toEqual(Array.from({ length: max - 3 }, (_, i) => i + 4));
  });

  it('refuses a key without audit:read (403 insufficient_scope) and audits the refusal', async () => {
    const res = await get('', sharesKey);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await res.json()).error).toBe('insufficient_scope');
    const ev = await prisma().auditEvent.findFirst({ where: { orgId: org.id, type: 'audit.export', outcome: 'denied', reason: 'insufficient_scope' } });
    expect(ev?.actorType).toBe('apikey');
  });

  it('refuses another organisation\'s slug, and an unknown one, alike; audited in the caller\'s trail', async () => {
    for (const slug of [org.slug, 'no-such-org-anywhere']) {
      const res = await get(`?org=${slug}`, otherKey);
      expect(res.status, slug).toBe(403);
      expect((await res.json()).error).toBe('forbidden');
    }
    const refusals = await prisma().auditEvent.findMany({ where: { orgId: other.id, type: 'audit.export', reason: 'other_organisation' } });
    expect(refusals.map((r) => (r.details as { org: string }).org).sort()).toEqual([org.slug, 'no-such-org-anywhere'].sort());
  });

  it('answers a malformed after with 400 validation_failed, audited', async () => {
    for (const after of ['abc', '-1', '1e3', '1.5', '99999999999', '2147483648', '']) {
      const res = await get(`?after=${encodeURIComponent(after)}`, readKey);
      expect(res.status, after).toBe(400);
      expect((await res.json()).error).toBe('validation_failed');
    }
    const refused = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'audit.export', reason: 'validation_failed' } });
    expect(refused.map((r) => (r.details as { after: string }).after)).toContain('1e3');
  });
});
