import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { changeOwnPassword } from '../../lib/auth/change-password';
import { verifySecret } from '../../lib/crypto/password';
import { apiKeyPrincipal, createOrg, createStaff, FIXTURE_PASSWORD } from '../helpers/factory';

describe('changeOwnPassword', () => {
  it('requires the current password, enforces length, and audits both outcomes', async () => {
    const org = await createOrg();
    const { principal, user } = await createStaff(org.id, 'MEMBER');
    await expect(changeOwnPassword(principal, { current: 'wrong', next: 'a much longer password' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(changeOwnPassword(principal, { current: FIXTURE_PASSWORD, next: 'short' })).rejects.toMatchObject({ name: 'ZodError' });
    await changeOwnPassword(principal, { current: FIXTURE_PASSWORD, next: 'a much longer password' });
    const row = await prisma().staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/);
    expect(await verifySecret('a much longer password', row.passwordHash)).toBe(true);
    const events = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'staff.password_change' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.outcome)).toEqual(['failure', 'success']);
  });

  it('is refused to API keys and throttled after repeated wrong guesses', async () => {
    const org = await createOrg();
    await expect(changeOwnPassword(apiKeyPrincipal(org.id, ['admin']), { current: 'x', next: 'a much longer password' })).rejects.toMatchObject({ code: 'forbidden' });
    const { principal } = await createStaff(org.id, 'MEMBER');
    for (let i = 0; i < 5; i++) await changeOwnPassword(principal, { current: `wrong-${i}`, next: 'a much longer password' }).catch(() => undefined);
    await expect(changeOwnPassword(principal, { current: FIXTURE_PASSWORD, next: 'a much longer password' })).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
