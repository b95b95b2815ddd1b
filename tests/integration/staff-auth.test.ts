import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { signInStaff } from '../../lib/auth/staff-auth';
import { createApiKey, issueApiKey, listApiKeys, revokeApiKey, verifyApiKey } from '../../lib/auth/api-keys';
import { describeError } from '../../lib/http/error-response';
import { apiKeyPrincipal, createOrg, createStaff, FIXTURE_PASSWORD } from '../helpers/factory';

/** A fresh client address per test, so the per-IP counters of different tests never meet. */
const freshIp = () => `198.18.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
const req = (ip: string) => ({ ip, userAgent: 'staff-auth-test' });

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Fails the test instead of hanging if `p` takes longer than `ms` (e.g. because it started hashing). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`took longer than ${ms} ms`)), ms); })]).finally(() => clearTimeout(t));
}

describe('staff sign-in', () => {
  it('signs in with the right password and audits the success', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER');
    const ip = freshIp();
    const id = await signInStaff({ email: user.email.toUpperCase(), password: FIXTURE_PASSWORD }, req(ip));
    expect(id).toMatchObject({ id: user.id, orgId: org.id, email: user.email, name: user.name, role: 'MEMBER' });
    // The sign-in opened a server-side session, recorded with the client's address and browser.
    const session = await prisma().staffSession.findUniqueOrThrow({ where: { id: id.sessionId } });
    expect(session).toMatchObject({ userId: user.id, orgId: org.id, ip, userAgent: 'staff-auth-test', endedAt: null });
    expect(Math.abs(session.expiresAt.getTime() - session.createdAt.getTime() - 8 * 3600 * 1000)).toBeLessThan(5000);
    expect((await prisma().staffUser.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).toBeInstanceOf(Date);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'staff.signin' } });
    expect(ev).toMatchObject({ outcome: 'success', actorType: 'staff', actorId: user.id, actor: user.email, ip, userAgent: 'staff-auth-test', reason: null, details: { sessionId: id.sessionId } });
  });

  it('refuses a wrong password with invalid_credentials (401) and audits the failure', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'ADMIN');
    const ip = freshIp();
    const e = await errorOf(signInStaff({ email: user.email, password: 'wrong password' }, req(ip)));
    expect(e.code).toBe('invalid_credentials');
    expect(e.status).toBe(401);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'staff.signin' } });
    expect(ev).toMatchObject({ outcome: 'failure', reason: 'invalid_credentials', actorType: 'anonymous', actorId: null, actor: user.email, ip });
    expect(JSON.stringify(ev.details)).not.toContain('wrong password');
  });

  it('gives an unknown email exactly the same answer, and audits nothing', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER');
    const known = await errorOf(signInStaff({ email: user.email, password: 'nope' }, req(freshIp())));
    const email = `nobody-${crypto.randomBytes(4).toString('hex')}@example.test`;
    const unknown = await errorOf(signInStaff({ email, password: 'nope' }, req(freshIp())));
    expect({ code: unknown.code, message: unknown.message, status: unknown.status }).toEqual({ code: known.code, message: known.message, status: known.status });
    expect(await prisma().auditEvent.count({ where: { actor: email } })).toBe(0);
  });

  it('refuses malformed input as invalid credentials', async () => {
    for (const input of [null, {}, { email: 'not-an-email', password: 'x' }, { email: 'a@b.test' }, { email: 'a@b.test', password: '' }, 'string']) {
      expect((await errorOf(signInStaff(input, req(freshIp())))).code, JSON.stringify(input)).toBe('invalid_credentials');
    }
  });

  it('refuses a disabled account even with the right password, and audits why', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER');
    await prisma().staffUser.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect((await errorOf(signInStaff({ email: user.email, password: FIXTURE_PASSWORD }, req(freshIp())))).code).toBe('invalid_credentials');
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'staff.signin' } });
    expect(ev).toMatchObject({ outcome: 'failure', reason: 'account_disabled' });
  });

  it('throttles an account after 5 failures, before any hashing, even for the right password', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER');
    // Each attempt from a different address: this is the per-account limit.
    for (let i = 0; i < 5; i++) {
      expect((await errorOf(signInStaff({ email: user.email, password: `guess ${i}` }, req(freshIp())))).code).toBe('invalid_credentials');
    }
    // Make any verification take hours: a throttled attempt must answer at once, so it never hashes.
    const salt = crypto.randomBytes(16).toString('base64url');
    await prisma().staffUser.update({ where: { id: user.id }, data: { passwordHash: `pbkdf2-sha256$2000000000$${salt}$${crypto.randomBytes(32).toString('base64url')}` } });
    const e = await errorOf(within(signInStaff({ email: user.email, password: FIXTURE_PASSWORD }, req(freshIp())), 3000));
    expect(e.code).toBe('rate_limited');
    expect(e.status).toBe(429);
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(describeError(e).headers['retry-after']).toBe(String(e.retryAfterSeconds));

    const events = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'staff.signin' }, orderBy: { seq: 'asc' } });
    expect(events.map((x) => x.outcome)).toEqual(['failure', 'failure', 'failure', 'failure', 'failure', 'denied']);
    expect(events[5].reason).toBe('rate_limited');
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER');
    const ip = freshIp();
    for (let i = 0; i < 4; i++) await errorOf(signInStaff({ email: user.email, password: 'bad' }, req(ip)));
    await signInStaff({ email: user.email, password: FIXTURE_PASSWORD }, req(ip));
    for (let i = 0; i < 4; i++) await errorOf(signInStaff({ email: user.email, password: 'bad' }, req(ip)));
    await expect(signInStaff({ email: user.email, password: FIXTURE_PASSWORD }, req(ip))).resolves.toMatchObject({ id: user.id });
  });

  it('throttles a client address after 30 failures across accounts, without touching other addresses', async () => {
    const org = await createOrg();
    const ip = freshIp();
    const accounts = await Promise.all(Array.from({ length: 8 }, () => createStaff(org.id, 'MEMBER')));
    let failures = 0;
    for (const { user } of accounts) {
      for (let i = 0; i < 4 && failures < 30; i++, failures++) {
        expect((await errorOf(signInStaff({ email: user.email, password: 'spray' }, req(ip)))).code).toBe('invalid_credentials');
      }
    }
    const { user: fresh } = await createStaff(org.id, 'MEMBER');
    const e = await errorOf(signInStaff({ email: fresh.email, password: FIXTURE_PASSWORD }, req(ip)));
    expect(e.code).toBe('rate_limited');
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    // Unknown accounts from that address are refused the same way (and cost no hashing).
    const unknown = await errorOf(within(signInStaff({ email: 'ghost@example.test', password: 'x' }, req(ip)), 3000));
    expect(unknown.code).toBe('rate_limited');
    // The same account from another address is fine.
    await expect(signInStaff({ email: fresh.email, password: FIXTURE_PASSWORD }, req(freshIp()))).resolves.toMatchObject({ id: fresh.id });
  });
});

describe('admin-only operations', () => {
  it('refuses a member or auditor creating an API key with forbidden (403), writing nothing', async () => {
    const org = await createOrg();
    for (const role of ['MEMBER', 'AUDITOR'] as const) {
      const { principal } = await createStaff(org.id, role);
      const e = await errorOf(createApiKey(principal, { name: 'sneaky' }));
      expect(e.code).toBe('forbidden');
      expect(e.status).toBe(403);
      expect(describeError(e).status).toBe(403);
      expect((await errorOf(listApiKeys(principal))).code).toBe('forbidden');
    }
    expect(await prisma().apiKey.count({ where: { orgId: org.id } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'apikey.create' } })).toBe(0);
  });

  it('refuses an API key without the admin scope with insufficient_scope (403)', async () => {
    const org = await createOrg();
    const e = await errorOf(createApiKey(apiKeyPrincipal(org.id, ['documents:read', 'documents:write', 'shares:write']), { name: 'x' }));
    expect(e.code).toBe('insufficient_scope');
    expect(describeError(e).headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it('lets an admin create, list and revoke keys, stored hashed and audited', async () => {
    const org = await createOrg();
    const { principal, user } = await createStaff(org.id, 'ADMIN');
    const created = await createApiKey(principal, { name: 'ci', scopes: ['documents:read'] });
    expect(created.key).toMatch(/^lsn_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix + '_')).toBe(true);
    const row = await prisma().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretHash).toBe(crypto.createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.key.split('_').slice(2).join('_'));
    expect(row).toMatchObject({ scopes: ['documents:read'], createdById: user.id });
    expect((await verifyApiKey(created.key)).id).toBe(created.id);
    expect((await listApiKeys(principal)).map((k) => k.id)).toEqual([created.id]);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'apikey.create' } });
    expect(ev).toMatchObject({ actorType: 'staff', actorId: user.id });
    expect(ev.details).toMatchObject({ keyId: created.id, prefix: created.prefix, scopes: ['documents:read'] });
    expect(JSON.stringify(ev.details)).not.toContain(created.key);

    await revokeApiKey(principal, created.id);
    expect((await errorOf(verifyApiKey(created.key))).code).toBe('invalid_token');
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'apikey.revoke' } })).toBe(1);
  });

  it('validates key input: unknown scopes and empty names are refused', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    await expect(createApiKey(principal, { name: 'x', scopes: ['root'] })).rejects.toThrow(/Scopes must be among/);
    await expect(createApiKey(principal, { name: '   ' })).rejects.toThrow();
    await expect(issueApiKey({ orgId: org.id, name: 'x', scopes: ['documents:read', 'superuser'], actor: null })).rejects.toThrow();
    expect(await prisma().apiKey.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('cannot grant scopes the caller does not hold', async () => {
    const org = await createOrg();
    const limitedAdmin = apiKeyPrincipal(org.id, ['admin', 'documents:read']);
    expect((await errorOf(createApiKey(limitedAdmin, { name: 'escalate', scopes: ['documents:write'] }))).code).toBe('forbidden');
    expect((await errorOf(createApiKey(limitedAdmin, { name: 'everything' }))).code).toBe('forbidden');
    await expect(createApiKey(limitedAdmin, { name: 'ok', scopes: ['documents:read'] })).resolves.toMatchObject({ scopes: ['documents:read'] });
  });

  it('rejects malformed presented keys without a database hit and unknown ones alike', async () => {
    for (const k of ['', 'lsn_', 'lsn_abcdefgh_short', 'Bearer lsn_x', `lsn_ABCDEFGH_${'a'.repeat(43)}`]) {
      expect((await errorOf(verifyApiKey(k))).code, k).toBe('invalid_token');
    }
    expect((await errorOf(verifyApiKey(`lsn_abcdefgh_${'a'.repeat(43)}`))).code).toBe('invalid_token');
  });
});
