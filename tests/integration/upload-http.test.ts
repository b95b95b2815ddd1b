import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { config } from '../../lib/config';
import { issueApiKey } from '../../lib/auth/api-keys';
import { CLIENT_IP_HEADER, clientIp } from '../../lib/http/client-ip';
import { handleUpload } from '../../lib/http/upload-handler';
import { openDocumentContent } from '../../lib/documents/service';
import { buffer } from 'node:stream/consumers';
import { apiKeyPrincipal, createOrg, createStaff, tinyPdf } from '../helpers/factory';
import { storedObjectNames } from '../helpers/blobs';
import { consoleSession } from '../helpers/console-session';

// The same front door as server.ts, minus Next: uploads or 404.
let server: http.Server;
let base: string;
let port: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    if (handleUpload(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => { delete process.env.LIAISON_MAX_UPLOAD_BYTES; });

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

interface Part { name: string; value: Buffer | string; filename?: string; type?: string }
/** A multipart/form-data body built byte by byte, so file names can carry anything. */
function multipart(parts: Part[], boundary = `----liaison${crypto.randomBytes(8).toString('hex')}`) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(head + '\r\n', 'utf8'), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string; json: () => any }
/** One request with full control over headers and body: Buffer (Content-Length), array (chunked), or null (headers only). */
function send(urlPath: string, opts: { headers?: Record<string, string | number>; body?: Buffer | Buffer[] | null; method?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: opts.method ?? 'POST', headers: opts.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const body = Buffer.concat(parts).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body === null) { req.flushHeaders(); return; } // headers only: the body is never sent
    if (Array.isArray(opts.body)) { for (const c of opts.body) req.write(c); req.end(); }
    else req.end(opts.body);
  });
}

function upload(urlPath: string, key: string | null, parts: Part[], extraHeaders: Record<string, string> = {}) {
  const { body, contentType } = multipart(parts);
  return send(urlPath, { headers: { 'content-type': contentType, 'content-length': body.length, ...(key ? { authorization: `Bearer ${key}` } : {}), ...extraHeaders }, body });
}

