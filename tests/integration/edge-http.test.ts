/*
 * The web edge through a real server: lib/server/start.ts (the same code server.ts runs) serving the
 * production build in .next, over real HTTP, so Next's own path decoding, proxy.ts and the headers
 * are exactly what a browser gets. `npm test` builds first; run `npx tsx scripts/prepare.ts` before
 * running this file alone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { consoleSession } from '../helpers/console-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Before anything reads the configuration: an HTTPS public URL turns HSTS and secure cookies on.
process.env.LIAISON_PUBLIC_URL = 'https://liaison.test';
process.env.LIAISON_ADMIN_EMAIL = `edge-${crypto.randomBytes(4).toString('hex')}@example.test`;
process.env.LIAISON_ADMIN_PASSWORD = 'Edge-Admin-Password-1';

const { startServer } = await import('../../lib/server/start');
const { prisma } = await import('../../lib/db/client');
const { issueApiKey } = await import('../../lib/auth/api-keys');
const { nextAuthSecret } = await import('../../lib/auth/next-auth');
const { createDocument } = await import('../../lib/documents/service');
const { INVALID_ID_EVENT } = await import('../../lib/http/staff-ids');
const { HSTS_VALUE } = await import('../../lib/http/security-headers');
const { createOrg, createStaff, fileFrom } = await import('../helpers/factory');

let server: Awaited<ReturnType<typeof startServer>>;
let orgId: string;
let key: string;
let cookie: string;
let documentId: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) throw new Error('No production build: run `npx tsx scripts/prepare.ts` first.');
  server = await startServer({ port: 0, dev: false, background: false });
  orgId = (await createOrg('Edge Org')).id;
  const { user, principal } = await createStaff(orgId, 'ADMIN');
  key = (await issueApiKey({ orgId, name: 'edge', actor: null })).key;
  // A live server-side session (HTTPS public URL: the __Secure- cookie name).
  cookie = (await consoleSession(user)).cookie.replace(/^next-auth/, '__Secure-next-auth');
  documentId = (await createDocument(principal, fileFrom('edge body', 'edge.txt', 'text/plain'), { title: 'Edge doc' }, 1_000_000)).id;
});

afterAll(async () => {
  await server?.close();
});

/** A request with the path sent byte for byte as written (fetch would normalise nothing here, but says so). */
async function get(p: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  const res = await fetch(`${server.url}${p}`, { redirect: 'manual', ...init, headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const cspOf = (h: Headers) => {
  const v = h.get('content-security-policy');
  return v ? Object.fromEntries(v.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...vals]) => [k, vals])) as Record<string, string[]> : null;
};

