import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { participantId } from '../../lib/collab/types';
import { revokeShare } from '../../lib/shares/service';
import { apiToken, sharedPdf } from '../helpers/guest';
import { consoleSession } from '../helpers/console-session';
import { ack, connect, next, realtimeServer, revokedAndClosed, type Client } from '../helpers/realtime';

type Presence = { documentId: string; participants: { id: string; name: string; kind: string; page?: number }[] };

let srv: Awaited<ReturnType<typeof realtimeServer>>;
beforeAll(async () => { srv = await realtimeServer(); });
afterAll(async () => { await srv.close(); });

const guestIdOf = async (token: string) => {
  const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
  return participantId('guest', (await prisma().guestSession.findUniqueOrThrow({ where: { id: sid } })).guestId);
};

/** Waits for a presence event on `documentId` whose participant ids satisfy `check`. */
const presenceIds = (s: Client, documentId: string, check: (ids: string[]) => boolean, ms = 5000) =>
  next<Presence>(s, 'presence', ms, (p) => p.documentId === documentId && check(p.participants.map((x) => x.id)));

async function fixture(flags: { showGuestPresence: boolean; keepPartiesApart: boolean }, url = () => srv.url) {
  const s = await sharedPdf({ permission: 'COMMENT' });
  await prisma().share.update({ where: { id: s.share.id }, data: flags });
  const [ta, tb] = [await apiToken(s.url), await apiToken(s.url)];
  const [ga, gb] = [await guestIdOf(ta), await guestIdOf(tb)];
  const userId = s.principal.kind === 'staff' ? s.principal.userId : '';
  const { cookie } = await consoleSession({ id: userId, orgId: s.org.id });
  return {
    s, ta, tb, ga, gb, staffId: participantId('staff', userId),
    guest: (token: string, extra: Record<string, unknown> = {}) => connect(url(), { auth: { token, ...extra } }),
    staff: (u = url()) => connect(u, { extraHeaders: { cookie } }),
  };
}