function blobFiles(): string[] {
  const root = path.join(config().dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}
/** What a refused upload must not leave behind: files on disk and rows in the database. */
async function storedState(orgId: string) {
  return {
    files: (await storedObjectNames()).length,
    parts: blobFiles().filter((f) => f.endsWith('.part')).length,
    docs: await prisma().document.count({ where: { orgId } }),
    versions: await prisma().documentVersion.count({ where: { document: { orgId } } }),
  };
}
/** Waits until asynchronous clean-up has settled, then compares. */
async function expectUnchanged(orgId: string, before: Awaited<ReturnType<typeof storedState>>) {
  let now = await storedState(orgId);
  for (let i = 0; i < 50 && JSON.stringify(now) !== JSON.stringify(before); i++) {
    await new Promise((r) => setTimeout(r, 20));
    now = await storedState(orgId);
  }
  expect(now).toEqual(before);
}

async function setup(scopes?: string[]) {
  const org = await createOrg();
  const key = await issueApiKey({ orgId: org.id, name: 'upload test', scopes, actor: null });
  return { org, key: key.key };
}

describe('POST /api/v1/documents (real HTTP, real API key)', () => {
  it('stores a PDF and answers 201 with id, versionId and sha256', async () => {
    const { org, key } = await setup();
    const pdf = tinyPdf('uploaded over http');
    const r = await upload('/api/v1/documents', key, [
      { name: 'title', value: 'Quarterly briefing' },
      { name: 'tlp', value: 'green' },
      { name: 'file', value: pdf, filename: 'briefing.pdf', type: 'application/pdf' },
    ], { 'user-agent': 'upload-test/1.0' });
    expect(r.status, r.body).toBe(201);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const json = r.json();
    expect(Object.keys(json).sort()).toEqual(['id', 'sha256', 'versionId']);
    expect(json.sha256).toBe(sha(pdf));
    const v = await prisma().documentVersion.findUniqueOrThrow({ where: { id: json.versionId }, include: { document: true } });
    expect(v).toMatchObject({ documentId: json.id, sha256: sha(pdf), size: BigInt(pdf.length), mediaType: 'application/pdf', fileName: 'briefing.pdf', tlp: 'GREEN' });
    expect(v.document).toMatchObject({ orgId: org.id, title: 'Quarterly briefing' });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'document.upload' } });
    expect(ev).toMatchObject({ actorType: 'apikey', documentId: json.id, ip: '127.0.0.1', userAgent: 'upload-test/1.0' });
    const back = await buffer((await openDocumentContent(apiKeyPrincipal(org.id, ['documents:read']), json.id)).stream);
    expect(back.equals(pdf)).toBe(true);
  });

  it('accepts the file before the text fields, and defaults TLP to AMBER and the title to the file name', async () => {
    const { key } = await setup();
    const r = await upload('/api/v1/documents', key, [{ name: 'file', value: 'plain text', filename: 'notes.txt', type: 'text/plain' }]);
    expect(r.status, r.body).toBe(201);
    const v = await prisma().documentVersion.findUniqueOrThrow({ where: { id: r.json().versionId }, include: { document: true } });
    expect(v).toMatchObject({ tlp: 'AMBER', mediaType: 'text/plain', fileName: 'notes.txt' });
    expect(v.document.title).toBe('notes.txt');

    const r2 = await upload('/api/v1/documents', key, [{ name: 'file', value: 'x', filename: 'x.txt' }, { name: 'title', value: 'After the file' }, { name: 'tlp', value: 'RED' }]);
    expect(r2.status, r2.body).toBe(201);
    const v2 = await prisma().documentVersion.findUniqueOrThrow({ where: { id: r2.json().versionId }, include: { document: true } });
    expect(v2.tlp).toBe('RED');
    expect(v2.document.title).toBe('After the file');
  });

  it('adds a new version through /api/v1/documents/{id}/versions', async () => {
    const { org, key } = await setup();
    const first = (await upload('/api/v1/documents', key, [{ name: 'file', value: 'v1', filename: 'doc.txt' }])).json();
    const r = await upload(`/api/v1/documents/${first.id}/versions`, key, [{ name: 'file', value: 'v2 content', filename: 'doc.txt' }, { name: 'tlp', value: 'RED' }]);
    expect(r.status, r.body).toBe(201);
    expect(r.json()).toMatchObject({ id: first.id, sha256: sha(Buffer.from('v2 content')) });
    const versions = await prisma().documentVersion.findMany({ where: { documentId: first.id }, orderBy: { number: 'asc' } });
    expect(versions.map((v) => [v.number, v.tlp])).toEqual([[1, 'AMBER'], [2, 'RED']]);

    // Another organisation's key cannot add a version: not found, nothing stored.
    const other = await setup();
    const before = await storedState(org.id);
    const r2 = await upload(`/api/v1/documents/${first.id}/versions`, other.key, [{ name: 'file', value: 'intrusion', filename: 'x.txt' }]);
    expect(r2.status).toBe(404);
    expect(r2.json().error).toBe('not_found');
    await expectUnchanged(org.id, before);
  });

  it('refuses an empty file with 400 and stores nothing', async () => {
    const { org, key } = await setup();
    const before = await storedState(org.id);
    const r = await upload('/api/v1/documents', key, [{ name: 'title', value: 'Empty' }, { name: 'file', value: Buffer.alloc(0), filename: 'empty.pdf', type: 'application/pdf' }]);
    expect(r.status, r.body).toBe(400);
    expect(r.json()).toMatchObject({ error: 'validation_failed' });
    await expectUnchanged(org.id, before);
  });

  it('refuses a missing file field with 400', async () => {
    const { org, key } = await setup();
    const before = await storedState(org.id);
    const r = await upload('/api/v1/documents', key, [{ name: 'title', value: 'No file' }]);
    expect(r.status).toBe(400);
    expect(r.json().error).toBe('validation_failed');
    await expectUnchanged(org.id, before);
  });

  it('refuses an invalid TLP with 400 and stores nothing', async () => {
    const { org, key } = await setup();
    const before = await storedState(org.id);
    const r = await upload('/api/v1/documents', key, [{ name: 'file', value: 'data', filename: 'x.txt' }, { name: 'tlp', value: 'PURPLE' }]);
    expect(r.status, r.body).toBe(400);
    expect(r.json().error).toBe('validation_failed');
    await expectUnchanged(org.id, before);
  });

  it('answers 413 to an oversized Content-Length before any of the body is sent', async () => {
    const { org, key } = await setup();
    process.env.LIAISON_MAX_UPLOAD_BYTES = '1024';
    const before = await storedState(org.id);
    const started = Date.now();
    const r = await send('/api/v1/documents', {
      headers: { authorization: `Bearer ${key}`, 'content-type': 'multipart/form-data; boundary=xyz', 'content-length': 10 * 1024 ** 3 },
      body: null, // never written: the answer must come without it
    });
    expect(r.status).toBe(413);
    expect(r.json().error).toBe('payload_too_large');
    expect(r.headers.connection).toBe('close');
    expect(Date.now() - started).toBeLessThan(5000);
    await expectUnchanged(org.id, before);
  });

  it('answers 413 to a chunked upload that grows past the limit, leaving no partial file or rows', async () => {
    const { org, key } = await setup();
    process.env.LIAISON_MAX_UPLOAD_BYTES = '2048';
    const before = await storedState(org.id);
    const { body, contentType } = multipart([{ name: 'title', value: 'Too big' }, { name: 'file', value: crypto.randomBytes(100_000), filename: 'big.bin' }]);
    const pieces: Buffer[] = [];
    for (let i = 0; i < body.length; i += 4096) pieces.push(body.subarray(i, i + 4096));
    const r = await send('/api/v1/documents', { headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'transfer-encoding': 'chunked' }, body: pieces });
    expect(r.status).toBe(413);
    expect(r.json().error).toBe('payload_too_large');
    await expectUnchanged(org.id, before);
    expect(blobFiles().filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('accepts a chunked upload exactly at the limit', async () => {
    const { key } = await setup();
    process.env.LIAISON_MAX_UPLOAD_BYTES = '2048';
    const data = crypto.randomBytes(2048);
    const { body, contentType } = multipart([{ name: 'file', value: data, filename: 'exact.bin' }]);
    const r = await send('/api/v1/documents', { headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'transfer-encoding': 'chunked' }, body: [body.subarray(0, 1000), body.subarray(1000)] });
    expect(r.status, r.body).toBe(201);
    expect(r.json().sha256).toBe(sha(data));
  });

  it('stores a cleaned display name for a file name with path segments and control characters', async () => {
    const { key } = await setup();
    // Raw UTF-8 bidi override and path segments in filename=.
    const r = await upload('/api/v1/documents', key, [{ name: 'file', value: 'x', filename: '../../etc/pass\u202ewd.txt', type: 'text/plain' }]);
    expect(r.status, r.body).toBe(201);
    const v = await prisma().documentVersion.findUniqueOrThrow({ where: { id: r.json().versionId }, include: { document: true } });
    expect(v.fileName).toBe('passwd.txt');
    expect(v.document.title).toBe('passwd.txt');
    expect(v.blobKey).toMatch(/^[a-f0-9]{32}$/);

    // Control characters can only arrive percent-encoded (RFC 5987 filename*), which is decoded and then cleaned.
    const { body, contentType } = multipart([]);
    const boundary = contentType.split('boundary=')[1];
    const crafted = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''..%2F..%2Fpa%00ss%07w%1Bd%0D%0A.txt\r\n\r\nx\r\n`),
      body,
    ]);
    const r1 = await send('/api/v1/documents', { headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'content-length': crafted.length }, body: crafted });
    expect(r1.status, r1.body).toBe(201);
    expect((await prisma().documentVersion.findUniqueOrThrow({ where: { id: r1.json().versionId } })).fileName).toBe('passwd.txt');

    const r2 = await upload('/api/v1/documents', key, [{ name: 'file', value: 'x', filename: 'C:\\Users\\me\\Desktop\\report.pdf' }]);
    expect(r2.status, r2.body).toBe(201);
    expect((await prisma().documentVersion.findUniqueOrThrow({ where: { id: r2.json().versionId } })).fileName).toBe('report.pdf');
  });

  it('refuses raw control characters in the part headers as malformed (400), storing nothing', async () => {
    const { org, key } = await setup();
    const before = await storedState(org.id);
    const r = await upload('/api/v1/documents', key, [{ name: 'file', value: 'x', filename: 'pa\u0007ss\u001bwd.txt', type: 'text/plain' }]);
    expect(r.status, r.body).toBe(400);
    expect(r.json().error).toBe('bad_request');
    await expectUnchanged(org.id, before);
  });

  it('keeps UTF-8 file names as browsers send them', async () => {
    const { key } = await setup();
    const r = await upload('/api/v1/documents', key, [{ name: 'file', value: 'x', filename: 'Prüfbericht – 報告.pdf' }]);
    expect(r.status, r.body).toBe(201);
    expect((await prisma().documentVersion.findUniqueOrThrow({ where: { id: r.json().versionId } })).fileName).toBe('Prüfbericht – 報告.pdf');
  });

  it('answers 401 with a Bearer challenge when no credentials are sent', async () => {
    const { org } = await setup();
    const before = await storedState(org.id);
    const r = await upload('/api/v1/documents', null, [{ name: 'file', value: 'x', filename: 'x.txt' }]);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+"$/);
    expect(r.json().error).toBe('unauthenticated');
    await expectUnchanged(org.id, before);
  });

  it('answers 401 invalid_token to a garbage, unknown or non-Bearer token', async () => {
    const { org, key } = await setup();
    const before = await storedState(org.id);
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const authorization of ['Bearer not-a-key', `Bearer ${forged}`, `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer']) {
      const r = await upload('/api/v1/documents', null, [{ name: 'file', value: 'x', filename: 'x.txt' }], { authorization });
      expect(r.status, authorization).toBe(401);
      expect(r.headers['www-authenticate'], authorization).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
      expect(r.json().error).toBe('invalid_token');
    }
    await expectUnchanged(org.id, before);
  });

  it('answers 401 to a revoked key', async () => {
    const { org, key } = await setup();
    await prisma().apiKey.updateMany({ where: { orgId: org.id }, data: { revokedAt: new Date() } });
    const r = await upload('/api/v1/documents', key, [{ name: 'file', value: 'x', filename: 'x.txt' }]);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 403 insufficient_scope to a key without documents:write', async () => {
    const { org, key } = await setup(['documents:read', 'audit:read']);
    const before = await storedState(org.id);
    const r = await upload('/api/v1/documents', key, [{ name: 'file', value: 'x', filename: 'x.txt' }]);
    expect(r.status).toBe(403);
    expect(r.json().error).toBe('insufficient_scope');
    expect(r.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="insufficient_scope"/);
    await expectUnchanged(org.id, before);
  });

  it('accepts a console session cookie only from its own origin (CSRF)', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER');
    // A real next-auth session cookie naming a live server-side session, as the sign-in flow sets it.
    const { cookie } = await consoleSession(user);
    const before = await storedState(org.id);
    for (const origin of ['https://evil.example', 'null']) {
      const r = await upload('/api/v1/documents', null, [{ name: 'file', value: 'csrf', filename: 'x.txt' }], { cookie, origin });
      expect(r.status, origin).toBe(403);
      expect(r.json().error).toBe('forbidden');
    }
    const noOrigin = await upload('/api/v1/documents', null, [{ name: 'file', value: 'csrf', filename: 'x.txt' }], { cookie });
    expect(noOrigin.status).toBe(403);
    await expectUnchanged(org.id, before);

    const ok = await upload('/api/v1/documents', null, [{ name: 'file', value: 'mine', filename: 'x.txt' }], { cookie, origin: config().publicUrl });
    expect(ok.status, ok.body).toBe(201);
    const doc = await prisma().document.findUniqueOrThrow({ where: { id: ok.json().id } });
    expect(doc).toMatchObject({ orgId: org.id, createdById: user.id });

    // A forged cookie is no session at all.
    const forged = await upload('/api/v1/documents', null, [{ name: 'file', value: 'x', filename: 'x.txt' }], { cookie: 'next-auth.session-token=forged', origin: config().publicUrl });
    expect(forged.status).toBe(401);
  });

  it('refuses a malformed multipart body with 400 and stores nothing', async () => {
    const { org, key } = await setup();
    const before = await storedState(org.id);
    const auth = { authorization: `Bearer ${key}` };
    // No boundary parameter at all.
    let r = await send('/api/v1/documents', { headers: { ...auth, 'content-type': 'multipart/form-data', 'content-length': 5 }, body: Buffer.from('hello') });
    expect(r.status).toBe(400);
    expect(r.json().error).toBe('bad_request');
    // A body that never mentions the boundary.
    r = await send('/api/v1/documents', { headers: { ...auth, 'content-type': 'multipart/form-data; boundary=abc', 'content-length': 20 }, body: Buffer.from('this is not multipart') .subarray(0, 20) });
    expect(r.status).toBe(400);
    // A file part that is cut off before its closing boundary.
    const { body, contentType } = multipart([{ name: 'file', value: crypto.randomBytes(200_000), filename: 'cut.bin' }]);
    const cut = body.subarray(0, body.length - 60_000);
    r = await send('/api/v1/documents', { headers: { ...auth, 'content-type': contentType, 'content-length': cut.length }, body: cut });
    expect(r.status, r.body).toBe(400);
    // Not multipart at all.
    r = await send('/api/v1/documents', { headers: { ...auth, 'content-type': 'application/json', 'content-length': 2 }, body: Buffer.from('{}') });
    expect(r.status).toBe(415);
    expect(r.json().error).toBe('unsupported_media_type');
    await expectUnchanged(org.id, before);
  });

  it('refuses a cut-off multipart body even when the cut falls after the whole file', async () => {
    const { org, key } = await setup();
    const before = await storedState(org.id);
    const { body, contentType } = multipart([{ name: 'file', value: crypto.randomBytes(10_000), filename: 'cut.bin' }]);
    // The file data and its CRLF arrived; only the closing boundary is missing.
    const cut = body.subarray(0, body.length - (contentType.split('boundary=')[1].length + 6));
    const r = await send('/api/v1/documents', { headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'content-length': cut.length }, body: cut });
    expect(r.status, r.body).toBe(400);
    await expectUnchanged(org.id, before);
  });

  it('leaves other methods and paths to the rest of the server', async () => {
    expect((await send('/api/v1/documents', { method: 'GET' })).status).toBe(404);
    expect((await send('/api/v1/other', { headers: { 'content-length': 0 }, body: Buffer.alloc(0) })).status).toBe(404);
    expect((await send('/api/v1/documents/../../x/versions', { headers: { 'content-length': 0 }, body: Buffer.alloc(0) })).status).toBe(404);
  });
});
