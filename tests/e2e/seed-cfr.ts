/*
 * Seeds the criminal-intelligence screenshots' world on the running e2e server's database: a partner
 * organisation marked as a law-enforcement agency (without an identity provider, so its people prove
 * their address by code), and a record submitted six years ago, so the review page has one overdue.
 * Run by criminal-intelligence.spec.ts as a child process (Playwright's loader cannot import Prisma).
 * Usage: tsx tests/e2e/seed-cfr.ts <admin email>
 */
import fs from 'node:fs';
import { E2E_PORT, serverStateFile } from './env';

async function main() {
  const [adminEmail] = process.argv.slice(2);
  const state = JSON.parse(fs.readFileSync(serverStateFile(E2E_PORT), 'utf8')) as { dataDir: string; databaseUrl: string | null };
  process.env.LIAISON_DATA_DIR = state.dataDir;
  if (state.databaseUrl) process.env.DATABASE_URL = state.databaseUrl;
  const [{ connectDatabase }, { prisma, disconnect }, { createDocument }, { markCriminalIntel }, { ROLE_SCOPES }, { tinyPdf }, { Readable }] = await Promise.all([
    import('../../lib/db/connect'), import('../../lib/db/client'), import('../../lib/documents/service'), import('../../lib/cfr/records'),
    import('../../lib/auth/scopes'), import('../helpers/tiny-pdf'), import('node:stream'),
  ]);
  await connectDatabase({ publish: false, reuseRunning: true });
  try {
    const admin = await prisma().staffUser.findFirstOrThrow({ where: { email: adminEmail } });
    const p = { kind: 'staff' as const, orgId: admin.orgId, userId: admin.id, email: admin.email, name: admin.name, role: admin.role, scopes: new Set(ROLE_SCOPES[admin.role]), request: { ip: '198.51.100.40', userAgent: 'e2e seed' } };
    if (!(await prisma().partnerOrg.findFirst({ where: { orgId: admin.orgId, name: 'Borealis Police' } }))) {
      await prisma().partnerOrg.create({ data: { orgId: admin.orgId, name: 'Borealis Police', domains: ['police.example'], lawEnforcement: true } });
    }
    const doc = await createDocument(p, { stream: Readable.from([tinyPdf('Surveillance log, pier 4')]), fileName: 'pier4.pdf', mediaType: 'application/pdf' }, { title: 'Surveillance log – pier 4', tlp: 'AMBER' }, 1e7);
    await markCriminalIntel(p, doc.id, {
      submittingAgency: 'Harbour Police Intelligence Unit', sourceReliability: 'C', contentValidity: 3,
      criminalActivity: 'Suspected smuggling through pier 4 (case 19-044).', submittedAt: new Date(Date.now() - 6 * 365 * 86_400_000).toISOString(),
    });
    console.log(JSON.stringify({ overdue: doc.id }));
  } finally {
    await disconnect();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