describe('headers on HTML pages', () => {
  it('sends a strict CSP with a fresh nonce that Next puts on every script, and no inline style attributes', async () => {
    const a = await get('/signin');
    const b = await get('/signin');
    expect(a.status).toBe(200);
    const csp = cspOf(a.headers)!;
    const nonce = /^'nonce-([A-Za-z0-9+/=]{22,})'$/.exec(csp['script-src'][1])?.[1];
    expect(nonce).toBeTruthy();
    expect(csp['script-src']).toEqual(['\'self\'', `'nonce-${nonce}'`, '\'strict-dynamic\'']);
    expect(csp['style-src']).toEqual(['\'self\'', `'nonce-${nonce}'`]);
    expect(csp).toMatchObject({
      'default-src': ['\'self\''], 'img-src': ['\'self\'', 'data:', 'blob:'], 'connect-src': ['\'self\'', 'wss://liaison.test'],
      'worker-src': ['\'self\'', 'blob:'], 'object-src': ['\'none\''], 'base-uri': ['\'none\''], 'frame-ancestors': ['\'none\''],
      'form-action': ['\'self\''], 'upgrade-insecure-requests': [],
    });
    expect(a.headers.get('content-security-policy')).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(cspOf(b.headers)!['script-src'][1]).not.toBe(csp['script-src'][1]);
    const scripts = [...a.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(3);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    expect(a.text).not.toMatch(/\sstyle="/);
    expect(a.headers.get('strict-transport-security')).toBe(HSTS_VALUE);
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('referrer-policy')).toBe('no-referrer');
    expect(a.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(a.headers.get('x-frame-options')).toBe('DENY');
    expect(a.headers.get('permissions-policy')).toMatch(/(^|, )camera=\(\)(,|$)/);
    expect(a.headers.get('permissions-policy')).toMatch(/(^|, )geolocation=\(\)(,|$)/);
  });

  it('covers console pages, guest pages and error pages, but sends only console visitors without a session to sign in', async () => {
    const console404 = await get('/no-such-page', { cookie });
    expect(console404.status).toBe(404);
    expect(cspOf(console404.headers)?.['script-src']).toContain('\'strict-dynamic\'');
    expect(console404.text).toContain('Not found');
    const guest = await get(`/s/${crypto.randomBytes(32).toString('base64url')}`);
    expect(guest.status).toBeLessThan(500);
    expect(guest.text).toContain('Link not found');
    const guestNonce = cspOf(guest.headers)?.['script-src'][1];
    expect(guestNonce).toMatch(/^'nonce-/);
    for (const s of guest.text.matchAll(/<script\b[^>]*>/g)) expect(s[0]).toContain(`nonce="${guestNonce!.slice(7, -1)}"`);
    // Sign-in only for console pages: the guest page above answered itself, a console page redirects.
    const anon = await get('/documents');
    expect(anon.status).toBe(307);
    expect(anon.headers.get('location')).toBe('/signin?callbackUrl=%2Fdocuments');
    const documents = await get('/documents', { cookie });
    expect(documents.status).toBe(200);
    expect(documents.text).toContain('Edge doc');
    expect(documents.text).not.toMatch(/\sstyle="/); // the TLP badge colours are classes
    // A dot in the last segment does not make a page a static file: still the policy, still the sign-in check.
    for (const p of ['/documents/x.js', `/s/${crypto.randomBytes(32).toString('base64url')}.css`]) {
      const r = await get(p, { cookie });
      expect(cspOf(r.headers)?.['script-src'], p).toContain('\'strict-dynamic\'');
    }
    expect((await get('/shares/a.json')).status).toBe(307);
  });

  it('sends no CSP on JSON APIs and files, but nosniff and HSTS everywhere, uploads included', async () => {
    for (const p of ['/api/health', '/.well-known/jwks.json', '/robots.txt']) {
      const r = await get(p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('content-security-policy'), p).toBeNull();
      expect(r.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(r.headers.get('strict-transport-security'), p).toBe(HSTS_VALUE);
    }
    // A guest file route keeps its own policy: the page policy is not laid over it.
    const file = await get(`/s/${crypto.randomBytes(32).toString('base64url')}/d/${documentId}/download`);
    expect(file.status).toBe(404);
    expect(file.headers.get('content-security-policy')).toBeNull();
    const upload = await get('/api/v1/documents', {}, { method: 'POST' });
    expect(upload.status).toBe(401);
    expect(upload.headers.get('strict-transport-security')).toBe(HSTS_VALUE);
  });
});

// What the security review sent, and the rest of the family: NUL, a 3,000-character id, a path,
// invalid UTF-8 (a broken sequence and a lone byte).
const BAD = [
  { raw: '%00', audited: '\\u0000' },
  { raw: 'a'.repeat(3_000), audited: `${'a'.repeat(80)}...(3000 chars)` },
  { raw: '..%2F..%2Fetc', audited: '../../etc' },
  { raw: '%C3%28', audited: '%C3%28' },
  { raw: '%FF', audited: '%FF' },
];

/** The same values in a query string: URLSearchParams reads bytes that are not UTF-8 as U+FFFD. */
const inQuery = (b: (typeof BAD)[number]) => (b.raw === '%C3%28' ? '\\ufffd(' : b.raw === '%FF' ? '\\ufffd' : b.audited);

async function refusalsSince(since: Date) {
  const rows = await prisma().auditEvent.findMany({ where: { orgId, type: INVALID_ID_EVENT, at: { gte: since } }, orderBy: { seq: 'asc' } });
  return rows.map((e) => ({ ...(e.details as { where: string; field: string; value: string }), documentId: e.documentId, shareId: e.shareId, outcome: e.outcome, reason: e.reason }));
}

describe('ids at the edge, through real HTTP', () => {
  it('staff API routes answer 404 not_found (never 500) and audit the escaped, truncated value', async () => {
    const since = new Date(Date.now() - 1);
    const auth = { authorization: `Bearer ${key}` };
    for (const b of BAD) {
      const r = await get(`/api/v1/documents/${b.raw}/content`, auth);
      expect(r.status, b.raw.slice(0, 20)).toBe(404);
      expect(JSON.parse(r.text)).toEqual({ error: 'not_found', error_description: 'Not found: documentId is not a valid id.' });
      const v = await get(`/api/v1/documents/${documentId}/content?version=${b.raw}`, auth);
      expect(v.status).toBe(404);
      const up = await get(`/api/v1/documents/${b.raw}/versions`, { ...auth, 'content-type': 'multipart/form-data; boundary=x' }, { method: 'POST', body: '--x--\r\n' });
      expect(up.status).toBe(404);
      expect(JSON.parse(up.text).error).toBe('not_found');
    }
    const rows = await refusalsSince(since);
    expect(rows).toHaveLength(BAD.length * 3);
    expect(rows.filter((r) => r.where === 'GET /api/v1/documents/{id}/content' && r.field === 'documentId').map((r) => r.value)).toEqual(BAD.map((b) => b.audited));
    expect(rows.filter((r) => r.field === 'versionId').map((r) => r.value)).toEqual(BAD.map(inQuery));
    expect(rows.filter((r) => r.where === 'POST /api/v1/documents/{id}/versions').map((r) => r.value)).toEqual(BAD.map((b) => b.audited));
    for (const r of rows) expect(r).toMatchObject({ documentId: null, shareId: null, outcome: 'denied', reason: 'invalid_id' });
    // A good id still downloads, and nothing was uploaded by the refused requests.
    const ok = await get(`/api/v1/documents/${documentId}/content`, auth);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('edge body');
    expect(await prisma().documentVersion.count({ where: { documentId } })).toBe(1);
  });

  it('an unauthenticated request with a bad id is a 401, not a 500, and writes nothing', async () => {
    // Marked by a user agent of their own: other test files audit invalid ids at the same time.
    const ua = `edge-unauthenticated-${Date.now()}`;
    for (const b of BAD) {
      expect((await get(`/api/v1/documents/${b.raw}/content`, { 'user-agent': ua })).status).toBe(401);
      expect((await get(`/api/v1/documents/${b.raw}/versions`, { 'user-agent': ua }, { method: 'POST' })).status).toBe(401);
    }
    expect(await prisma().auditEvent.count({ where: { type: INVALID_ID_EVENT, userAgent: ua } })).toBe(0);
  });

  it('console pages answer 404 for a bad id in the path or the query, and audit it', async () => {
    const since = new Date(Date.now() - 1);
    const pages = (raw: string) => [
      ['page /documents/[id]', `/documents/${raw}`],
      ['page /shares/[id]', `/shares/${raw}`],
      ['page /shares/new', `/shares/new?documentId=${raw}`],
      ['page /audit', `/audit?document=${raw}`],
      ['page /audit', `/audit?share=${raw}`],
      ['page /documents', `/documents?cursor=${raw}`],
      ['page /shares', `/shares?after=${raw}`],
    ];
    for (const b of BAD) {
      for (const [, p] of pages(b.raw)) {
        const r = await get(p, { cookie });
        expect(r.status, `${p.slice(0, 40)}`).toBe(404);
        expect(r.text).toContain('Not found');
        expect(cspOf(r.headers)?.['script-src'][0]).toBe('\'self\'');
      }
    }
    const rows = await refusalsSince(since);
    expect(rows).toHaveLength(BAD.length * 7);
    // Paths come decoded by Next (undecodable segments as sent), query strings by URLSearchParams;
    // either way the trail holds an escaped, bounded value.
    const expected = BAD.flatMap((b) => pages(b.raw).map(([where, p]) => ({ where, value: p.includes('?') ? inQuery(b) : b.audited })));
    expect(rows.map((r) => ({ where: r.where, value: r.value }))).toEqual(expected);
    for (const r of rows) expect(r.value.length).toBeLessThanOrEqual(100);
  });

  it('guest paths with undecodable segments are not server errors either', async () => {
    for (const p of ['/s/%C3%28', '/s/%FF/d/%C3%28/download', `/s/${'a'.repeat(3_000)}`, '/api/portal/v1/documents/%FF/content']) {
      expect((await get(p)).status, p).toBeLessThan(500);
    }
  });

  it('GraphQL over HTTP refuses a bad ID argument with 404 and an over-limit query with 400, in the built app', async () => {
    const post = (body: unknown) => fetch(`${server.url}/api/graphql`, {
      method: 'POST', body: JSON.stringify(body),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    });
    const bad = await post({ query: 'query($id: ID!) { document(id: $id) { id } }', variables: { id: 'a\u0000b' } });
    expect(bad.status).toBe(404);
    expect((await bad.json()).errors[0].extensions.code).toBe('not_found');
    const heavy = await post({ query: '{ shares(first: 100) { nodes { accessLog(first: 200) { nodes { id } } } } }' });
    expect(heavy.status).toBe(400);
    expect((await heavy.json()).errors[0].extensions.code).toBe('query_too_complex');
    const good = await post({ query: 'query($id: ID!) { document(id: $id) { title } }', variables: { id: documentId } });
    expect((await good.json()).data.document.title).toBe('Edge doc');
  });
});

// GET …/documents and …/documents/<id>/content are served on the raw request ahead of Next
// (lib/http/hot-guest-gets.ts): the same handler, so the same policy and audit, and the same headers.
const { sharedPdf } = await import('../helpers/guest');
const { revokeShare } = await import('../../lib/shares/service');
const { STATIC_SECURITY_HEADERS } = await import('../../lib/http/static-headers');

describe('the guest API\'s hot GETs, served ahead of Next', () => {
  async function openShare() {
    const s = await sharedPdf({ allowDownload: true, allowPrint: true, watermark: false });
    const open = await fetch(`${server.url}/api/portal/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: s.url }),
    });
    expect(open.status).toBe(201);
    const token = (await open.json()).access_token as string;
    return { ...s, auth: { authorization: `Bearer ${token}` } };
  }
  const eventsOf = (shareId: string, type: string) => prisma().auditEvent.findMany({ where: { shareId, type }, orderBy: { seq: 'asc' } });

  it('answers with the headers Next gives every response, an exact Content-Length, and the download audited once', async () => {
    const s = await openShare();
    const health = await get('/api/health');
    const list = await get('/api/portal/v1/documents', s.auth);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.text)).toEqual([expect.objectContaining({ id: s.doc.id, title: 'Briefing', allowDownload: true })]);
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) {
      expect(list.headers.get(name), name).toBe(value);
      expect(health.headers.get(name), `${name} (through Next)`).toBe(value);
    }
    expect(list.headers.get('strict-transport-security')).toBe(HSTS_VALUE);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.headers.get('content-length')).toBe(String(Buffer.byteLength(list.text)));

    const res = await fetch(`${server.url}/api/portal/v1/documents/${s.doc.id}/content`, { headers: s.auth });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await eventsOf(s.share.id, 'guest.download')).toHaveLength(1);
  });

  it('streams a file larger than a megabyte whole, with its declared length', async () => {
    const { createShare } = await import('../../lib/shares/service');
    const org = await createOrg('Edge stream');
    const { principal } = await createStaff(org.id, 'MEMBER');
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const doc = await createDocument(principal, fileFrom(bytes, 'capture.bin', 'application/octet-stream'), { title: 'Capture' }, 1e8);
    const created = await createShare(principal, { documentIds: [doc.id], allowDownload: true, allowPrint: true, watermark: false } as never);
    const open = await fetch(`${server.url}/api/portal/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: created.url }) });
    const token = (await open.json()).access_token as string;
    const res = await fetch(`${server.url}/api/portal/v1/documents/${doc.id}/content`, { headers: { authorization: `Bearer ${token}` } });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(crypto.createHash('sha256').update(body).digest('hex')).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuses at once after a revocation, refuses tokens in the query, and audits bad ids as Next\'s route would', async () => {
    const s = await openShare();
    expect((await get('/api/portal/v1/documents?access_token=x', s.auth)).status).toBe(401);
    expect((await get('/api/portal/v1/documents')).status).toBe(401);
    const since = new Date();
    for (const raw of ['%00', 'a'.repeat(3_000), '..%2F..%2Fetc']) {
      const r = await get(`/api/portal/v1/documents/${raw}/content`, s.auth);
      expect(r.status, raw).toBe(404);
      expect(JSON.parse(r.text).error).toBe('not_found');
    }
    const refused = await prisma().auditEvent.findMany({ where: { shareId: s.share.id, reason: 'invalid_id', at: { gte: since } }, orderBy: { seq: 'asc' } });
    expect(refused.map((e) => (e.details as { documentId: string }).documentId)).toEqual(['\\u0000', `${'a'.repeat(80)}...(3000 chars)`, '../../etc']);
    // HEAD and a trailing slash are left to Next, which answers them without a server error.
    expect((await get('/api/portal/v1/documents', s.auth, { method: 'HEAD' })).status).toBeLessThan(500);
    expect((await get('/api/portal/v1/documents/', s.auth)).status).toBeLessThan(500);

    await revokeShare(s.principal, s.share.id);
    const after = await get('/api/portal/v1/documents', s.auth);
    expect(after.status).toBeGreaterThanOrEqual(400);
    expect(after.status).toBeLessThan(500);
    const content = await get(`/api/portal/v1/documents/${s.doc.id}/content`, s.auth);
    expect([401, 403, 404, 410]).toContain(content.status);
  });
});
