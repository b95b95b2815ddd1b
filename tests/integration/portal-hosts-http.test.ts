/*
 * Host routing through the real server (lib/server/start.ts serving the production build in .next),
 * over raw HTTP with the Host header set by hand: the console host, a portal's verified custom domain,
 * and hosts that serve nothing. Run `npx tsx scripts/prepare.ts` before running this file alone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

process.env.LIAISON_PUBLIC_URL = 'http://liaison.test';
delete process.env.LIAISON_TRUSTED_PROXIES;

const { startServer } = await import('../../lib/server/start');
const { prisma } = await import('../../lib/db/client');
const { issueApiKey } = await import('../../lib/auth/api-keys');
const { bustHostMap } = await import('../../lib/portals/host-map');
const { consoleSession } = await import('../helpers/console-session');
const { createOrg, createStaff } = await import('../helpers/factory');

let server: Awaited<ReturnType<typeof startServer>>;
const uid = () => crypto.randomBytes(4).toString('hex');
const ORG_NAME = `Northwind Constabulary ${uid()}`;
const PORTAL_NAME = `Counsel Room ${uid()}`;
let orgId: string;
let portal: { id: string; slug: string };
let key: string;
let cookie: string;
const served = `counsel-${uid()}.example.test`;
const pending = `pending-${uid()}.example.test`;
const removed = `removed-${uid()}.example.test`;
const archived = `archived-${uid()}.example.test`;
const unknown = `nobody-${uid()}.example.test`;

beforeAll(async () => {
  if (!fs.existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) throw new Error('No production build: run `npx tsx scripts/prepare.ts` first.');
  server = await startServer({ port: 0, dev: false, background: false });
  orgId = (await createOrg(ORG_NAME)).id;
  const { user } = await createStaff(orgId, 'ADMIN');
  cookie = (await consoleSession(user)).cookie;
  key = (await issueApiKey({ orgId, name: 'hosts', actor: null })).key;
  portal = await prisma().portal.create({ data: { orgId, name: PORTAL_NAME, slug: `counsel-${uid()}` }, select: { id: true, slug: true } });
  const old = await prisma().portal.create({ data: { orgId, name: `${PORTAL_NAME} (old)`, slug: `old-${uid()}`, archivedAt: new Date() }, select: { id: true } });
  // Checked just now, so the server's daily re-check (which runs at start) leaves them alone.
  const now = new Date();
  const checked = { lastCheckedAt: now };
  await prisma().portalDomain.createMany({ data: [
    { portalId: portal.id, orgId, hostname: served, challenge: 'liaison-site-verification=a', verifiedAt: now, ...checked },
    { portalId: portal.id, orgId, hostname: pending, challenge: 'liaison-site-verification=b', ...checked },
    { portalId: portal.id, orgId, hostname: removed, challenge: 'liaison-site-verification=c', verifiedAt: now, ...checked },
    { portalId: old.id, orgId, hostname: archived, challenge: 'liaison-site-verification=d', verifiedAt: now, ...checked },
  ] });
  bustHostMap();
});

afterAll(async () => {
  delete process.env.LIAISON_TRUSTED_PROXIES;
  await server?.close();
});

type Raw = { status: number; headers: http.IncomingHttpHeaders; text: string };
/** One request with the Host header (and any other) exactly as given, as a browser or attacker would send it. */
function raw(p: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: p, method, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const page = (host: string, p = '/', extra: Record<string, string> = {}) => raw(p, { host, ...extra });
const comparable = (r: Raw) => ({ status: r.status, text: r.text, headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k))) });

describe('console host', () => {
  it('serves the console as before, and /p/<slug> as a public page without the sign-in redirect', async () => {
    expect((await page('liaison.test', '/signin')).status).toBe(200);
    const anon = await page('liaison.test', '/documents');
    expect(anon.status).toBe(307);
    expect(anon.headers.location).toBe('/signin?callbackUrl=%2Fdocuments');
    expect((await page(`127.0.0.1:${server.port}`, '/documents', { cookie })).status).toBe(200);
    const portalPage = await page('liaison.test', `/p/${portal.slug}`);
    expect(portalPage.status).not.toBe(307);
    expect(portalPage.headers['content-security-policy']).toMatch(/'strict-dynamic'/);
  });
});

