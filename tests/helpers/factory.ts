import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { prisma } from '../../lib/db/client';
import { hashSecret } from '../../lib/crypto/password';
import type { Principal } from '../../lib/auth/principal';
import { ROLE_SCOPES, type Scope } from '../../lib/auth/scopes';
import type { StaffRole } from '../../lib/generated/prisma/enums';

const uid = () => crypto.randomBytes(5).toString('hex');

/** A fresh organisation, so tests sharing one database never see each other's rows. */
export async function createOrg(name = 'Test Org') {
  return prisma().organization.create({ data: { slug: `t-${uid()}`, name } });
}

// Cheap hash for fixtures; production code always uses the 600,000-iteration default.
let fixtureHash: Promise<string> | undefined;
export const FIXTURE_PASSWORD = 'correct horse battery staple';

export async function createStaff(orgId: string, role: StaffRole = 'MEMBER', opts: { email?: string; realHash?: boolean } = {}) {
  fixtureHash ??= hashSecret(FIXTURE_PASSWORD, 1000);
  const passwordHash = opts.realHash ? await hashSecret(FIXTURE_PASSWORD) : await fixtureHash;
  const user = await prisma().staffUser.create({ data: { orgId, email: opts.email ?? `${role.toLowerCase()}-${uid()}@example.test`, name: `${role} ${uid()}`, role, passwordHash } });
  const principal: Principal = { kind: 'staff', orgId, userId: user.id, email: user.email, name: user.name, role, scopes: new Set(ROLE_SCOPES[role]), request: { ip: '203.0.113.7', userAgent: 'vitest' } };
  return { user, principal };
}

export function apiKeyPrincipal(orgId: string, scopes: Scope[]): Principal {
  return { kind: 'apikey', orgId, keyId: `k-${uid()}`, name: 'test key', prefix: 'lsn_test0000', scopes: new Set(scopes), request: { ip: '203.0.113.8', userAgent: 'vitest' } };
}

export const fileFrom = (data: Buffer | string, fileName = 'file.bin', mediaType = 'application/octet-stream') =>
  ({ stream: Readable.from([Buffer.from(data)]), fileName, mediaType });

/** A small, valid one-page PDF built by hand (no dependency), with `text` in its content stream. */
export function tinyPdf(text = 'Hello Liaison'): Buffer {
  const content = `BT /F1 24 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
