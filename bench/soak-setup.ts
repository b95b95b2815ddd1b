/*
 * Seeds one soak database (bench/soak.ts runs this in a child process per configuration, so each gets
 * its own configuration and connection): an organisation with an admin API key, a 5-page PDF, and three
 * link shares: view-only with a watermark (page images), download with a watermark, and comment. Prints
 * one line of JSON for the parent.
 */

async function main() {
  const { masterKey } = await import('../lib/crypto/master-key');
  const { connectDatabase } = await import('../lib/db/connect');
  const { migrate } = await import('../lib/db/migrate');
  const { disconnect } = await import('../lib/db/client');
  const { issueApiKey } = await import('../lib/auth/api-keys');
  const { createShare } = await import('../lib/shares/service');
  masterKey();
  const db = await connectDatabase({ publish: false });
  await migrate(db.url);
  const { seedBenchOrg } = await import('./bench-org');
  const { org, principal: p, doc } = await seedBenchOrg({ slug: 'bench-soak', name: 'Soak', email: 'soak@example.test', userAgent: 'soak', fileName: 'board-pack.pdf', title: 'Board pack' });
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
