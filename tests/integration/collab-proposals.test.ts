import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { CLIENT_IP_HEADER, clientIp } from '../../lib/http/client-ip';
import { HOST_HEADER } from '../../lib/http/request-host';
import { handleProposalUpload } from '../../lib/http/proposal-upload';
import { handleGraphql } from '../../lib/graphql/yoga';
import { acceptProposal, listProposals, openProposalContent, rejectProposal } from '../../lib/collab/proposals';
import { createDocument, deleteDocument } from '../../lib/documents/service';
import { storedBlobs } from '../helpers/blobs';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { GET as ownProposalsRoute } from '../../app/api/portal/v1/documents/[id]/proposals/route';
import { apiContent, apiDocument, apiToken, browserOpen, sharedPdf, BASE, DESKTOP_UA } from '../helpers/guest';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

// The same front door as server.ts for these paths: the client address and host decided, then the upload.
let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    req.headers[HOST_HEADER] = 'localhost';
    if (handleProposalUpload(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function multipart(file: Buffer, fileName: string, type: string, fields: Record<string, string> = {}) {
  const boundary = `----liaison${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

interface Reply { status: number; json: any }
function post(urlPath: string, headers: Record<string, string>, body: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', headers: { 'content-length': body.length, 'user-agent': DESKTOP_UA, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const MARKED_UP = tinyPdf('Marked-up contract, clause 4 struck');
const propose = (token: string, documentId: string, file = MARKED_UP, fields: Record<string, string> = { note: 'Clause 4 struck, see margin' }) => {
  const m = multipart(file, 'contract-marked.pdf', 'application/pdf', fields);
  return post(`/api/portal/v1/documents/${documentId}/proposals`, { authorization: `Bearer ${token}`, 'content-type': m.contentType }, m.body);
};
const ownProposals = async (token: string, documentId: string) => {
  const res = await ownProposalsRoute(new Request(`${BASE}/api/portal/v1/documents/${documentId}/proposals`, {
    headers: { authorization: `Bearer ${token}`, [CLIENT_IP_HEADER]: '198.51.100.10', [HOST_HEADER]: 'localhost', 'user-agent': DESKTOP_UA },
  }), { params: Promise.resolve({ id: documentId }) });
  return { status: res.status, json: await res.json() as any };
};

describe('proposed versions: who may upload', () => {
  it('a VIEW or COMMENT guest is refused 403 forbidden, audited, and nothing is stored', async () => {
    for (const permission of ['VIEW', 'COMMENT'] as const) {
      const s = await sharedPdf({ permission });
      const token = await apiToken(s.url);
      const r = await propose(token, s.doc.id);
      expect({ status: r.status, error: r.json?.error }).toEqual({ status: 403, error: 'forbidden' });
      expect(await prisma().versionProposal.count({ where: { documentId: s.doc.id } })).toBe(0);
      const ev = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, type: 'guest.edit', outcome: 'denied' } });
      expect(ev).toMatchObject({ reason: 'forbidden', documentId: s.doc.id });
    }
  });

  it('a guest of share A cannot propose a version of a document only in share B', async () => {
    const a = await sharedPdf({ permission: 'EDIT' });
    const docB = await createDocument(a.principal, fileFrom(tinyPdf('Other matter'), 'other.pdf', 'application/pdf'), { title: 'Other', tlp: 'AMBER' }, 1e7);
    await createShare(a.principal, { documentIds: [docB.id], permission: 'EDIT' } as CreateShareInput);
    const token = await apiToken(a.url);
    const r = await propose(token, docB.id);
    expect({ status: r.status, error: r.json?.error }).toEqual({ status: 404, error: 'not_found' });
    expect(await prisma().versionProposal.count({ where: { documentId: docB.id } })).toBe(0);
  });

  it('no token, a forged token, and a token in the query string are refused', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const m = multipart(MARKED_UP, 'x.pdf', 'application/pdf');
    expect((await post(`/api/portal/v1/documents/${s.doc.id}/proposals`, { 'content-type': m.contentType }, m.body)).status).toBe(401);
    expect((await propose('eyJhbGciOiJFUzI1NiJ9.e30.c2ln', s.doc.id)).status).toBe(401);
    const token = await apiToken(s.url);
    const q = await post(`/api/portal/v1/documents/${s.doc.id}/proposals?access_token=${token}`, { 'content-type': m.contentType }, m.body);
    expect(q.json?.error).toBe('invalid_token');
  });

  it('a flood of uploads from one guest is cut at 20 an hour (429 rate_limited), before anything is stored', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const token = await apiToken(s.url);
    const answers: number[] = [];
    for (let i = 0; i < 21; i++) answers.push((await propose(token, s.doc.id, tinyPdf(`draft ${i}`), {})).status);
    expect(answers.slice(0, 20).every((x) => x === 201)).toBe(true);
    expect(answers[20]).toBe(429);
    expect(await prisma().versionProposal.count({ where: { documentId: s.doc.id } })).toBe(20);
    // Another guest is not held back by this one.
    expect((await propose(await apiToken(s.url, {}, '198.51.100.77'), s.doc.id)).status).toBe(201);
  });

  it('the browser twin needs the link cookie and a same-origin request', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const { cookie } = await browserOpen(s.token, {});
    expect(cookie).toBeTruthy();
    const m = multipart(MARKED_UP, 'browser.pdf', 'application/pdf');
    const path = `/s/${s.token}/d/${s.doc.id}/proposals`;
    const crossSite = await post(path, { cookie: `liaison_guest=${cookie}`, 'content-type': m.contentType, origin: 'https://evil.example' }, m.body);
    expect({ status: crossSite.status, error: crossSite.json?.error }).toEqual({ status: 403, error: 'forbidden' });
    const ok = await post(path, { cookie: `liaison_guest=${cookie}`, 'content-type': m.contentType, origin: 'http://localhost' }, m.body);
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ state: 'PENDING', fileName: 'browser.pdf', documentId: s.doc.id });
  });
});

describe('proposed versions: staff decide', () => {
  it('EDIT guest uploads; nobody is served it until staff accept; then it is the current version everywhere', async () => {
    const s = await sharedPdf({ permission: 'EDIT', allowDownload: true });
    // Unwatermarked and printable, so the bytes served are the file's own.
    const other = await createShare(s.principal, { documentIds: [s.doc.id], allowDownload: true, allowPrint: true, watermark: false } as CreateShareInput);
    const token = await apiToken(s.url);
    const otherToken = await apiToken(other.url);
    const before = await (await apiDocument(otherToken, s.doc.id)).json() as { versionId: string };

    const up = await propose(token, s.doc.id);
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ state: 'PENDING', mediaType: 'application/pdf', note: 'Clause 4 struck, see margin' });
    const stored = await prisma().versionProposal.findUniqueOrThrow({ where: { id: up.json.id } });
    expect(stored).toMatchObject({ shareId: s.share.id, baseVersionId: before.versionId, state: 'PENDING' });
    // Encrypted at rest like any upload: the blob is not the plaintext.
    expect(stored.sha256).toBe(crypto.createHash('sha256').update(MARKED_UP).digest('hex'));
    const submitted = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, type: 'proposal.submitted' } });
    expect(submitted).toMatchObject({ documentId: s.doc.id, outcome: 'success' });
    expect(await prisma().mailMessage.count({ where: { orgId: s.org.id, template: 'proposal_submitted', dedupeKey: `proposal:${up.json.id}` } })).toBe(1);

    // Pending: the other share's guest still gets the old version, and its bytes.
    const during = await (await apiDocument(otherToken, s.doc.id)).json() as { versionId: string };
    expect(during.versionId).toBe(before.versionId);
    const oldBytes = Buffer.from(await (await apiContent(otherToken, s.doc.id)).arrayBuffer());
    expect(oldBytes.equals(MARKED_UP)).toBe(false);

    // Staff review the file, then accept.
    const review = await openProposalContent(s.principal, up.json.id);
    expect((await buffer(review.stream)).equals(MARKED_UP)).toBe(true);
    const accepted = await acceptProposal(s.principal, up.json.id, { note: 'Agreed' });
    expect(accepted).toMatchObject({ state: 'ACCEPTED', version: 2, tlp: 'AMBER' });
    const after = await (await apiDocument(otherToken, s.doc.id)).json() as { versionId: string };
    expect(after.versionId).toBe(accepted.versionId);
    // The guest's copy is the accepted file: its page objects byte for byte, only a copy code added to the metadata.
    const newBytes = Buffer.from(await (await apiContent(otherToken, s.doc.id)).arrayBuffer()).toString('latin1');
    for (const obj of MARKED_UP.toString('latin1').match(/\d+ 0 obj[\s\S]*?endobj/g)!.slice(1)) expect(newBytes).toContain(obj);
    expect(newBytes).toMatch(/\/Keywords \(liaison-copy:[0-9A-Z]{5}-[0-9A-Z]{5}\)/);

    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { documentId: s.doc.id, type: 'proposal.accepted' } });
    expect(ev).toMatchObject({ actorType: 'staff', actorId: s.principal.kind === 'staff' ? s.principal.userId : '', shareId: s.share.id });
    expect((ev.details as any).author).toMatchObject({ guestId: stored.guestId, shareId: s.share.id });
    expect((ev.details as any).versionId).toBe(accepted.versionId);

    // The author sees the outcome; deciding twice is a conflict.
    const mine = await ownProposals(token, s.doc.id);
    expect(mine.json[0]).toMatchObject({ id: up.json.id, state: 'ACCEPTED', decisionNote: 'Agreed', acceptedVersionId: accepted.versionId });
    await expect(rejectProposal(s.principal, up.json.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('reject with a note: the author sees it, the document keeps its version', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const token = await apiToken(s.url);
    const up = await propose(token, s.doc.id);
    await rejectProposal(s.principal, up.json.id, { note: 'Clause 4 stays' });
    expect(await prisma().documentVersion.count({ where: { documentId: s.doc.id } })).toBe(1);
    const mine = await ownProposals(token, s.doc.id);
    expect(mine.json).toEqual([expect.objectContaining({ state: 'REJECTED', decisionNote: 'Clause 4 stays', acceptedVersionId: null })]);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { documentId: s.doc.id, type: 'proposal.rejected' } });
    expect((ev.details as any).note).toBe('Clause 4 stays');
    expect((await listProposals(s.principal, { documentId: s.doc.id }))[0]).toMatchObject({ state: 'REJECTED', decisionNote: 'Clause 4 stays' });
  });

  it("a guest sees only their own proposals, never another guest's", async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const t1 = await apiToken(s.url, {}, '198.51.100.21');
    const t2 = await apiToken(s.url, {}, '198.51.100.22');
    await propose(t1, s.doc.id);
    const g1 = (await ownProposals(t1, s.doc.id)).json;
    const g2 = (await ownProposals(t2, s.doc.id)).json;
    const sessions = await prisma().guestSession.findMany({ where: { shareId: s.share.id }, select: { guestId: true } });
    if (new Set(sessions.map((x) => x.guestId)).size === 2) expect(g2).toEqual([]);
    expect(g1).toHaveLength(1);
  });

  it('staff may mark the accepted version; one above the ceiling on a shared document is refused and audited', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    await prisma().organization.update({ where: { id: s.org.id }, data: { tlpCeiling: 'AMBER' } });
    const token = await apiToken(s.url);
    const up = await propose(token, s.doc.id);
    await expect(acceptProposal(s.principal, up.json.id, { tlp: 'RED' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await prisma().auditEvent.count({ where: { documentId: s.doc.id, type: 'proposal.accepted', outcome: 'denied', reason: 'tlp_above_share_ceiling' } })).toBe(1);
    expect((await prisma().versionProposal.findUniqueOrThrow({ where: { id: up.json.id } })).state).toBe('PENDING');
    const ok = await acceptProposal(s.principal, up.json.id, { tlp: 'green' });
    expect(ok.tlp).toBe('GREEN');
  });

  it("deleting the document removes its guests' proposed files as well", async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const token = await apiToken(s.url);
    const pending = await propose(token, s.doc.id);
    const accepted = await propose(token, s.doc.id, tinyPdf('accepted draft'));
    await acceptProposal(s.principal, accepted.json.id);
    const keys = (await prisma().versionProposal.findMany({ where: { documentId: s.doc.id }, select: { blobKey: true } })).map((r) => r.blobKey);
    expect((await storedBlobs(keys)).every(Boolean)).toBe(true);
    await deleteDocument(s.principal, s.doc.id);
    expect((await storedBlobs(keys)).some(Boolean)).toBe(false);
    expect(await prisma().versionProposal.count({ where: { id: { in: [pending.json.id, accepted.json.id] } } })).toBe(0);
  });

  it('an auditor (read only) cannot decide', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const token = await apiToken(s.url);
    const up = await propose(token, s.doc.id);
    const { principal: auditor } = await createStaff(s.org.id, 'AUDITOR');
    await expect(acceptProposal(auditor, up.json.id)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

interface GqlResult { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }
async function gql(query: string, key: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.33', 'user-agent': 'vitest-graphql-proposals' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;

describe('graphql: proposals', () => {
  const LIST = `query($documentId: ID, $state: ProposalState) { proposals(documentId: $documentId, state: $state) { id state guestName fileName note baseVersionNumber acceptedVersionNumber decidedBy { email } decisionNote } }`;
  const ACCEPT = `mutation($id: ID!, $tlp: Tlp) { acceptProposal(id: $id, tlp: $tlp) { id state acceptedVersionNumber decidedAt } }`;
  const REJECT = `mutation($id: ID!, $note: String) { rejectProposal(id: $id, note: $note) { id state decisionNote } }`;

  it('lists, accepts and rejects; another organisation sees and decides nothing', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const key = (await issueApiKey({ orgId: s.org.id, name: 'proposals', actor: null })).key;
    const token = await apiToken(s.url);
    const a = await propose(token, s.doc.id, MARKED_UP, { note: '<script>alert(1)</script>' });
    const b = await propose(token, s.doc.id);

    const listed = await gql(LIST, key, { documentId: s.doc.id, state: 'PENDING' });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.proposals.map((p: { id: string }) => p.id).sort()).toEqual([a.json.id, b.json.id].sort());
    expect(listed.body.data.proposals.find((p: { id: string }) => p.id === a.json.id)).toMatchObject({ note: '<script>alert(1)</script>', baseVersionNumber: 1 });

    const otherOrg = await createOrg();
    const otherKey = (await issueApiKey({ orgId: otherOrg.id, name: 'other', actor: null })).key;
    expect((await gql(LIST, otherKey, { documentId: s.doc.id })).body.data.proposals).toEqual([]);
    expect(code(await gql(ACCEPT, otherKey, { id: a.json.id }))).toBe('not_found');
    expect(code(await gql(REJECT, otherKey, { id: b.json.id }))).toBe('not_found');
    expect((await prisma().versionProposal.findUniqueOrThrow({ where: { id: a.json.id } })).state).toBe('PENDING');

    const readOnly = (await issueApiKey({ orgId: s.org.id, name: 'ro', scopes: ['documents:read'], actor: null })).key;
    expect(code(await gql(ACCEPT, readOnly, { id: a.json.id }))).toBe('insufficient_scope');

    const acc = await gql(ACCEPT, key, { id: a.json.id, tlp: 'GREEN' });
    expect(acc.body.errors).toBeUndefined();
    expect(acc.body.data.acceptProposal).toMatchObject({ id: a.json.id, state: 'ACCEPTED', acceptedVersionNumber: 2 });
    const rej = await gql(REJECT, key, { id: b.json.id, note: 'Superseded' });
    expect(rej.body.data.rejectProposal).toMatchObject({ state: 'REJECTED', decisionNote: 'Superseded' });
    expect(code(await gql(ACCEPT, key, { id: b.json.id }))).toBe('conflict');
    expect(code(await gql(ACCEPT, key, { id: 'not an id!' }))).toBe('not_found');
  });
});
