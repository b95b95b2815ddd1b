import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { prisma } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { verifySecret } from '../../lib/crypto/password';
import { createOrganization } from '../../lib/orgs/create';
import { listOrganizations } from '../../lib/orgs/list';
import { RESERVED_SLUGS, SLUG_MAX } from '../../lib/orgs/slug';
import { createOrg, createStaff } from '../helpers/factory';

const uniq = () => crypto.randomBytes(4).toString('hex');
const input = (o: Record<string, unknown> = {}) => ({ slug: `org-${uniq()}`, name: 'An Agency', adminEmail: `admin-${uniq()}@agency.example`, adminPassword: 'a fine long password', ...o });

/** The refusal createOrganization gave, as [code, message]. */
async function refusal(p: Promise<unknown>): Promise<[string, string]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ZodError) return ['validation_failed', e.issues.map((i) => i.message).join('; ')];
    if (e instanceof AppError) return [e.code, e.message];
    throw e;
  }
  throw new Error('the organisation was created');
}

describe('createOrganization', () => {
  it('creates the organisation and its admin together, opening its audit chain', async () => {
    const i = input({ name: '  Agency  ', adminEmail: `Chief-${uniq()}@Agency.Example`, adminPassword: undefined });
    const created = await createOrganization(i);
    expect(created.org).toMatchObject({ slug: i.slug, name: 'Agency' });
    expect(created.admin).toMatchObject({ email: i.adminEmail.toLowerCase(), role: 'ADMIN', name: i.adminEmail.toLowerCase().split('@')[0] });
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const admin = await prisma().staffUser.findUniqueOrThrow({ where: { id: created.admin.id } });
    expect(admin.orgId).toBe(created.org.id);
    expect(await verifySecret(created.password!, admin.passwordHash)).toBe(true);
    const events = await prisma().auditEvent.findMany({ where: { orgId: created.org.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['org.create', 'staff.create']);
    // A new organisation starts with the cautious defaults, like the demo one.
    expect(await prisma().organization.findUniqueOrThrow({ where: { id: created.org.id } })).toMatchObject({ tlpCeiling: 'AMBER', defaultShareDays: 14, maxShareDays: 90 });
  });

  it('returns no password when one was chosen', async () => {
    const created = await createOrganization(input({ adminName: 'Chief Officer' }));
    expect(created.password).toBeUndefined();
    expect(created.admin.name).toBe('Chief Officer');
  });

  it('refuses malformed and reserved slugs', async () => {
    const bad = ['', 'a', 'a'.repeat(SLUG_MAX + 1), 'Acme', 'acme_co', 'acme co', '-acme', 'acme-', 'ac--me', 'acmé', 'acme.co', '../x', 'acme\n'];
    for (const slug of bad) expect((await refusal(createOrganization(input({ slug }))))[0], JSON.stringify(slug)).toBe('validation_failed');
    for (const slug of ['admin', 'api', 's', 'p', 'signin', 'www', 'graphql']) {
      expect(RESERVED_SLUGS.has(slug)).toBe(true);
      const [code, message] = await refusal(createOrganization(input({ slug })));
      expect(code).toBe('validation_failed');
      // Single letters fail on length first; the rest say why.
      if (slug.length > 1) expect(message, slug).toMatch(/reserved/);
    }
    for (const slug of ['ab', 'a'.repeat(SLUG_MAX), 'acme-2', '42', 'state-police-7']) {
      expect((await createOrganization(input({ slug }))).org.slug).toBe(slug);
    }
  });

  it('refuses a taken slug, an email any staff account uses, a bad email, a short password, an empty name', async () => {
    const other = await createOrg();
    const { user } = await createStaff(other.id, 'AUDITOR');
    expect(await refusal(createOrganization(input({ slug: other.slug })))).toEqual(['conflict', `An organisation with slug "${other.slug}" already exists.`]);
    expect((await refusal(createOrganization(input({ adminEmail: user.email.toUpperCase() }))))[0]).toBe('conflict');
    expect((await refusal(createOrganization(input({ adminEmail: 'nobody' }))))[0]).toBe('validation_failed');
    expect((await refusal(createOrganization(input({ adminPassword: 'x'.repeat(11) }))))[1]).toMatch(/at least 12/);
    await expect(createOrganization(input({ adminPassword: 'x'.repeat(12) }))).resolves.toBeTruthy();
    expect((await refusal(createOrganization(input({ name: ' ' }))))[0]).toBe('validation_failed');
    // The other organisation is untouched, and nothing half-made remains.
    expect(await prisma().staffUser.count({ where: { orgId: other.id } })).toBe(1);
  });

  it('two creations racing for one slug: one organisation, and a conflict for the other', async () => {
    const slug = `race-${uniq()}`;
    const results = await Promise.allSettled([createOrganization(input({ slug })), createOrganization(input({ slug }))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(AppError);
    expect(lost.reason.code).toBe('conflict');
    const org = await prisma().organization.findUniqueOrThrow({ where: { slug } });
    expect(await prisma().staffUser.count({ where: { orgId: org.id } })).toBe(1);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id } })).toBe(2);
  });
});

describe('listOrganizations', () => {
  it('lists every organisation with its staff count, oldest first', async () => {
    const created = await createOrganization(input());
    await createStaff(created.org.id, 'MEMBER');
    const before = await prisma().organization.findMany({ select: { id: true } });
    const all = await listOrganizations();
    // Other test files add organisations meanwhile: every one that existed before is listed.
    const listed = new Set(all.map((o) => o.id));
    for (const o of before) expect(listed.has(o.id)).toBe(true);
    expect(all.find((o) => o.id === created.org.id)).toMatchObject({ slug: created.org.slug, name: 'An Agency', staffCount: 2 });
    const times = all.map((o) => o.createdAt.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
