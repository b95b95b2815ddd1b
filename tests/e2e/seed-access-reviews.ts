/*
 * Fills the demo organisation of the running e2e server with external access to review: shares of
 * documents of several markings (one used, one expiring soon), a partner's portal grant, a partner guest
 * with a live session and an approved device. Run by access-reviews.spec.ts (see server-data.ts).
 * Prints one JSON line: the guest's address and the titles the spec looks for.
 */
import { connectDatabase } from '../../lib/db/connect';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const DAY = 86_400_000;

async function main() {
  await connectDatabase({ publish: false, reuseRunning: true });
  const org = await prisma().organization.findUniqueOrThrow({ where: { slug: 'demo' } });
  await prisma().organization.update({ where: { id: org.id }, data: { tlpCeiling: 'RED' } });
  // A member owns the shares: other specs count the demo organisation's administrators.
  const { user, principal } = await createStaff(org.id, 'MEMBER');
  const suffix = Date.now().toString(36);
  const doc = async (title: string, tlp: 'GREEN' | 'AMBER' | 'RED') => ({ title, ...(await createDocument(principal, fileFrom(tinyPdf(title), `${title}.pdf`, 'application/pdf'), { title, tlp }, 1e7)) });
  const red = await doc(`Harbour merger dossier ${suffix}`, 'RED');
  const amber = await doc(`Vendor risk register ${suffix}`, 'AMBER');
  const green = await doc(`Press kit ${suffix}`, 'GREEN');
  const redShare = await createShare(principal, { documentIds: [red.id], audience: 'VERIFIED_EMAIL', recipients: ['dana@northwind.example'] } as CreateShareInput);
  await createShare(principal, { documentIds: [amber.id], recipients: ['ops@supplier.example'], expiresAt: new Date(Date.now() + 3 * DAY) } as CreateShareInput);
  const used = await createShare(principal, { documentIds: [green.id, amber.id] } as CreateShareInput);
  await prisma().share.update({ where: { id: used.share.id }, data: { accessCount: 42, lastAccessAt: new Date(Date.now() - 2 * DAY) } });
  const partner = await prisma().partnerOrg.create({ data: { orgId: org.id, name: `Northwind Forensics ${suffix}`, domains: ['northwind.example'] } });
  const portal = await prisma().portal.create({ data: { orgId: org.id, name: 'Northwind data room', slug: `northwind-${suffix}`, createdById: user.id } });
  await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Contracts', documents: { create: [{ documentId: amber.id }] } } });
  await prisma().portalGrant.create({ data: { portalId: portal.id, orgId: org.id, createdById: user.id, emails: ['dana@northwind.example'], allSections: true, expiresAt: new Date(Date.now() + 30 * DAY), accessCount: 7, lastAccessAt: new Date(Date.now() - 40 * DAY) } });
  const guest = await prisma().guest.create({ data: { orgId: org.id, kind: 'EMAIL_VERIFIED', email: 'dana@northwind.example', displayName: 'Dana Whitfield', partnerOrgId: partner.id } });
  await prisma().guestSession.create({ data: { guestId: guest.id, shareId: redShare.share.id, ip: '198.51.100.44', country: 'GB', device: 'desktop', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', authMethod: 'code', host: 'localhost', expiresAt: new Date(Date.now() + 8 * 3600_000) } });
  await prisma().guestDevice.create({ data: { guestId: guest.id, orgId: org.id, thumbprint: `tp-${suffix}`, publicJwk: {}, label: 'Chrome 131 on macOS', status: 'APPROVED', lastUsedAt: new Date(Date.now() - DAY) } });
  // 52 older link shares to one domain: more than a page (50), for "select all matching".
  const bulkDomain = `bulk-${suffix}.example`;
  await prisma().share.createMany({
    data: Array.from({ length: 52 }, (_, i) => ({ orgId: org.id, createdById: user.id, audience: 'VERIFIED_EMAIL' as const, allowedDomains: [bulkDomain], expiresAt: new Date(Date.now() + 20 * DAY), createdAt: new Date(Date.now() - (10 * DAY + i * 60_000)) })),
  });
  const bulk = await prisma().share.findMany({ where: { orgId: org.id, allowedDomains: { has: bulkDomain } }, select: { id: true } });
  await prisma().shareDocument.createMany({ data: bulk.map((s) => ({ shareId: s.id, documentId: green.id })) });
  console.log(JSON.stringify({ guest: 'dana@northwind.example', red: red.title, amber: amber.title, partner: partner.id, bulkDomain }));
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
