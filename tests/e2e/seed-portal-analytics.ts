/*
 * Writes a month of portal activity into the database of the running e2e server, for the analytics
 * spec: a busy portal (guests reading four documents, downloads, refusals of several kinds) and an
 * empty one, in the demo organisation. Guest events go through recordAudit exactly as the guest paths
 * write them (shareId null, details.portalId), at past times; page times as page-timing leaves them.
 *
 * Run by the spec with LIAISON_DATA_DIR (embedded database of the running server) or DATABASE_URL.
 * Prints one JSON line: the portal ids and the totals the page must show for the last 30 days.
 */
import { connectDatabase } from '../../lib/db/connect';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { createStaff, fileFrom } from '../helpers/factory';
import { briefPdf } from '../helpers/brief-pdf';
import { createGuest, createPortal, createSession, guestEvent } from '../helpers/portal-analytics-fixture';

const DAY = 86_400_000;

// Deterministic pseudo-random numbers (mulberry32), so every run draws the same month.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  await connectDatabase({ publish: false, reuseRunning: true });
  const org = await prisma().organization.findUniqueOrThrow({ where: { slug: 'demo' } });
  // A member, not an admin: other specs count the demo organisation's administrators.
  const { principal } = await createStaff(org.id, 'MEMBER');
  const titles = ['Merger agreement — draft 4', 'Due diligence summary', 'Board minutes, October', 'Regulatory filing Q3'];
  const pages = [12, 8, 5, 6];
  const docs = [];
  for (const [i, title] of titles.entries()) {
    docs.push(await createDocument(principal, fileFrom(await briefPdf(pages[i], title), `doc-${i}.pdf`, 'application/pdf'), { title, tlp: 'AMBER' }, 5e7));
  }
  const suffix = Date.now().toString(36);
  const portal = await prisma().portal.create({ data: { orgId: org.id, name: 'Northbridge Counsel', slug: `northbridge-${suffix}` } });
  const empty = await createPortal(org.id, 'Quiet Portal');
  const emails = ['d.okafor@northbridge-law.example', 'm.lindqvist@northbridge-law.example', 'priya.raman@hallett-partners.example', 'j.moreau@ecf-advisory.example',
    'counsel@fairhaven.example', 'a.becker@northbridge-law.example', 'reviewer@statebar.example', 'ops@forensics-lab.example'];
  const guests = [];
  for (const e of emails) guests.push(await createGuest(org.id, e));

  const realNow = Date.now;
  const now = realNow();
  const from = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate()) - 29 * DAY;
  const r = rng(42);
  const totals = { views: 0, downloads: 0, uniqueGuests: 0, refusals: 0 };
  const seen = new Set<string>();
  const reasons = ['ip_denied', 'ip_denied', 'expired', 'device_denied', 'download_not_allowed', 'invalid_token', 'geo_denied', 'ip_denied'];
  let fake = now;
  Date.now = () => fake;
  try {
    for (let d = 0; d < 30; d++) {
      const dayStart = from + d * DAY;
      const weekday = new Date(dayStart).getUTCDay() % 6 !== 0;
      // Busier on weekdays, and a due-diligence push in the middle of the month.
      const active = guests.filter((_, i) => r() < (weekday ? 0.35 : 0.08) + (d > 10 && d < 18 ? 0.25 : 0) - i * 0.02);
      for (const [gi, g] of active.entries()) {
        const at = dayStart + (8 + gi + Math.floor(r() * 8)) * 3_600_000;
        if (at >= now - 60_000) continue;
        fake = at;
        seen.add(g.id);
        await guestEvent(org.id, { type: 'guest.session', guestId: g.id, portalId: portal.id });
        const session = await createSession(g.id, { portalId: portal.id }, new Date(at));
        const opened = docs.filter(() => r() < 0.55);
        for (const [k, doc] of (opened.length ? opened : [docs[0]]).entries()) {
          fake = at + (k + 1) * 60_000;
          await guestEvent(org.id, { type: 'guest.view', guestId: g.id, portalId: portal.id, documentId: doc.id });
          totals.views++;
          const n = pages[docs.indexOf(doc)];
          const read = 1 + Math.floor(r() * n);
          await prisma().guestPageView.createMany({ data: Array.from({ length: read }, (_, p) => ({
            sessionId: session.id, versionId: doc.versionId, page: p + 1, firstAt: new Date(fake), lastAt: new Date(fake),
            // Longer on the first pages and on the key clauses (page 4), capped like real timing.
            dwellMs: Math.min(300_000, Math.round((20_000 + r() * 70_000) * (p === 0 ? 1.6 : p === 3 ? 2.2 : 1) * (1 - p / (n * 1.6)))),
          })) });
          if (r() < 0.22) {
            await guestEvent(org.id, { type: 'guest.download', guestId: g.id, portalId: portal.id, documentId: doc.id });
            totals.downloads++;
          }
        }
      }
      if (r() < 0.45) {
        const n = 1 + Math.floor(r() * 3);
        for (let k = 0; k < n; k++) {
          const at = dayStart + (6 + Math.floor(r() * 14)) * 3_600_000;
          if (at >= now - 60_000) continue;
          fake = at;
          const reason = reasons[Math.floor(r() * reasons.length)];
          const who = reason === 'invalid_token' ? null : guests[Math.floor(r() * guests.length)].id;
          await guestEvent(org.id, { type: reason === 'download_not_allowed' ? 'guest.download' : 'guest.view', guestId: who, portalId: portal.id, documentId: docs[0].id, outcome: 'denied', reason });
          totals.refusals++;
        }
      }
    }
  } finally {
    Date.now = realNow;
  }
  totals.uniqueGuests = seen.size;
  console.log(JSON.stringify({ portalId: portal.id, emptyPortalId: empty.id, totals, documents: titles }));
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
