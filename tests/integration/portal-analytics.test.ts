import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import { parse } from 'csv-parse/sync';
import { portalAnalytics, type PortalAnalytics } from '../../lib/portals/analytics';
import { portalAnalyticsCsv, toCsv } from '../../lib/portals/analytics-csv';
import { verifyAuditChain } from '../../lib/audit/verify';
import { apiKeyPrincipal, createOrg, createStaff } from '../helpers/factory';
import { analyticsFixture, dayString } from '../helpers/portal-analytics-fixture';
import { consoleSession } from '../helpers/console-session';
import { prisma } from '../../lib/db/client';
import { GET as exportRoute } from '../../app/(console)/portals/[id]/analytics/export/route';

const DAY0 = new Date('2026-11-10T00:00:00Z');

describe('portal analytics', () => {
  let f: Awaited<ReturnType<typeof analyticsFixture>>;
  let a: PortalAnalytics;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      f = await analyticsFixture(DAY0, (d) => vi.setSystemTime(d));
    } finally {
      vi.useRealTimers();
    }
    a = await portalAnalytics(f.principal, f.portalA.id, { from: f.from, to: f.to });
  });
  afterAll(() => vi.useRealTimers());

  it('counts views, downloads, unique guests and refusals of this portal only', () => {
    expect(a.portal).toEqual({ id: f.portalA.id, name: 'Counsel Portal', slug: f.portalA.slug });
    expect(a.totals).toEqual({ views: 3, downloads: 2, uniqueGuests: 2, refusals: 4 });
    expect(a.daily).toEqual([
      { date: dayString(DAY0), views: 2, downloads: 1, uniqueGuests: 2 },
      { date: dayString(DAY0, 1), views: 0, downloads: 0, uniqueGuests: 0 },
      { date: dayString(DAY0, 2), views: 1, downloads: 1, uniqueGuests: 1 },
    ]);
    expect(a.refusals).toEqual([{ reason: 'ip_denied', count: 2 }, { reason: 'download_not_allowed', count: 1 }, { reason: 'invalid_token', count: 1 }]);
  });

  it('gives each document its views, downloads and time per page (thumbnails, other portals and shares left out)', () => {
    expect(a.documents).toEqual([
      { documentId: f.doc1.id, title: 'Merger memo', views: 2, downloads: 1, totalDwellMs: 47_000, pages: [{ page: 1, dwellMs: 35_000, views: 2 }, { page: 2, dwellMs: 12_000, views: 1 }] },
      { documentId: f.doc2.id, title: 'Board minutes', views: 1, downloads: 1, totalDwellMs: 0, pages: [] },
    ]);
  });

  it('lists guests by activity with a value for every day', () => {
    expect(a.guests).toEqual([
      { guestId: f.alice.id, label: 'alice@counsel.example', events: 5, views: 2, downloads: 1, lastSeenAt: new Date(DAY0.getTime() + 2 * 86_400_000 + 15 * 3_600_000),
        daily: [{ date: dayString(DAY0), events: 3 }, { date: dayString(DAY0, 1), events: 0 }, { date: dayString(DAY0, 2), events: 2 }] },
      { guestId: f.bob.id, label: `guest ${f.bob.id}`, events: 2, views: 1, downloads: 1, lastSeenAt: new Date(DAY0.getTime() + 9 * 3_600_000),
        daily: [{ date: dayString(DAY0), events: 2 }, { date: dayString(DAY0, 1), events: 0 }, { date: dayString(DAY0, 2), events: 0 }] },
    ]);
  });

  it('the fixture kept the audit chain intact (events were written through recordAudit)', async () => {
    expect(await verifyAuditChain(f.org.id)).toMatchObject({ ok: true });
  });

  it('shows an empty portal as zeros, and defaults to the last 30 days', async () => {
    const empty = await portalAnalytics(f.principal, f.portalB.id, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-08T00:00:00Z') });
    expect(empty.totals).toEqual({ views: 0, downloads: 0, uniqueGuests: 0, refusals: 0 });
    expect(empty.daily).toHaveLength(7);
    expect(empty.daily.every((d) => d.views === 0 && d.uniqueGuests === 0)).toBe(true);
    expect([empty.documents, empty.guests, empty.refusals]).toEqual([[], [], []]);
    const recent = await portalAnalytics(f.principal, f.portalA.id);
    expect(recent.to.getTime() - recent.from.getTime()).toBe(30 * 86_400_000);
    expect(recent.daily.length).toBe(31);
  });

  it('refuses a backwards or over-long range', async () => {
    await expect(portalAnalytics(f.principal, f.portalA.id, { from: f.to, to: f.from })).rejects.toThrow(ZodError);
    await expect(portalAnalytics(f.principal, f.portalA.id, { from: new Date('2024-01-01'), to: new Date('2026-01-01') })).rejects.toThrow(/at most 366 days/);
  });

  it('answers not_found to staff of another organisation, and to an unknown portal', async () => {
    const other = await createOrg('Elsewhere');
    const { principal } = await createStaff(other.id, 'ADMIN');
    await expect(portalAnalytics(principal, f.portalA.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(portalAnalyticsCsv(principal, f.portalA.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(portalAnalytics(f.principal, 'cmxnotaportal0000')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('needs shares:read or audit:read', async () => {
    await expect(portalAnalytics(apiKeyPrincipal(f.org.id, ['documents:read']), f.portalA.id)).rejects.toMatchObject({ code: 'insufficient_scope' });
    const auditor = apiKeyPrincipal(f.org.id, ['audit:read']);
    expect((await portalAnalytics(auditor, f.portalA.id, { from: f.from, to: f.to })).totals.views).toBe(3);
  });

  it('exports the same figures as one long CSV table', async () => {
    const csv = await portalAnalyticsCsv(f.principal, f.portalA.id, { from: f.from, to: f.to });
    expect(csv.fileName).toBe(`portal-${f.portalA.slug}-analytics-${dayString(DAY0)}-to-${dayString(DAY0, 2)}.csv`);
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFFsection,date,id,label,page,metric,value');
    const rows = parse(csv.body, { columns: true, bom: true }) as Record<string, string>[];
    const value = (section: string, metric: string, extra: Record<string, string> = {}) =>
      rows.find((r) => r.section === section && r.metric === metric && Object.entries(extra).every(([k, v]) => r[k] === v))?.value;
    expect(value('total', 'views')).toBe('3');
    expect(value('total', 'refusals')).toBe('4');
    expect(value('day', 'downloads', { date: dayString(DAY0, 2) })).toBe('1');
    expect(value('page', 'dwell_ms', { id: f.doc1.id, page: '1' })).toBe('35000');
    expect(value('guest_day', 'events', { id: f.alice.id, date: dayString(DAY0) })).toBe('3');
    expect(value('refusal', 'count', { label: 'ip_denied' })).toBe('2');
    expect(value('range', 'from')).toBe(f.from.toISOString());
  });
});

describe('analytics CSV export route', () => {
  const get = (id: string, query: string, cookie?: string) => exportRoute(
    new Request(`http://liaison.test/portals/${encodeURIComponent(id)}/analytics/export?${query}`, { headers: cookie ? { cookie } : {} }),
    { params: Promise.resolve({ id }) });

  it('sends the CSV as an attachment to signed-in staff of the organisation only', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'AUDITOR');
    const portal = await prisma().portal.create({ data: { orgId: org.id, name: 'Route Portal', slug: `route-${user.id.slice(-6).toLowerCase()}` } });
    const { cookie } = await consoleSession(user);
    const res = await get(portal.id, 'range=custom&from=2026-11-01&to=2026-11-07', cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="portal-${portal.slug}-analytics-2026-11-01-to-2026-11-07.csv"; filename*=UTF-8''portal-${portal.slug}-analytics-2026-11-01-to-2026-11-07.csv`);
    const rows = parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.section === 'day')).toHaveLength(7 * 3);

    expect((await get(portal.id, 'range=7d')).status).toBe(401);
    const stranger = await createStaff((await createOrg()).id, 'ADMIN');
    expect((await get(portal.id, 'range=7d', (await consoleSession(stranger.user)).cookie)).status).toBe(404);
    expect((await get('..%2Fetc', 'range=7d', cookie)).status).toBe(404);
    const bad = await get(portal.id, 'range=custom&from=2026-11-09&to=2026-11-01', cookie);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'validation_failed' });
  });
});

describe('analytics CSV encoding', () => {
  it('quotes per RFC 4180 and neutralises spreadsheet formulas', () => {
    const body = toCsv([
      ['document', '', 'd1', 'Report, "final"\nv2', '', 'views', 1],
      ['document', '', 'd2', '=HYPERLINK("http://evil.example","x")', '', 'views', 2],
      ['guest', '', 'g1', '+1 555 0100', '', 'events', 3],
      ['guest', '', 'g2', '-2+3', '', 'events', 4],
      ['guest', '', 'g3', '@SUM(A1)', '', 'events', 5],
      ['guest', '', 'g4', '\tcmd', '', 'events', 6],
      ['guest', '', 'g5', '\rcmd', '', 'events', 7],
      ['guest', '', 'g6', 'plain@example.test', '', 'events', 8],
    ]);
    const lines = body.split('\r\n');
    expect(lines[1]).toBe('document,,d1,"Report, ""final""\nv2",,views,1');
    expect(lines[2]).toBe(`document,,d2,"'=HYPERLINK(""http://evil.example"",""x"")",,views,2`);
    expect(lines[3]).toBe("guest,,g1,'+1 555 0100,,events,3");
    expect(lines[4]).toBe("guest,,g2,'-2+3,,events,4");
    expect(lines[5]).toBe("guest,,g3,'@SUM(A1),,events,5");
    expect(lines[6]).toBe("guest,,g4,'\tcmd,,events,6");
    expect(lines[7]).toBe(`guest,,g5,"'\rcmd",,events,7`);
    expect(lines[8]).toBe('guest,,g6,plain@example.test,,events,8');
    expect(body.endsWith('\r\n')).toBe(true);
    const back = parse(body, { columns: true, relax_quotes: false }) as Record<string, string>[];
    expect(back.map((r) => r.label)).toEqual(['Report, "final"\nv2', `'=HYPERLINK("http://evil.example","x")`, "'+1 555 0100", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\rcmd", 'plain@example.test']);
  });
});