describe('presence', () => {
  it('open grant with guest presence: everyone sees everyone, one entry per participant, with the page they are on', async () => {
    const f = await fixture({ showGuestPresence: true, keepPartiesApart: false });
    const d = f.s.doc.id;
    const a = await f.guest(f.ta, { name: 'The Senior Partner', id: 'staff:boss', kind: 'staff' });
    const a2 = await f.guest(f.ta); // a second tab of the same session
    const b = await f.guest(f.tb);
    const staff = await f.staff();
    const joinedA = await ack<{ ok: boolean; self: Presence['participants'][number]; participants: Presence['participants'] }>(a, 'join', { documentId: d });
    expect(joinedA.participants.map((p) => p.id)).toEqual([f.ga]);
    expect(joinedA.self).toEqual({ id: f.ga, name: `Guest ${f.ga.slice(-6)}`, kind: 'guest' });
    await ack(a2, 'join', { documentId: d });
    await ack(b, 'join', { documentId: d });
    const seenByStaff = presenceIds(staff, d, (ids) => ids.length === 3);
    await ack(staff, 'join', { documentId: d });
    const all = await seenByStaff;
    expect(all.participants.map((p) => p.id).sort()).toEqual([f.ga, f.gb, f.staffId].sort());
    // What the client put in its handshake is ignored: the server's own identity is shown.
    expect(all.participants.find((p) => p.id === f.ga)).toMatchObject({ kind: 'guest', name: `Guest ${f.ga.slice(-6)}` });
    expect(all.participants.some((p) => p.name === 'The Senior Partner' || p.id === 'staff:boss')).toBe(false);
    // A guest of the same open grant sees the other guest and staff.
    await presenceIds(b, d, (ids) => ids.includes(f.ga) && ids.includes(f.staffId) && ids.includes(f.gb));
    // Pages.
    const paged = next<Presence>(staff, 'presence', 5000, (p) => p.participants.some((x) => x.id === f.ga && x.page === 1));
    expect(await ack(a, 'page', { documentId: d, page: 1 })).toMatchObject({ ok: true, page: 1 });
    await paged;
    // One tab closing keeps the guest present (the other tab is still there); both closing removes them.
    a.close();
    await new Promise((r) => setTimeout(r, 300));
    const stillThere = await ack<{ participants: Presence['participants'] }>(staff, 'join', { documentId: d });
    expect(stillThere.participants.filter((p) => p.id === f.ga)).toHaveLength(1);
    const gone = presenceIds(staff, d, (ids) => !ids.includes(f.ga));
    a2.close();
    await gone;
    // A reconnect (new socket, same session) is one entry again, not two.
    const back = await f.guest(f.ta);
    const seen = presenceIds(staff, d, (ids) => ids.includes(f.ga));
    await ack(back, 'join', { documentId: d });
    expect((await seen).participants.filter((p) => p.id === f.ga)).toHaveLength(1);
    // leave takes the participant out.
    const left = presenceIds(staff, d, (ids) => !ids.includes(f.gb));
    await ack(b, 'leave', { documentId: d });
    await left;
    back.close(); b.close(); staff.close();
  });

  it('without guest presence, a guest sees only staff and themselves', async () => {
    const f = await fixture({ showGuestPresence: false, keepPartiesApart: false });
    const d = f.s.doc.id;
    const a = await f.guest(f.ta);
    const b = await f.guest(f.tb);
    await ack(a, 'join', { documentId: d });
    await ack(b, 'join', { documentId: d });
    const staff = await f.staff();
    const seenByA = presenceIds(a, d, (ids) => ids.includes(f.staffId));
    await ack(staff, 'join', { documentId: d });
    expect((await seenByA).participants.map((p) => p.id).sort()).toEqual([f.ga, f.staffId].sort());
    a.close(); b.close(); staff.close();
  });

  it('keepPartiesApart: guests never see each other, in presence or typing, even with guest presence on', async () => {
    const f = await fixture({ showGuestPresence: true, keepPartiesApart: true });
    const d = f.s.doc.id;
    const a = await f.guest(f.ta);
    const b = await f.guest(f.tb);
    const staff = await f.staff();
    await ack(staff, 'join', { documentId: d });
    await ack(a, 'join', { documentId: d });
    // A's next presence comes after B joined (the broadcast is debounced): it still lacks B.
    const aView = presenceIds(a, d, (ids) => ids.includes(f.staffId));
    const bJoin = await ack<{ participants: Presence['participants'] }>(b, 'join', { documentId: d });
    expect(bJoin.participants.map((p) => p.id).sort()).toEqual([f.gb, f.staffId].sort());
    expect((await aView).participants.map((p) => p.id).sort()).toEqual([f.ga, f.staffId].sort());
    // Staff see both (joining again answers with the presence now).
    const staffView = await ack<{ participants: Presence['participants'] }>(staff, 'join', { documentId: d });
    expect(staffView.participants.map((p) => p.id).sort()).toEqual([f.ga, f.gb, f.staffId].sort());
    // A's typing reaches staff, not B.
    const staffHears = next<{ participant: { id: string } }>(staff, 'typing', 3000);
    let bHeard = false;
    b.on('typing', () => { bHeard = true; });
    await ack(a, 'typing', { documentId: d });
    expect((await staffHears).participant.id).toBe(f.ga);
    await new Promise((r) => setTimeout(r, 300));
    expect(bHeard).toBe(false);
    a.close(); b.close(); staff.close();
  });

  it('typing on an open grant reaches the other guest with the server\'s participant', async () => {
    const f = await fixture({ showGuestPresence: false, keepPartiesApart: false });
    const d = f.s.doc.id;
    const a = await f.guest(f.ta, { participant: { id: 'staff:boss', name: 'Boss' } });
    const b = await f.guest(f.tb);
    await ack(a, 'join', { documentId: d });
    await ack(b, 'join', { documentId: d });
    const heard = next<{ documentId: string; participant: { id: string; name: string; kind: string } }>(b, 'typing', 3000);
    await ack(a, 'typing', { documentId: d });
    expect(await heard).toEqual({ documentId: d, participant: { id: f.ga, name: `Guest ${f.ga.slice(-6)}`, kind: 'guest' } });
    a.close(); b.close();
  });
});

describe('two instances with Redis', () => {
  it('presence and revocation reach sockets on the other instance within a second', async () => {
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const one = await realtimeServer({ redisUrl });
    const two = await realtimeServer({ redisUrl });
    try {
      const f = await fixture({ showGuestPresence: true, keepPartiesApart: false }, () => one.url);
      const d = f.s.doc.id;
      const a = await f.guest(f.ta);
      const staff = await f.staff(two.url);
      await ack(staff, 'join', { documentId: d });
      const seen = presenceIds(staff, d, (ids) => ids.includes(f.ga));
      await ack(a, 'join', { documentId: d });
      await seen;
      const joined = await ack<{ participants: Presence['participants'] }>(staff, 'join', { documentId: d });
      expect(joined.participants.map((p) => p.id).sort()).toEqual([f.ga, f.staffId].sort());
      // The guest is on instance one; the revocation runs here, where the last attached server (two) is the process's.
      const closed = revokedAndClosed(a, 3000);
      const t0 = performance.now();
      await revokeShare(f.s.principal, f.s.share.id);
      expect((await closed).reason).toBe('revoked');
      expect(performance.now() - t0).toBeLessThan(1000);
      const gone = presenceIds(staff, d, (ids) => !ids.includes(f.ga));
      await gone;
      staff.close();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
