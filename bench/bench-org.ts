/*
 * What several benchmarks start from: an organisation, its admin and the admin's principal, and the
 * sample PDF (bench/fixtures/sample.pdf, 5 pages) uploaded by them. Import it dynamically, after the
 * benchmark has set its environment: the configuration is read on first use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { prisma } from '../lib/db/client';
import { ROLE_SCOPES } from '../lib/auth/scopes';
import { createDocument } from '../lib/documents/service';

export async function seedBenchOrg(o: { slug: string; name: string; email: string; userAgent: string; fileName: string; title: string }) {
  const org = await prisma().organization.create({ data: { slug: o.slug, name: o.name } });
  const admin = await prisma().staffUser.create({ data: { orgId: org.id, email: o.email, name: `${o.name} Admin`, role: 'ADMIN', passwordHash: 'x' } });
  const principal = { kind: 'staff' as const, orgId: org.id, userId: admin.id, email: admin.email, name: admin.name, role: admin.role, scopes: new Set(ROLE_SCOPES.ADMIN), request: { ip: '127.0.0.1', userAgent: o.userAgent } };
  const pdf = fs.readFileSync(path.join('bench', 'fixtures', 'sample.pdf'));
  const doc = await createDocument(principal, { stream: Readable.from([pdf]), fileName: o.fileName, mediaType: 'application/pdf' }, { title: o.title, tlp: 'GREEN' }, 1e8);
  return { org, admin, principal, doc };
}
