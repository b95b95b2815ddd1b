/*
 * A second organisation with its own branded portal on its own (verified) domain, for the portal spec:
 * two organisations, two brandings, and a session of org B's guest on org B's domain. Run against the
 * running e2e server's database (tests/e2e/server-data.ts). Prints one JSON line.
 */
import { connectDatabase } from '../../lib/db/connect';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { openOnPortal } from '../../lib/portals/open';
import { findPortalBySlug } from '../../lib/portals/portal-lookup';
import { briefPdf } from '../helpers/brief-pdf';
import { createOrg, createStaff, fileFrom } from '../helpers/factory';

async function main() {
  await connectDatabase({ publish: false, reuseRunning: true });
  const host = process.argv[2];
  // Tokens name the server's public URL as their issuer: the same as the running server's.
  process.env.LIAISON_PUBLIC_URL = process.argv[3];
  const suffix = Date.now().toString(36);
  const org = await createOrg('Harbourline Police Service');
  const { principal } = await createStaff(org.id, 'ADMIN');
  const titles = ['Joint operation briefing — Tidewater', 'Surveillance log, week 41', 'Evidence handling protocol'];
  const docs = [];
  for (const [i, title] of titles.entries()) docs.push(await createDocument(principal, fileFrom(await briefPdf(3, title), `b-${i}.pdf`, 'application/pdf'), { title, tlp: 'GREEN' }, 5e7));
  const portal = await prisma().portal.create({
    data: {
      orgId: org.id, name: 'Harbourline Partner Agencies', slug: `harbourline-${suffix}`, primaryColor: '#7a1f2b', accentColor: '#1f5f8b',
      welcome: 'Secure exchange for partner agencies working with Harbourline Police Service on joint operations.',
      footer: 'OFFICIAL – SENSITIVE. Access is monitored and recorded. Misuse is an offence under the Computer Misuse Act 1990.',
      supportEmail: 'liaison-desk@harbourline.example',
    },
  });
  const section = await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Operation Tidewater', documents: { create: docs.map((d, position) => ({ documentId: d.id, position })) } } });
  await prisma().portalGrant.create({ data: { portalId: portal.id, orgId: org.id, emails: ['sgt.ellis@coastguard.example'], allSections: true, expiresAt: new Date(Date.now() + 30 * 86_400_000) } });
  await prisma().portalDomain.create({ data: { portalId: portal.id, orgId: org.id, hostname: host, challenge: 'seeded', verifiedAt: new Date(), lastCheckedAt: new Date() } });
  const guest = await prisma().guest.create({ data: { orgId: org.id, kind: 'EMAIL_VERIFIED', email: 'sgt.ellis@coastguard.example' } });
  const opened = await openOnPortal((await findPortalBySlug(portal.slug))!, {
    guest: { id: guest.id, kind: 'EMAIL_VERIFIED', email: guest.email, disabledAt: null, expiresAt: null, partnerOrgId: null }, method: 'code',
  }, { ip: '127.0.0.1', userAgent: 'e2e seed', host });
  console.log(JSON.stringify({ slug: portal.slug, sectionId: section.id, documentIds: docs.map((d) => d.id), token: opened.accessToken }));
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
