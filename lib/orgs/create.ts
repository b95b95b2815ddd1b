import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { hashSecret } from '../crypto/password';
import { randomToken } from '../crypto/secrets';
import { recordAudit, type Actor } from '../audit/record';
import { slugSchema } from './slug';

/** Shorter passwords are refused for a new organisation's admin, whose account can do everything there. */
export const ADMIN_PASSWORD_MIN = 12;

export const createOrganizationInput = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1, 'A name is required.').max(200),
  adminEmail: z.string().trim().toLowerCase().email('The admin email is not an email address.').max(254),
  adminName: z.string().trim().min(1).max(200).optional(),
  adminPassword: z.string().min(ADMIN_PASSWORD_MIN, `The admin password needs at least ${ADMIN_PASSWORD_MIN} characters.`).max(1024).optional(),
});
export type CreateOrganizationInput = z.input<typeof createOrganizationInput>;

export interface CreatedOrganization {
  org: { id: string; slug: string; name: string; createdAt: Date };
  admin: { id: string; email: string; name: string; role: 'ADMIN' };
  /** The generated one-time password; undefined when the caller chose it. */
  password?: string;
}

const SYSTEM: Actor = { type: 'system', label: 'liaison cli' };

async function assertFree(slug: string, email: string) {
  const [org, user] = await Promise.all([
    prisma().organization.findUnique({ where: { slug }, select: { id: true } }),
    prisma().staffUser.findUnique({ where: { email }, select: { id: true } }),
  ]);
  if (org) throw new AppError('conflict', `An organisation with slug "${slug}" already exists.`);
  if (user) throw new AppError('conflict', `The email ${email} is already used by a staff account.`);
}

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';

/**
 * Creates an organisation and its first admin. Both are written, with the `org.create` and
 * `staff.create` events that open the new organisation's audit chain, in one transaction: there is
 * never an organisation without its admin or its record. Without `adminPassword` a random one
 * (24 characters, 144 bits) is generated and returned once; only its PBKDF2 hash is stored.
 */
export async function createOrganization(raw: CreateOrganizationInput, opts: { actor?: Actor } = {}): Promise<CreatedOrganization> {
  const input = createOrganizationInput.parse(raw);
  const actor = opts.actor ?? SYSTEM;
  await assertFree(input.slug, input.adminEmail);
  const password = input.adminPassword ?? randomToken(18);
  // Hashed before the transaction: PBKDF2 takes a good fraction of a second and PGlite is one session.
  const passwordHash = await hashSecret(password);
  const adminName = input.adminName ?? input.adminEmail.split('@')[0];
  try {
    return await prisma().$transaction(async (tx) => {
      const org = await tx.organization.create({ data: { slug: input.slug, name: input.name }, select: { id: true, slug: true, name: true, createdAt: true } });
      const admin = await tx.staffUser.create({
        data: { orgId: org.id, email: input.adminEmail, name: adminName, role: 'ADMIN', passwordHash },
        select: { id: true, email: true, name: true },
      });
      await recordAudit({ orgId: org.id, type: 'org.create', actor, details: { slug: org.slug, name: org.name } }, tx);
      await recordAudit({ orgId: org.id, type: 'staff.create', actor, details: { userId: admin.id, email: admin.email, role: 'ADMIN' } }, tx);
      return { org, admin: { ...admin, role: 'ADMIN' as const }, password: input.adminPassword ? undefined : password };
    });
  } catch (e) {
    // Someone took the slug or the email between the check and the insert: say which, as the check does.
    if (isUniqueViolation(e)) await assertFree(input.slug, input.adminEmail);
    throw e;
  }
}
