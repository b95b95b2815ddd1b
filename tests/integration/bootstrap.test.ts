import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';

// Before the configuration is first read: this file's own first admin.
const email = `first-${crypto.randomBytes(4).toString('hex')}@example.test`;
process.env.LIAISON_ADMIN_EMAIL = email;
process.env.LIAISON_ADMIN_PASSWORD = 'First-Start-Password-1';

const { bootstrap, DEMO_SLUG } = await import('../../lib/bootstrap');
const { prisma } = await import('../../lib/db/client');

describe('first start', () => {
  it('creates the first admin once when several instances start together on one database', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => bootstrap()));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.every((r) => r.email === email)).toBe(true);
    expect(await prisma().staffUser.count({ where: { email } })).toBe(1);
    expect(await prisma().organization.count({ where: { slug: DEMO_SLUG } })).toBe(1);
    expect(await prisma().auditEvent.count({ where: { type: 'staff.create', details: { path: ['email'], equals: email } } })).toBe(1);
    // And a later start finds it made.
    expect((await bootstrap()).created).toBe(false);
  });
});
