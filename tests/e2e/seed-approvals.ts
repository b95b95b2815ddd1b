/*
 * Seeds the approvals e2e on the running server's database through the real domain code, in a child
 * process (Playwright's loader cannot import Prisma), like seed-editing.ts. Prints JSON:
 * {memberShareId, adminShareId, refusedShareId, portalId}.
 * The organisation's ceiling is raised to RED; a partner organisation with a GREEN ceiling is added.
 */
import fs from 'node:fs';
import { E2E_PORT, E2E_USERS, serverStateFile } from './env';
import { tinyPdf } from '../helpers/tiny-pdf';

async function main() {
  const state = JSON.parse(fs.readFileSync(serverStateFile(E2E_PORT), 'utf8')) as { dataDir: string; databaseUrl: string | null };
  process.env.LIAISON_DATA_DIR = state.dataDir;
  if (state.databaseUrl) process.env.DATABASE_URL = state.databaseUrl;
  const [{ connectDatabase }, { prisma, disconnect }, { createDocument }, { createShare }, { grantPortalAccess }, { decideApproval }, { ROLE_SCOPES }, { Readable }] = await Promise.all([
    import('../../lib/db/connect'), import('../../lib/db/client'), import('../../lib/documents/service'), import('../../lib/shares/service'),
    import('../../lib/portals/grants'), import('../../lib/governance/approval'), import('../../lib/auth/scopes'), import('node:stream'),
  ]);
  await connectDatabase({ publish: false, reuseRunning: true });
  try {
    const principalOf = async (email: string) => {
      const u = await prisma().staffUser.findUniqueOrThrow({ where: { email } });
      return { kind: 'staff' as const, orgId: u.orgId, userId: u.id, email: u.email, name: u.name, role: u.role, scopes: new Set(ROLE_SCOPES[u.role]), request: { ip: '198.51.100.62', userAgent: 'e2e seed' } };
    };
    const admin = await principalOf(E2E_USERS.admin.email);
    const member = await principalOf(E2E_USERS.member.email);
    await prisma().organization.update({ where: { id: admin.orgId }, data: { tlpCeiling: 'RED' } });
    // A second administrator, so that something of the first admin's waits for someone else.
    const second = await prisma().staffUser.upsert({
      where: { email: 'second-admin@e2e.liaison.test' }, update: {},
      create: { orgId: admin.orgId, email: 'second-admin@e2e.liaison.test', name: 'Sasha Second', role: 'ADMIN', passwordHash: 'x' },
    });
    const secondP = { ...admin, userId: second.id, email: second.email, name: second.name };
    await prisma().partnerOrg.create({ data: { orgId: admin.orgId, name: 'Harbour Counsel LLP', domains: ['harbour-counsel.example'], tlpCeiling: 'RED' } });
    const pdf = (t: string) => ({ stream: Readable.from([tinyPdf(t)]), fileName: `${t.toLowerCase().replace(/\W+/g, '-')}.pdf`, mediaType: 'application/pdf' });
    const red1 = await createDocument(member, pdf('Incident 4471 root cause'), { title: 'Incident 4471 root cause', tlp: 'RED' }, 1e7);
    const red2 = await createDocument(admin, pdf('Ransomware negotiation log'), { title: 'Ransomware negotiation log', tlp: 'RED' }, 1e7);
    const red3 = await createDocument(member, pdf('Supplier breach notes'), { title: 'Supplier breach notes', tlp: 'RED' }, 1e7);
    const m = await createShare(member, { documentIds: [red1.id], audience: 'VERIFIED_EMAIL', recipients: ['dana.k@harbour-counsel.example', 'lee@harbour-counsel.example'] } as never);
    const a = await createShare(admin, { documentIds: [red2.id], audience: 'INVITED', recipients: ['cfo@harbour-counsel.example'] } as never);
    const r = await createShare(member, { documentIds: [red3.id], audience: 'VERIFIED_EMAIL', recipients: ['someone@elsewhere.example'] } as never);
    const rr = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: r.share.id } });
    await decideApproval(secondP, rr.id, { decision: 'refuse', note: 'Recipient is not cleared for this incident.' });
    const portal = await prisma().portal.create({ data: { orgId: admin.orgId, name: 'Harbour incident room', slug: `incident-room-${Date.now().toString(36)}`, createdById: admin.userId } });
    await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Reports', position: 0, documents: { create: [{ documentId: red1.id }] } } });
    await grantPortalAccess(member, portal.id, { emails: ['dana.k@harbour-counsel.example'] });
    console.log(JSON.stringify({ memberShareId: m.share.id, adminShareId: a.share.id, refusedShareId: r.share.id, portalId: portal.id }));
  } finally {
    await disconnect();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
