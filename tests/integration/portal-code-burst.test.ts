import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { prisma } from '../../lib/db/client';
import { CODE_MAX_TRIES } from '../../lib/guest/email-codes';
import { flushFloodTallies } from '../../lib/guest/code-flood';
import { startSmtp } from '../helpers/smtp';
import { codeIn, mailsTo } from '../helpers/guest-identity';
import { grant, portalCode, portalFixture, portalOpen, settlePortalCodes } from '../helpers/portal';

/*
 * Parallel bursts of wrong email codes against a portal (the twin of the share code tests in
 * guest-identities.test.ts): each code allows CODE_MAX_TRIES tries, taken atomically before its hash is
 * computed, so however many guesses arrive at once, at most that many are evaluated.
 */

// Counts the code hash evaluations (PBKDF2) really made, whatever the database says.
const hashes = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../lib/crypto/password', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lib/crypto/password')>();
  return { ...real, verifySecret: async (...args: Parameters<typeof real.verifySecret>) => { hashes.n++; return real.verifySecret(...args); } };
});

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });
afterEach(() => { smtp.received.length = 0; });

let ipCounter = 1;
const freshIp = () => `198.18.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;

async function portalWithCode(email: string) {
  const f = await portalFixture();
  await grant(f.portal.id, f.org.id, { emails: [email] });
  const r = await portalCode(f.portal.slug, email, freshIp());
  expect(r.res.status).toBe(202);
  await settlePortalCodes(f.org.id);
  const code = codeIn(mailsTo(smtp, email).at(-1)!.parsed.text);
  expect(code).toMatch(/^\d{6}$/);
  return { f, code: code! };
}

const wrongFor = (code: string, i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

describe('a burst of wrong portal email codes', () => {
  it(`8 parallel wrong codes (under the address flood limit) evaluate exactly ${CODE_MAX_TRIES}; the code is then dead`, async () => {
    const { f, code } = await portalWithCode('ann@counsel.example');
    hashes.n = 0;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      portalOpen({ portal: f.portal.slug, email: 'ann@counsel.example', code: wrongFor(code, i) }, freshIp())));
    expect(results.map((r) => [r.res.status, r.json.error])).toEqual(Array.from({ length: 8 }, () => [401, 'invalid_code']));
    expect(hashes.n).toBe(CODE_MAX_TRIES);
    const row = await prisma().emailCode.findFirstOrThrow({ where: { portalId: f.portal.id, email: 'ann@counsel.example' } });
    expect(row.attempts).toBe(CODE_MAX_TRIES);
    expect(row.consumedAt).toBeNull();
    // The right code now finds no try left: refused without a hash, and no session opens.
    const late = await portalOpen({ portal: f.portal.slug, email: 'ann@counsel.example', code }, freshIp());
    expect(late.json.error).toBe('invalid_code');
    expect(hashes.n).toBe(CODE_MAX_TRIES);
    expect(await prisma().guestSession.count({ where: { portalId: f.portal.id } })).toBe(0);
  });

  it('40 parallel wrong codes: at most the limit evaluated, the rest refused as a flood, recorded as one tally on the portal', async () => {
    const { f, code } = await portalWithCode('bob@counsel.example');
    hashes.n = 0;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      portalOpen({ portal: f.portal.slug, email: 'bob@counsel.example', code: wrongFor(code, i) }, freshIp())));
    // Each is refused: as a wrong code, or the address as flooded (10 wrong codes from anyone, lib/guest/code-flood.ts).
    for (const r of results) expect([[401, 'invalid_code'], [429, 'rate_limited']]).toContainEqual([r.res.status, r.json.error]);
    const flooded = results.filter((r) => r.res.status === 429).length;
    expect(flooded).toBeGreaterThanOrEqual(30);
    expect(hashes.n).toBeLessThanOrEqual(CODE_MAX_TRIES);
    expect((await prisma().emailCode.findFirstOrThrow({ where: { portalId: f.portal.id, email: 'bob@counsel.example' } })).attempts).toBeLessThanOrEqual(CODE_MAX_TRIES);
    // The address stays refused before anything is looked at, even with the right code.
    const after = await portalOpen({ portal: f.portal.slug, email: 'bob@counsel.example', code }, freshIp());
    expect(after.res.status).toBe(429);
    expect(Number(after.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(hashes.n).toBeLessThanOrEqual(CODE_MAX_TRIES);
    expect(await prisma().guestSession.count({ where: { portalId: f.portal.id } })).toBe(0);
    // The flood refusals are in the organisation's trail, with the portal, as one event (not one per request).
    expect(await flushFloodTallies()).toBeGreaterThanOrEqual(1);
    const tally = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'guest.session', reason: 'rate_limited' } });
    expect(tally.details).toMatchObject({ portalId: f.portal.id, email: 'bob@counsel.example', method: 'code', attempts: flooded + 1 });
  });
});
