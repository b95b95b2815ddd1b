/*
 * Custom domains of portals against a real DNS server (tests/helpers/dns-server.ts, UDP on 127.0.0.1)
 * that Node's resolver reaches through LIAISON_DNS_SERVERS, and the real database.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { addPortalDomain, listPortalDomains, recheckPortalDomains, removePortalDomain, verifyPortalDomain } from '../../lib/portals/domains';
import { bustHostMap, isServedHost, resolveHost } from '../../lib/portals/host-map';
import { loadPortalUrl, portalUrl } from '../../lib/portals/urls';
import { apiKeyPrincipal, createOrg, createStaff } from '../helpers/factory';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
  process.env.LIAISON_DNS_SERVERS = dns.address;
});
afterAll(async () => {
  delete process.env.LIAISON_DNS_SERVERS;
  await dns?.close();
});

const uid = () => crypto.randomBytes(4).toString('hex');
const host = (label = 'portal') => `${label}-${uid()}.example.test`;

async function setup(name = 'Org') {
  const org = await createOrg(name);
  const { principal: admin } = await createStaff(org.id, 'ADMIN');
  const portal = await prisma().portal.create({ data: { orgId: org.id, name: `${name} portal`, slug: `p-${uid()}` } });
  return { org, admin, portal };
}

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
};

const events = (orgId: string, type: string) => prisma().auditEvent.findMany({ where: { orgId, type }, orderBy: { seq: 'asc' } });

describe('adding a domain', () => {
  it('returns the TXT record to create, with a fresh random challenge, and audits the claim', async () => {
    const { org, admin, portal } = await setup();
    const h = host();
    const d = await addPortalDomain(admin, portal.id, `  ${h.toUpperCase()}. `);
    expect(d).toMatchObject({ hostname: h, txtName: `_liaison-challenge.${h}`, verified: false, status: 'PENDING', verifiedAt: null });
    expect(d.txtValue).toMatch(/^liaison-site-verification=[A-Za-z0-9_-]{32}$/);
    const other = await addPortalDomain(admin, portal.id, host());
    expect(other.txtValue).not.toBe(d.txtValue);
    const [ev] = await events(org.id, 'portal.domain.add');
    expect(ev.outcome).toBe('success');
    expect(ev.details).toMatchObject({ hostname: h, portalId: portal.id, domainId: d.id });
    expect((await listPortalDomains(admin, portal.id)).map((x) => x.hostname)).toEqual([h, other.hostname]);
  });

  it('refuses IP literals, single labels, loopback and reserved names, the console host and a host the portal already has', async () => {
    const { admin, portal } = await setup();
    for (const bad of ['203.0.113.9', '[::1]', 'intranet', 'localhost', 'portal.localhost', 'printer.local', 'liaison.test', 'LIAISON.test.', 'https://portal.example.com/', 'portal.example.com:8443', 'bad_name.example.com', '']) {
      const e = await failure(addPortalDomain(admin, portal.id, bad));
      expect(e.code, bad).toBe('validation_failed');
      expect(e.message, bad).toMatch(/^hostname: /);
    }
    const h = host();
    await addPortalDomain(admin, portal.id, h);
    const dup = await failure(addPortalDomain(admin, portal.id, h.toUpperCase()));
    expect(dup.code).toBe('conflict');
    // Internationalised names are stored as punycode.
    expect((await addPortalDomain(admin, portal.id, `bücher-${uid()}.example.test`)).hostname).toMatch(/^xn--/);
    expect(await prisma().portalDomain.count({ where: { portalId: portal.id } })).toBe(2);
  });

  it('is for administrators of the portal’s organisation only', async () => {
    const { org, portal } = await setup();
    const { principal: member } = await createStaff(org.id, 'MEMBER');
    expect((await failure(addPortalDomain(member, portal.id, host()))).code).toBe('forbidden');
    expect((await failure(addPortalDomain(apiKeyPrincipal(org.id, ['shares:write']), portal.id, host()))).code).toBe('insufficient_scope');
    const stranger = await setup('Other');
    expect((await failure(addPortalDomain(stranger.admin, portal.id, host()))).code).toBe('not_found');
    expect((await failure(listPortalDomains(stranger.admin, portal.id))).code).toBe('not_found');
    expect(await prisma().portalDomain.count({ where: { portalId: portal.id } })).toBe(0);
    const denied = await events(stranger.org.id, 'portal.domain.add');
    expect(denied[0]).toMatchObject({ outcome: 'denied', reason: 'not_found' });
  });
});

describe('verifying a domain', () => {
  it('verifies when one TXT record equals the challenge (chunks joined), serves the portal and audits it', async () => {
    const { org, admin, portal } = await setup();
    const d = await addPortalDomain(admin, portal.id, host());
    expect(await resolveHost(d.hostname)).toEqual({ kind: 'unknown' });
    const half = Math.floor(d.txtValue.length / 2);
    dns.setTxt(d.txtName, ['v=spf1 -all', [d.txtValue.slice(0, half), d.txtValue.slice(half)]]);
    const v = await verifyPortalDomain(admin, d.id);
    expect(v).toMatchObject({ verified: true, status: 'VERIFIED', lastError: null });
    expect(v.verifiedAt).toBeInstanceOf(Date);
    expect(v.lastCheckedAt).toBeInstanceOf(Date);
    // Verifying busts the host map at once: no wait for the cache.
    expect(await resolveHost(d.hostname)).toEqual({ kind: 'portal', portalId: portal.id, slug: portal.slug, orgId: org.id, hostname: d.hostname });
    expect(await isServedHost(d.hostname.toUpperCase())).toBe(true);
    expect(portalUrl({ slug: portal.slug, domains: [{ hostname: d.hostname, verifiedAt: v.verifiedAt }] })).toBe(`https://${d.hostname}/`);
    expect(await loadPortalUrl(portal.id)).toBe(`https://${d.hostname}/`);
    const [ev] = await events(org.id, 'portal.domain.verify');
    expect(ev).toMatchObject({ outcome: 'success' });
    expect(ev.details).toMatchObject({ hostname: d.hostname, newlyVerified: true });
  });

  it('does not verify a record whose value does not match exactly, and says why', async () => {
    const { org, admin, portal } = await setup();
    const d = await addPortalDomain(admin, portal.id, host());
    dns.setTxt(d.txtName, [`${d.txtValue} `, `"${d.txtValue}"`, d.txtValue.slice(0, -1), 'liaison-site-verification=somebody-else']);
    const v = await verifyPortalDomain(admin, d.id);
    expect(v).toMatchObject({ verified: false, status: 'PENDING', verifiedAt: null });
    expect(v.lastError).toMatch(/4 TXT records, but none equals this domain's value exactly/);
    expect(await resolveHost(d.hostname)).toEqual({ kind: 'unknown' });
    const [ev] = await events(org.id, 'portal.domain.verify');
    expect(ev).toMatchObject({ outcome: 'failure', reason: 'mismatch' });
    expect(portalUrl({ slug: portal.slug, domains: [{ hostname: d.hostname, verifiedAt: null }] })).toBe(`http://liaison.test/p/${portal.slug}`);
  });

  it('stores a clear error for NXDOMAIN and for a DNS server that does not answer, never verifying', async () => {
    const { org, admin, portal } = await setup();
    const nx = await addPortalDomain(admin, portal.id, host('nx'));
    const r1 = await verifyPortalDomain(admin, nx.id);
    expect(r1.verified).toBe(false);
    expect(r1.lastError).toMatch(/does not exist in DNS \(NXDOMAIN\)/);
    const slow = await addPortalDomain(admin, portal.id, host('slow'));
    dns.silence(slow.txtName);
    const started = Date.now();
    const r2 = await verifyPortalDomain(admin, slow.id);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r2.verified).toBe(false);
    expect(r2.lastError).toMatch(/timed out/);
    const stored = await prisma().portalDomain.findUniqueOrThrow({ where: { id: slow.id } });
    expect(stored).toMatchObject({ verifiedAt: null, lastError: r2.lastError });
    expect((await events(org.id, 'portal.domain.verify')).map((e) => e.reason)).toEqual(['ENOTFOUND', expect.stringMatching(/^E(TIMEOUT|CANCELLED)$/)]);
  });

  it('lets two organisations claim one host, but only one verified at a time: the second wins only after the first loses its record', async () => {
    const a = await setup('Alpha');
    const b = await setup('Beta');
    const h = host('shared');
    const da = await addPortalDomain(a.admin, a.portal.id, h);
    const db = await addPortalDomain(b.admin, b.portal.id, h);
    expect(db.txtValue).not.toBe(da.txtValue);
    dns.setTxt(da.txtName, [da.txtValue, db.txtValue]);
    expect((await verifyPortalDomain(a.admin, da.id)).verified).toBe(true);
    // Beta's value is there too, but Alpha's still is: Alpha keeps the host.
    const refused = await verifyPortalDomain(b.admin, db.id);
    expect(refused.verified).toBe(false);
    expect(refused.lastError).toMatch(/verified for another portal/);
    expect(refused.lastError).not.toContain('Alpha');
    expect((await resolveHost(h)).kind === 'portal' && (await resolveHost(h) as { orgId: string }).orgId).toBe(a.org.id);
    expect((await events(b.org.id, 'portal.domain.verify'))[0]).toMatchObject({ outcome: 'failure', reason: 'held_elsewhere' });
    // The database itself refuses a second verified claim.
    await expect(prisma().portalDomain.update({ where: { id: db.id }, data: { verifiedAt: new Date() } })).rejects.toThrow();
    // Alpha's value goes: verifying Beta re-checks Alpha first, unverifies it, then verifies Beta.
    dns.setTxt(da.txtName, [db.txtValue]);
    expect((await verifyPortalDomain(b.admin, db.id)).verified).toBe(true);
    expect(await resolveHost(h)).toMatchObject({ kind: 'portal', orgId: b.org.id, portalId: b.portal.id });
    const [lostA] = await listPortalDomains(a.admin, a.portal.id);
    expect(lostA).toMatchObject({ verified: false, status: 'LOST' });
    expect((await events(a.org.id, 'portal.domain.unverified'))[0]).toMatchObject({ reason: 'record_missing', actorType: 'system' });
  });
});

describe('removing a domain', () => {
  it('stops serving at once and audits the removal', async () => {
    const { org, admin, portal } = await setup();
    const d = await addPortalDomain(admin, portal.id, host());
    dns.setTxt(d.txtName, [d.txtValue]);
    await verifyPortalDomain(admin, d.id);
    expect((await resolveHost(d.hostname)).kind).toBe('portal');
    const stranger = await setup('Other');
    expect((await failure(removePortalDomain(stranger.admin, d.id))).code).toBe('not_found');
    expect((await failure(verifyPortalDomain(stranger.admin, d.id))).code).toBe('not_found');
    await removePortalDomain(admin, d.id);
    expect(await resolveHost(d.hostname)).toEqual({ kind: 'unknown' });
    expect(await isServedHost(d.hostname)).toBe(false);
    expect((await events(org.id, 'portal.domain.remove'))[0].details).toMatchObject({ hostname: d.hostname, wasVerified: true });
  });
});

describe('daily re-check', () => {
  it('unverifies a domain that lost its record (audited, stops serving) and keeps one that did not', async () => {
    const { org, admin, portal } = await setup();
    const keep = await addPortalDomain(admin, portal.id, host('keep'));
    const lose = await addPortalDomain(admin, portal.id, host('lose'));
    const later = await addPortalDomain(admin, portal.id, host('later'));
    dns.setTxt(keep.txtName, [keep.txtValue]);
    dns.setTxt(lose.txtName, [lose.txtValue]);
    await verifyPortalDomain(admin, keep.id);
    await verifyPortalDomain(admin, lose.id);
    expect((await resolveHost(lose.hostname)).kind).toBe('portal'); // now cached
    dns.remove(lose.txtName);
    dns.setTxt(later.txtName, [later.txtValue]);
    // Now: only the claim never checked is due (and its record has appeared); the others were checked just now.
    expect(await recheckPortalDomains({ orgId: org.id })).toEqual({ checked: 1, verified: 1, unverified: 0 });
    expect((await resolveHost(lose.hostname)).kind).toBe('portal');
    // A day later every claim is due.
    const r = await recheckPortalDomains({ orgId: org.id, now: new Date(Date.now() + 86_400_000) });
    expect(r).toEqual({ checked: 3, verified: 0, unverified: 1 });
    const byHost = Object.fromEntries((await listPortalDomains(admin, portal.id)).map((d) => [d.hostname, d]));
    expect(byHost[keep.hostname]).toMatchObject({ status: 'VERIFIED' });
    expect(byHost[later.hostname]).toMatchObject({ status: 'VERIFIED' });
    expect(byHost[lose.hostname]).toMatchObject({ status: 'LOST', verified: false });
    expect(byHost[lose.hostname].lastError).toMatch(/NXDOMAIN/);
    expect((await prisma().portalDomain.findUniqueOrThrow({ where: { id: lose.id } })).lastError).toMatch(/^Stopped serving: /);
    expect(await resolveHost(lose.hostname)).toEqual({ kind: 'unknown' });
    const [ev] = await events(org.id, 'portal.domain.unverified');
    expect(ev).toMatchObject({ actorType: 'system', reason: 'ENOTFOUND' });
    expect(ev.details).toMatchObject({ hostname: lose.hostname });
  });
});

describe('host map', () => {
  it('knows the console host and loopback names, and nothing else without a verified claim', async () => {
    for (const h of ['liaison.test', 'localhost', '127.0.0.1', '[::1]']) expect(await resolveHost(h), h).toEqual({ kind: 'console' });
    expect(await resolveHost(null)).toEqual({ kind: 'unknown' });
    expect(await resolveHost(host('nobody'))).toEqual({ kind: 'unknown' });
    expect(await isServedHost('liaison.test')).toBe(true);
    expect(await isServedHost('nobody.example.test')).toBe(false);
    expect(await isServedHost('not a host')).toBe(false);
  });

  it('serves nothing for an archived portal, and caches answers briefly until busted', async () => {
    const { admin, portal } = await setup();
    const d = await addPortalDomain(admin, portal.id, host());
    dns.setTxt(d.txtName, [d.txtValue]);
    await verifyPortalDomain(admin, d.id);
    expect((await resolveHost(d.hostname)).kind).toBe('portal');
    await prisma().portal.update({ where: { id: portal.id }, data: { archivedAt: new Date() } });
    // Within the TTL the cached answer stands (a few seconds) …
    expect((await resolveHost(d.hostname)).kind).toBe('portal');
    // … and after it, or a bust, the archive shows.
    expect(await resolveHost(d.hostname, Date.now() + 6_000)).toEqual({ kind: 'unknown' });
    await prisma().portal.update({ where: { id: portal.id }, data: { archivedAt: null } });
    expect((await resolveHost(d.hostname)).kind).toBe('unknown');
    bustHostMap(d.hostname);
    expect((await resolveHost(d.hostname)).kind).toBe('portal');
  });
});