describe('a verified portal domain', () => {
  it('serves the portal at / (rewritten to /p/<slug>), never a console page or the sign-in redirect, with the CSP', async () => {
    const home = await page(served, '/');
    expect(home.status).not.toBe(307);
    expect(home.text).not.toContain('Nothing is served at this address');
    expect(home.headers['content-security-policy']).toMatch(/'strict-dynamic'/);
    // The same Next answer as the console host's /p/<slug> (nonces differ per response).
    const viaConsole = await page('liaison.test', `/p/${portal.slug}`);
    expect(home.status).toBe(viaConsole.status);
    for (const p of ['/documents', '/settings/staff', '/signin', '/audit']) {
      const r = await page(served, p, { cookie });
      expect(r.status, p).not.toBe(307);
      expect(r.headers.location, p).toBeUndefined();
      expect(r.text, p).not.toContain(ORG_NAME); // the console would show the organisation
    }
    // The owner's preview page images (which proxy.ts does not see) answer nothing on a portal's domain,
    // with the console cookie or without; on the console host, the route itself answers.
    for (const c of [{ cookie }, {}] as Record<string, string>[]) {
      const r = await page(served, `/portals/${portal.id}/preview/pages/cxxxxxxxxxxxxxxxxxxxxxxxx/1`, c);
      expect(r.status).toBe(404);
      expect(r.text).not.toContain(ORG_NAME);
    }
    expect((await page('liaison.test', `/portals/${portal.id}/preview/pages/cxxxxxxxxxxxxxxxxxxxxxxxx/1`)).status).toBe(401);
  });

  it('leaves the page policy off the files below a document page (they set their own), but keeps it on the page', async () => {
    expect((await page(served, '/d/abc'))['headers']['content-security-policy']).toMatch(/'strict-dynamic'/);
    const file = await page(served, '/d/abc/pages/1');
    expect(file.status).not.toBe(307);
    expect(file.headers['content-security-policy'] ?? '').not.toMatch(/'strict-dynamic'/);
  });

  it('redirects the console-host form of a link to the portal domain’s own path', async () => {
    const r = await page(served, `/p/${portal.slug}/d/abc?x=1`);
    expect(r.status).toBe(308);
    expect(r.headers.location).toBe('/d/abc?x=1');
    expect((await page(served, `/p/${portal.slug}`)).headers.location).toBe('/');
  });

  it('answers the Caddy on-demand TLS question: yes for verified domains and the console host, no otherwise', async () => {
    for (const [d, status] of [[served, 200], [served.toUpperCase(), 200], ['liaison.test', 200], [pending, 404], [archived, 404], [unknown, 404], ['', 404], ['x'.repeat(300), 404]] as const) {
      const r = await page('127.0.0.1', `/api/portal/v1/domains/check?domain=${encodeURIComponent(d)}`);
      expect(r.status, d).toBe(status);
    }
    expect((await page('127.0.0.1', '/api/portal/v1/domains/check')).status).toBe(404);
    // Caddy may ask with any Host.
    expect((await page(unknown, `/api/portal/v1/domains/check?domain=${served}`)).status).toBe(200);
  });
});

