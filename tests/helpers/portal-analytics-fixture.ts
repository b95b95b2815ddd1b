import crypto from 'node:crypto';
import { recordAudit } from '../../lib/audit/record';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { createOrg, createStaff, fileFrom, tinyPdf } from './factory';

/*
 * A known portal history for the analytics tests (and the Playwright spec): two portals of one
 * organisation and a share, with guest events written through recordAudit as the guest paths write
 * them (shareId null and details.portalId on portal events). Only portal A's events in the range count.
 *
 * Range: DAY0 00:00 to DAY0+3 00:00 UTC. Expected figures are in EXPECTED below.
 */

const uid = () => crypto.randomBytes(4).toString('hex');
export const DAY_MS = 86_400_000;

export async function createPortal(orgId: string, name: string) {
  return prisma().portal.create({ data: { orgId, name, slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${uid()}` } });
}

export async function createGuest(orgId: string, email: string | null) {
  return prisma().guest.create({ data: { orgId, kind: email ? 'EMAIL_VERIFIED' : 'ANONYMOUS', email } });
}

export async function createSession(guestId: string, where: { portalId?: string; shareId?: string }, at = new Date()) {
  return prisma().guestSession.create({ data: { guestId, ...where, ip: '198.51.100.20', createdAt: at, expiresAt: new Date(at.getTime() + DAY_MS) } });
}

type Ev = { type: string; guestId: string | null; portalId?: string; shareId?: string; documentId?: string; outcome?: 'success' | 'denied'; reason?: string; actorType?: 'guest' | 'anonymous' | 'staff' };

/** Writes one event as the guest paths do, at the (possibly faked) current time. */
export function guestEvent(orgId: string, e: Ev) {
  const actorType = e.actorType ?? (e.guestId ? 'guest' : 'anonymous');
  return recordAudit({
    orgId, type: e.type, shareId: e.shareId ?? null, documentId: e.documentId ?? null,
    actor: { type: actorType, id: e.guestId, label: e.guestId ?? 'anonymous' },
    request: { ip: '198.51.100.20', userAgent: 'fixture' },
    outcome: e.outcome, reason: e.reason,
    details: { ...(e.portalId ? { portalId: e.portalId, grantId: 'g-fixture' } : {}) },
  });
}

export async function analyticsFixture(day0: Date, setTime: (d: Date) => void) {
  const org = await createOrg('Analytics Org');
  return analyticsFixtureIn(org, day0, setTime);
}

export async function analyticsFixtureIn(org: { id: string }, day0: Date, setTime: (d: Date) => void) {
  const { principal } = await createStaff(org.id, 'ADMIN');
  const doc1 = await createDocument(principal, fileFrom(tinyPdf('Merger memo'), 'memo.pdf', 'application/pdf'), { title: 'Merger memo', tlp: 'AMBER' }, 1e7);
  const doc2 = await createDocument(principal, fileFrom(tinyPdf('Board minutes'), 'minutes.pdf', 'application/pdf'), { title: 'Board minutes', tlp: 'GREEN' }, 1e7);
  const { share } = await createShare(principal, { documentIds: [doc1.id] } as CreateShareInput);
  const portalA = await createPortal(org.id, 'Counsel Portal');
  const portalB = await createPortal(org.id, 'Other Portal');
  const alice = await createGuest(org.id, 'alice@counsel.example');
  const bob = await createGuest(org.id, null);
  const carol = await createGuest(org.id, 'carol@blocked.example');

  const at = (days: number, hours: number) => new Date(day0.getTime() + days * DAY_MS + hours * 3_600_000);
  const A = portalA.id;
  const o = org.id;
  const run = async (when: Date, events: Ev[]) => {
    setTime(when);
    for (const e of events) await guestEvent(o, e);
  };

  // Before the range: not counted.
  await run(at(-5, 10), [{ type: 'guest.view', guestId: bob.id, portalId: A, documentId: doc1.id }]);
  await run(at(0, 9), [
    { type: 'guest.session', guestId: alice.id, portalId: A },
    { type: 'guest.view', guestId: alice.id, portalId: A, documentId: doc1.id },
    { type: 'guest.view.page', guestId: alice.id, portalId: A, documentId: doc1.id },
    { type: 'guest.view', guestId: bob.id, portalId: A, documentId: doc1.id },
    { type: 'guest.download', guestId: bob.id, portalId: A, documentId: doc2.id },
    { type: 'guest.view', guestId: carol.id, portalId: A, documentId: doc1.id, outcome: 'denied', reason: 'ip_denied' },
    // Other portal, a share, and a staff preview of portal A: none of them count.
    { type: 'guest.view', guestId: alice.id, portalId: portalB.id, documentId: doc1.id },
    { type: 'guest.view', guestId: alice.id, shareId: share.id, documentId: doc1.id },
    { type: 'guest.view', guestId: alice.id, shareId: share.id, portalId: A, documentId: doc1.id },
    { type: 'guest.view', guestId: null, portalId: A, documentId: doc1.id, actorType: 'staff' },
  ]);
  await run(at(2, 15), [
    { type: 'guest.view', guestId: alice.id, portalId: A, documentId: doc2.id },
    { type: 'guest.download', guestId: alice.id, portalId: A, documentId: doc1.id },
    { type: 'guest.session', guestId: null, portalId: A, outcome: 'denied', reason: 'invalid_token' },
    { type: 'guest.download', guestId: carol.id, portalId: A, documentId: doc1.id, outcome: 'denied', reason: 'download_not_allowed' },
    { type: 'guest.view', guestId: carol.id, portalId: A, documentId: doc1.id, outcome: 'denied', reason: 'ip_denied' },
    { type: 'guest.download', guestId: bob.id, portalId: portalB.id, documentId: doc1.id, outcome: 'denied', reason: 'expired' },
  ]);
  // After the range: not counted.
  await run(at(3, 1), [{ type: 'guest.download', guestId: alice.id, portalId: A, documentId: doc1.id }]);

  // Page times, as page-timing would have left them.
  const v1 = doc1.versionId;
  const sAlice = await createSession(alice.id, { portalId: A }, at(0, 9));
  const sBob = await createSession(bob.id, { portalId: A }, at(0, 9));
  const sOther = await createSession(alice.id, { portalId: portalB.id }, at(0, 9));
  const sShare = await createSession(alice.id, { shareId: share.id }, at(0, 9));
  const inRange = { firstAt: at(0, 9), lastAt: at(0, 10) };
  await prisma().guestPageView.createMany({ data: [
    { sessionId: sAlice.id, versionId: v1, page: 0, dwellMs: 0, ...inRange },
    { sessionId: sAlice.id, versionId: v1, page: 1, dwellMs: 30_000, views: 2, ...inRange },
    { sessionId: sAlice.id, versionId: v1, page: 2, dwellMs: 12_000, ...inRange },
    { sessionId: sBob.id, versionId: v1, page: 1, dwellMs: 5_000, ...inRange },
    { sessionId: sOther.id, versionId: v1, page: 1, dwellMs: 99_999, ...inRange },
    { sessionId: sShare.id, versionId: v1, page: 1, dwellMs: 77_777, ...inRange },
    // Read long before the range.
    { sessionId: sBob.id, versionId: v1, page: 3, dwellMs: 44_444, firstAt: at(-9, 0), lastAt: at(-9, 1) },
  ] });

  return { org, principal, doc1, doc2, share, portalA, portalB, alice, bob, carol, from: at(0, 0), to: at(3, 0) };
}

export const dayString = (d: Date, plusDays = 0) => new Date(d.getTime() + plusDays * DAY_MS).toISOString().slice(0, 10);
