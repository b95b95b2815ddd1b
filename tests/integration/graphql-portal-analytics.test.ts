import { beforeAll, describe, expect, it, vi } from 'vitest';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import { createOrg } from '../helpers/factory';
import { analyticsFixture, dayString } from '../helpers/portal-analytics-fixture';

const DAY0 = new Date('2026-10-05T00:00:00Z');

async function gql(query: string, key: string, variables?: Record<string, unknown>) {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.40' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}

const QUERY = `query($id: ID!, $from: DateTime, $to: DateTime) {
  portalAnalytics(portalId: $id, from: $from, to: $to) {
    portalId from to
    totals { views downloads uniqueGuests refusals }
    daily { date views downloads uniqueGuests }
    documents { documentId title views downloads totalDwellMs pages { page dwellMs views } }
    guests { guestId label events views downloads lastSeenAt daily { date events } }
    refusals { reason count }
  }
}`;

describe('graphql: portalAnalytics', () => {
  let f: Awaited<ReturnType<typeof analyticsFixture>>;
  let key: string;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      f = await analyticsFixture(DAY0, (d) => vi.setSystemTime(d));
    } finally {
      vi.useRealTimers();
    }
    key = (await issueApiKey({ orgId: f.org.id, name: 'analytics', scopes: ['shares:read'], actor: null })).key;
  });

  it('answers the same structure and figures as the console', async () => {
    const r = await gql(QUERY, key, { id: f.portalA.id, from: f.from.toISOString(), to: f.to.toISOString() });
    expect(r.body.errors).toBeUndefined();
    const a = r.body.data.portalAnalytics;
    expect(a).toMatchObject({ portalId: f.portalA.id, from: f.from.toISOString(), to: f.to.toISOString(), totals: { views: 3, downloads: 2, uniqueGuests: 2, refusals: 4 } });
    expect(a.daily.map((d: { date: string; views: number }) => [d.date, d.views])).toEqual([[dayString(DAY0), 2], [dayString(DAY0, 1), 0], [dayString(DAY0, 2), 1]]);
    expect(a.documents[0]).toEqual({ documentId: f.doc1.id, title: 'Merger memo', views: 2, downloads: 1, totalDwellMs: 47_000, pages: [{ page: 1, dwellMs: 35_000, views: 2 }, { page: 2, dwellMs: 12_000, views: 1 }] });
    expect(a.guests[0]).toMatchObject({ guestId: f.alice.id, label: 'alice@counsel.example', events: 5, daily: [{ date: dayString(DAY0), events: 3 }, { date: dayString(DAY0, 1), events: 0 }, { date: dayString(DAY0, 2), events: 2 }] });
    expect(a.refusals).toEqual([{ reason: 'ip_denied', count: 2 }, { reason: 'download_not_allowed', count: 1 }, { reason: 'invalid_token', count: 1 }]);
  });

  it('refuses a bad range with validation_failed, another organisation with not_found, and a key without the scope', async () => {
    const back = await gql(QUERY, key, { id: f.portalA.id, from: f.to.toISOString(), to: f.from.toISOString() });
    expect(back.body.errors?.[0]?.extensions?.code).toBe('validation_failed');
    const other = await createOrg('Other GraphQL Org');
    const otherKey = (await issueApiKey({ orgId: other.id, name: 'other', actor: null })).key;
    const cross = await gql(QUERY, otherKey, { id: f.portalA.id });
    expect(cross.body.errors?.[0]?.extensions?.code).toBe('not_found');
    expect(cross.body.data?.portalAnalytics ?? null).toBeNull();
    const docsOnly = (await issueApiKey({ orgId: f.org.id, name: 'docs', scopes: ['documents:read'], actor: null })).key;
    const denied = await gql(QUERY, docsOnly, { id: f.portalA.id });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('insufficient_scope');
  });
});