describe('hosts that serve nothing', () => {
  it('get the same neutral page, byte for byte, whether nobody claimed the host, the claim is unverified, removed or its portal archived', async () => {
    await prisma().portalDomain.deleteMany({ where: { hostname: removed } });
    bustHostMap(removed);
    const reference = comparable(await page(unknown, '/'));
    expect(reference.status).toBe(404);
    expect(reference.text).toContain('Nothing is served at this address');
    for (const h of [unknown, pending, removed, archived, `${unknown}:8443`]) {
      for (const p of ['/', '/signin', '/documents', `/p/${portal.slug}`, '/_next/static/chunks/x.js', '/robots.txt', '/.well-known/jwks.json']) {
        expect(comparable(await page(h, p, { cookie })), `${h}${p}`).toEqual(reference);
      }
    }
    for (const secret of [ORG_NAME, PORTAL_NAME, portal.slug, portal.id, orgId, 'Liaison', 'liaison.test']) {
      expect(reference.text).not.toContain(secret);
      expect(JSON.stringify(reference.headers)).not.toContain(secret);
    }
    expect(reference.text).not.toMatch(/<a\b|<script\b|<form\b/);
    expect(reference.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    // Without a Host header Node itself refuses the request (400, no body), before any routing.
    const hostless = await raw('/', {});
    expect(hostless.status).toBe(400);
    expect(hostless.text).toBe('');
  });

  it('refuse every API but the health check and the TLS question, with one neutral JSON answer', async () => {
    const gql = await raw('/api/graphql', { host: unknown, authorization: `Bearer ${key}`, 'content-type': 'application/json' }, 'POST', JSON.stringify({ query: '{ me { __typename } }' }));
    expect(gql.status).toBe(404);
    expect(JSON.parse(gql.text)).toEqual({ error: 'not_found', error_description: 'Not found.' });
    for (const [p, method] of [['/api/v1/documents', 'POST'], ['/api/portal/v1/sessions', 'POST'], ['/api/auth/session', 'GET'], ['/api', 'GET']] as const) {
      const r = await raw(p, { host: pending, authorization: `Bearer ${key}`, ...(method === 'POST' ? { 'content-type': 'application/json', 'content-length': '2' } : {}) }, method, method === 'POST' ? '{}' : undefined);
      expect(comparable(r), p).toEqual(comparable(gql));
    }
    const health = await page(unknown, '/api/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
    // socket.io, which takes its requests before the server's handler, refuses them too.
    const poll = '/socket.io/?EIO=4&transport=polling';
    const sock = await page(unknown, poll);
    expect(sock.status).toBe(403);
    expect(comparable(await page(pending, poll))).toEqual(comparable(sock));
    expect((await page('liaison.test', poll)).status).toBe(200);
    // The same request on the console host does reach the API.
    const ok = await raw('/api/graphql', { host: 'liaison.test', authorization: `Bearer ${key}`, 'content-type': 'application/json' }, 'POST', JSON.stringify({ query: '{ __typename }' }));
    expect(ok.status).toBe(200);
  });
});

describe('forwarded host', () => {
  it('ignores X-Forwarded-Host and a forged site header from an untrusted peer, and honours X-Forwarded-Host from a trusted proxy', async () => {
    const spoofPortal = await page(unknown, '/', { 'x-forwarded-host': served });
    expect(spoofPortal.text).toContain('Nothing is served at this address');
    const spoofUnknown = await page('liaison.test', '/documents', { 'x-forwarded-host': unknown });
    expect(spoofUnknown.status).toBe(307); // still the console
    const forgedSite = await page(unknown, '/', { 'x-liaison-site': 'console', 'x-liaison-host': 'liaison.test' });
    expect(forgedSite.text).toContain('Nothing is served at this address');
    const forgedPortal = await page('liaison.test', '/documents', { 'x-liaison-site': `portal ${portal.id} ${orgId} ${portal.slug}` });
    expect(forgedPortal.status).toBe(307);

    process.env.LIAISON_TRUSTED_PROXIES = '127.0.0.1';
    const viaProxy = await page('127.0.0.1', '/documents', { 'x-forwarded-host': served });
    expect(viaProxy.status).not.toBe(307); // the portal, not the console
    expect(viaProxy.text).not.toContain('Nothing is served at this address');
    const proxiedUnknown = await page('liaison.test', '/', { 'x-forwarded-host': `${unknown}, liaison.test` });
    expect(proxiedUnknown.text).toContain('Nothing is served at this address');
    delete process.env.LIAISON_TRUSTED_PROXIES;
  });
});
