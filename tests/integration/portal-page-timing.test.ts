import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { MAX_PAGE_DWELL_MS, recordPageDwell } from '../../lib/portals/page-timing';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { createGuest, createPortal, createSession } from '../helpers/portal-analytics-fixture';

describe('portal page timing', () => {
  let guestId: string;
  let portalId: string;
  let versionId: string;

  beforeAll(async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    versionId = (await createDocument(principal, fileFrom(tinyPdf('Timed'), 't.pdf', 'application/pdf'), { title: 'Timed', tlp: 'AMBER' }, 1e7)).versionId;
    portalId = (await createPortal(org.id, 'Timing')).id;
    guestId = (await createGuest(org.id, 'reader@counsel.example')).id;
  });

  // Page views exist before timing runs: recordPageView writes them on the same request.
  async function sessionWithPages(pages: number[]) {
    const s = await createSession(guestId, { portalId });
    await prisma().guestPageView.createMany({ data: pages.map((page) => ({ sessionId: s.id, versionId, page })) });
    return s.id;
  }
  const dwell = async (sessionId: string) => Object.fromEntries((await prisma().guestPageView.findMany({ where: { sessionId }, orderBy: { page: 'asc' } })).map((v) => [v.page, v.dwellMs]));

  it('credits the time until the next page image to the page before it, capped for a tab left open', async () => {
    const sid = await sessionWithPages([1, 2, 3]);
    const t0 = Date.UTC(2026, 10, 20, 9, 0, 0);
    expect(await recordPageDwell(sid, versionId, 1, new Date(t0))).toEqual({ previous: null });
    expect(await recordPageDwell(sid, versionId, 2, new Date(t0 + 10_000))).toEqual({ previous: { versionId, page: 1, addedMs: 10_000 } });
    expect(await recordPageDwell(sid, versionId, 3, new Date(t0 + 25_500))).toEqual({ previous: { versionId, page: 2, addedMs: 15_500 } });
    // Twenty minutes on page 3 (lunch): only the cap counts.
    expect(await recordPageDwell(sid, versionId, 1, new Date(t0 + 25_500 + 20 * 60_000))).toEqual({ previous: { versionId, page: 3, addedMs: MAX_PAGE_DWELL_MS } });
    // Back on page 1 for 4 s, then page 2 again: page 1 adds up.
    await recordPageDwell(sid, versionId, 2, new Date(t0 + 25_500 + 20 * 60_000 + 4_000));
    expect(await dwell(sid)).toEqual({ 1: 14_000, 2: 15_500, 3: MAX_PAGE_DWELL_MS });
    const s = await prisma().guestSession.findUniqueOrThrow({ where: { id: sid } });
    expect(s).toMatchObject({ lastPageVersionId: versionId, lastPage: 2, lastPageAt: new Date(t0 + 25_500 + 20 * 60_000 + 4_000) });
  });

  it('ignores thumbnails (page 0) and a request older than the last page served', async () => {
    const sid = await sessionWithPages([0, 1, 2]);
    const t0 = Date.UTC(2026, 10, 21, 9, 0, 0);
    await recordPageDwell(sid, versionId, 1, new Date(t0));
    expect(await recordPageDwell(sid, versionId, 0, new Date(t0 + 1_000))).toEqual({ previous: null });
    // A slow request for page 2 that started before page 1 was served commits late: nothing is credited,
    // and the session stays on page 1.
    expect(await recordPageDwell(sid, versionId, 2, new Date(t0 - 3_000))).toEqual({ previous: { versionId, page: 1, addedMs: 0 } });
    await recordPageDwell(sid, versionId, 2, new Date(t0 + 7_000));
    expect(await dwell(sid)).toEqual({ 0: 0, 1: 7_000, 2: 0 });
  });

  it('loses no time and counts none twice under concurrent page requests of one session', async () => {
    const sid = await sessionWithPages([1, 2, 3, 4]);
    const t0 = Date.UTC(2026, 10, 22, 9, 0, 0);
    await recordPageDwell(sid, versionId, 1, new Date(t0));
    // 24 page turns one second apart, sent at once in a shuffled order.
    const turns = Array.from({ length: 24 }, (_, i) => ({ page: (i % 4) + 1, at: new Date(t0 + (i + 1) * 1_000) }));
    const shuffled = [...turns].sort((a, b) => ((a.at.getTime() * 7919) % 13) - ((b.at.getTime() * 7919) % 13));
    await Promise.all(shuffled.map((x) => recordPageDwell(sid, versionId, x.page, x.at)));
    const total = Object.values(await dwell(sid)).reduce((a, b) => a + b, 0);
    // Every second up to the latest page turn is credited exactly once, whatever the order of arrival.
    expect(total).toBe(24_000);
    const s = await prisma().guestSession.findUniqueOrThrow({ where: { id: sid } });
    expect(s.lastPageAt).toEqual(turns.at(-1)!.at);
    expect(s.lastPage).toBe(turns.at(-1)!.page);
  });

  it('credits each of two sessions reading the same page separately', async () => {
    const a = await sessionWithPages([1, 2]);
    const b = await sessionWithPages([1, 2]);
    const t0 = Date.UTC(2026, 10, 23, 9, 0, 0);
    await Promise.all([recordPageDwell(a, versionId, 1, new Date(t0)), recordPageDwell(b, versionId, 1, new Date(t0))]);
    await Promise.all([recordPageDwell(a, versionId, 2, new Date(t0 + 2_000)), recordPageDwell(b, versionId, 2, new Date(t0 + 9_000))]);
    expect(await dwell(a)).toEqual({ 1: 2_000, 2: 0 });
    expect(await dwell(b)).toEqual({ 1: 9_000, 2: 0 });
  });
});
