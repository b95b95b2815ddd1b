/*
 * Seeds one soak database (bench/soak.ts runs this in a child process per configuration, so each gets
 * its own configuration and connection): an organisation with an admin API key, a 5-page PDF, and three
 * link shares: view-only with a watermark (page images), download with a watermark, and comment. Prints
 * one line of JSON for the parent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

async function main() {
  const { masterKey } = await import('../lib/crypto/master-key');
  const { connectDatabase } = await import('../lib/db/connect');
  const { migrate } = await import('../lib/db/migrate');
  const { prisma, disconnect } = await import('../lib/db/client');
  const { ROLE_SCOPES } = await import('../lib/auth/scopes');
  const { issueApiKey } = await import('../lib/auth/api-keys');
  const { createDocument } = await import('../lib/documents/service');
  const { createShare } = await import('../lib/shares/service');
  masterKey();
  const db = await connectDatabase({ publish: false });
  await migrate(db.url);
  const org = await prisma().organization.create({ data: { slug: 'bench-soak', name: 'Soak' } });
  const admin = await prisma().staffUser.create({ data: { orgId: org.id, email: 'soak@example.test', name: 'Soak Admin', role: 'ADMIN', passwordHash: 'x' } });
  const p = { kind: 'staff' as const, orgId: org.id, userId: admin.id, email: admin.email, name: admin.name, role: admin.role, scopes: new Set(ROLE_SCOPES.ADMIN), request: { ip: '127.0.0.1', userAgent: 'soak' } };
  const pdf = fs.readFileSync(path.join('bench', 'fixtures', 'sample.pdf'));
  const doc = await createDocument(p, { stream: Readable.from([pdf]), fileName: 'board-pack.pdf', mediaType: 'application/pdf' }, { title: 'Board pack', tlp: 'GREEN' }, 1e8);
  const view = await createShare(p, { documentIds: [doc.id], permission: 'VIEW', allowDownload: false, watermark: true });
  const download = await createShare(p, { documentIds: [doc.id], permission: 'VIEW', allowDownload: true, allowPrint: true, watermark: true });
  const comment = await createShare(p, { documentIds: [doc.id], permission: 'COMMENT', allowDownload: false, watermark: true });
  const key = await issueApiKey({ orgId: org.id, name: 'soak', scopes: ['documents:read', 'documents:write', 'shares:read', 'shares:write'], actor: null });
  await disconnect();
  await db.embedded?.stop();
  process.stdout.write(`${JSON.stringify({ key: key.key, documentId: doc.id, pages: 5, links: { view: view.token, download: download.token, comment: comment.token } })}\n`);
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
