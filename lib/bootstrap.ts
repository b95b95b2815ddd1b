import fs from 'node:fs';
import path from 'node:path';
import { config } from './config';
import { prisma } from './db/client';
import { hashSecret, verifySecret } from './crypto/password';
import { randomToken } from './crypto/secrets';
import { recordAudit } from './audit/record';
import { endSessions } from './auth/sessions';

export const DEMO_SLUG = 'demo';
const DEFAULT_ADMIN = 'admin@demo.liaison.test';

export interface BootstrapResult { created: boolean; email: string; password?: string; passwordFile?: string }

/**
 * Ensures the demo organisation and its admin exist. LIAISON_ADMIN_EMAIL / LIAISON_ADMIN_PASSWORD,
 * when given, set that admin's sign-in on every start; otherwise a password is generated once and
 * written (mode 0600) to <data dir>/initial-admin.txt as well as printed.
 */
export async function bootstrap(): Promise<BootstrapResult> {
  const cfg = config();
  const db = prisma();
  const email = (cfg.LIAISON_ADMIN_EMAIL ?? DEFAULT_ADMIN).toLowerCase();
  const org = await db.organization.findUnique({ where: { slug: DEMO_SLUG } });
  const existing = await db.staffUser.findUnique({ where: { email } });
  if (org && existing) {
    if (cfg.LIAISON_ADMIN_PASSWORD && !(await verifySecret(cfg.LIAISON_ADMIN_PASSWORD, existing.passwordHash))) {
      const passwordHash = await hashSecret(cfg.LIAISON_ADMIN_PASSWORD);
      // A new password from the environment is a password reset: the admin's open sessions end with the old one.
      await db.$transaction(async (tx) => {
        await tx.staffUser.update({ where: { id: existing.id }, data: { passwordHash, disabledAt: null, mustChangePassword: false } });
        await endSessions(tx, { orgId: existing.orgId, where: { userId: existing.id }, reason: 'password_reset', actor: { type: 'system', label: 'LIAISON_ADMIN_PASSWORD' } });
      });
    }
    return { created: false, email };
  }
  const password = cfg.LIAISON_ADMIN_PASSWORD ?? randomToken(12);
  const passwordHash = await hashSecret(password);
  // Several instances may start together on a fresh database: one creates, the others find it made.
  const admin = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('liaison:bootstrap'))`;
    if (await tx.staffUser.findUnique({ where: { email } })) return null;
    const orgId = (await tx.organization.findUnique({ where: { slug: DEMO_SLUG } }) ?? await tx.organization.create({ data: { slug: DEMO_SLUG, name: 'Demo Organisation' } })).id;
    const u = await tx.staffUser.create({ data: { orgId, email, name: 'Demo Admin', role: 'ADMIN', passwordHash } });
    await recordAudit({ orgId, type: 'staff.create', actor: { type: 'system', label: 'first start' }, details: { userId: u.id, email, role: 'ADMIN' } }, tx);
    return u;
  });
  if (!admin) return { created: false, email };
  let passwordFile: string | undefined;
  if (!cfg.LIAISON_ADMIN_PASSWORD) {
    passwordFile = path.join(cfg.dataDir, 'initial-admin.txt');
    fs.mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(passwordFile, `email: ${admin.email}\npassword: ${password}\n`, { mode: 0o600 });
  }
  return { created: true, email: admin.email, password: cfg.LIAISON_ADMIN_PASSWORD ? undefined : password, passwordFile };
}
