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

// Kept in its own module so Playwright specs can use it without loading the Prisma client.
export { tinyPdf } from './tiny-pdf';
