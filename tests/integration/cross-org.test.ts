/**
 * Two organisations on one instance, each with an admin, a member, an auditor, API keys, documents
 * with versions, terms, shares with open guest sessions and an audit trail. Org A's staff (session and
 * API key) and org A's guests then reach for org B's objects on every path: the domain functions,
 * GraphQL, the staff HTTP routes and the guest routes. Every answer must be 404 not_found (never a 403
 * that admits the object exists, never its data), and org B must be exactly as it was.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { consoleSession } from '../helpers/console-session';
import { prisma } from '../../lib/db/client';
import { config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import type { Principal } from '../../lib/auth/principal';
import { ROLE_SCOPES } from '../../lib/auth/scopes';
import { resolvePrincipal } from '../../lib/auth/resolve';
import { issueApiKey, listApiKeys, revokeApiKey, verifyApiKey } from '../../lib/auth/api-keys';
import { getApiKey } from '../../lib/auth/api-key-read';
import { createOrganization } from '../../lib/orgs/create';
import { currentOrganization } from '../../lib/orgs/current-org';
import { addVersion, createDocument, deleteDocument, getDocument, listDocuments, openDocumentContent } from '../../lib/documents/service';
import { dashboardStats } from '../../lib/documents/stats';
import { createShare, getShare, listShares, revokeShare, updateShare, updateSharePolicy } from '../../lib/shares/service';
import { shareRelations } from '../../lib/shares/relations';
import { shareCounts } from '../../lib/shares/counts';
import { createTerms, listTerms, reviseTerms } from '../../lib/terms/service';
import { termsVersionCounts } from '../../lib/terms/counts';
import { auditEventTypes, listAuditEvents } from '../../lib/audit/query';
import { verifyOwnAuditChain } from '../../lib/audit/verify-org';
import { verifyAuditChain } from '../../lib/audit/verify';
import { listSigningKeys, rotateSigningKeyAsAdmin } from '../../lib/tokens/admin';
import { currentSigningKey, signGuestToken } from '../../lib/tokens';
import { handleGraphql } from '../../lib/graphql/yoga';
import { encodeIdCursor } from '../../lib/graphql/connection';
import { handleUpload } from '../../lib/http/upload-handler';
import { CLIENT_IP_HEADER, clientIp } from '../../lib/http/client-ip';
import { HOST_HEADER } from '../../lib/http/request-host';
import { GET as staffContentRoute } from '../../app/api/v1/documents/[id]/content/route';
import { createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { storedObjectNames } from '../helpers/blobs';
import { apiContent, apiList, apiToken, BASE, browserFile, browserOpen, DESKTOP_UA } from '../helpers/guest';

const root = path.resolve(import.meta.dirname, '../..');
const uniq = () => crypto.randomBytes(4).toString('hex');

interface World {
  label: string;
  /** A string that appears in this organisation's document titles, terms and share messages only. */
  marker: string;
  org: { id: string; slug: string };
  admin: Principal;
  adminUserId: string;
  member: Principal;
  auditor: Principal;
  apiKey: { id: string; key: string };
  keyPrincipal: Principal;
  /** A second key, the one the other organisation tries to revoke. */
  spareKey: { id: string; key: string };
  doc: { id: string; title: string; versionIds: string[] };
  terms: { id: string; versionIds: string[] };
  share: { id: string; token: string };
  termsShare: { id: string; token: string };
  guest: { token: string; sessionId: string; guestId: string; cookie: string };
}

async function buildOrganization(label: string): Promise<World> {
  const marker = `${label}-only-${uniq()}`;
  const created = await createOrganization({
    slug: `${label.toLowerCase()}-${uniq()}`, name: `Organisation ${label}`,
    adminEmail: `admin-${uniq()}@${label.toLowerCase()}.example`, adminPassword: 'correct horse battery staple',
  });
  const orgId = created.org.id;
  const request = { ip: '203.0.113.7', userAgent: 'vitest cross-org' };
  const admin: Principal = {
    kind: 'staff', orgId, userId: created.admin.id, email: created.admin.email, name: created.admin.name, role: 'ADMIN',
    scopes: new Set(ROLE_SCOPES.ADMIN), request,
  };
  const { principal: member } = await createStaff(orgId, 'MEMBER');
  const { principal: auditor } = await createStaff(orgId, 'AUDITOR');
  const apiKey = await issueApiKey({ orgId, name: `${label} integration`, actor: admin });
  const spareKey = await issueApiKey({ orgId, name: `${label} spare`, scopes: ['documents:read'], actor: admin });
  const keyPrincipal = await resolvePrincipal({ authorization: `Bearer ${apiKey.key}` }, request);

  const title = `Dossier ${marker}`;
  const doc = await createDocument(member, fileFrom(tinyPdf(`${marker} v1`), 'dossier.pdf', 'application/pdf'), { title, tlp: 'AMBER' }, 1e7);
  const v2 = await addVersion(member, doc.id, fileFrom(tinyPdf(`${marker} v2`), 'dossier-v2.pdf', 'application/pdf'), { tlp: 'GREEN' }, 1e7);
  const t1 = await createTerms(member, { title: `Terms ${marker}`, body: `You agree (${marker}).` });
  const t2 = await reviseTerms(member, t1.termsId, { title: `Terms ${marker}`, body: `You agree again (${marker}).` });
  const share = await createShare(member, { documentIds: [doc.id], allowDownload: true, watermark: false, recipients: [`counsel@${label.toLowerCase()}.example`], message: `For ${marker}` });
  const termsShare = await createShare(member, { documentIds: [doc.id], termsVersionId: t2.id });

  // One guest through the portal API (bearer token), one through the browser (cookie).
  const token = await apiToken(share.token);
  const claims = decodeJwt(token) as { sub: string; sid: string };
  const opened = await browserOpen(share.token, {});
  if (!opened.cookie) throw new Error(`${label}: the browser session did not open (${opened.location})`);
  return {
    label, marker, org: { id: orgId, slug: created.org.slug }, admin, adminUserId: created.admin.id, member, auditor,
    apiKey: { id: apiKey.id, key: apiKey.key }, keyPrincipal, spareKey: { id: spareKey.id, key: spareKey.key },
    doc: { id: doc.id, title, versionIds: [doc.versionId, v2.versionId] },
    terms: { id: t1.termsId, versionIds: [t1.id, t2.id] },
    share: { id: share.share.id, token: share.token }, termsShare: { id: termsShare.share.id, token: termsShare.token },
    guest: { token, sessionId: claims.sid, guestId: claims.sub, cookie: opened.cookie },
  };
}

/** What org A may never change in org B. Access counters move with B's own guests, so they are left out. */
async function stateOf(w: World) {
  const [doc, share, termsShare, termsVersions, spareKey, org, keys, sessions] = await Promise.all([
    prisma().document.findUnique({ where: { id: w.doc.id }, select: { title: true, updatedAt: true, versions: { select: { id: true, sha256: true }, orderBy: { number: 'asc' } } } }),
    prisma().share.findUnique({ where: { id: w.share.id }, include: { recipients: { select: { email: true } }, documents: { select: { documentId: true } } } }),
    prisma().share.findUnique({ where: { id: w.termsShare.id }, select: { termsVersionId: true, state: true, expiresAt: true } }),
    prisma().termsVersion.findMany({ where: { termsId: w.terms.id }, select: { id: true, body: true }, orderBy: { version: 'asc' } }),
    prisma().apiKey.findUnique({ where: { id: w.spareKey.id }, select: { revokedAt: true, scopes: true } }),
    prisma().organization.findUnique({ where: { id: w.org.id } }),
    prisma().signingKey.findMany({ where: { orgId: w.org.id }, select: { kid: true, rotatedAt: true, retireAt: true }, orderBy: { kid: 'asc' } }),
    prisma().guestSession.findMany({ where: { shareId: w.share.id }, select: { id: true, revokedAt: true }, orderBy: { id: 'asc' } }),
  ]);
  const s = share!;
  return {
    doc, termsShare, termsVersions, spareKey, org, keys, sessions,
    share: {
      state: s.state, revokedAt: s.revokedAt, expiresAt: s.expiresAt, passwordHash: s.passwordHash, termsVersionId: s.termsVersionId,
      message: s.message, allowDownload: s.allowDownload, watermark: s.watermark, revocationEpoch: s.revocationEpoch,
      passwordEpoch: s.passwordEpoch, recipients: s.recipients, documents: s.documents,
    },
  };
}

async function expectNotFound(p: Promise<unknown>, what: string) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e, `${what}: expected not_found, got a result`).not.toBeNull();
  expect(e, what).toBeInstanceOf(AppError);
  expect((e as AppError).code, `${what}: ${(e as Error).message}`).toBe('not_found');
  expect((e as AppError).status).toBe(404);
  return e as AppError;
}

// Staff console session cookie (next-auth JWT naming the user; the server looks the user up on every request).
// A live server-side session, as a sign-in opens one (the cookie alone is not enough any more).
const consoleCookie = async (userId: string) => {
  const user = await prisma().staffUser.findUniqueOrThrow({ where: { id: userId }, select: { id: true, orgId: true } });
  return (await consoleSession(user)).cookie;
};

interface GqlResult { status: number; text: string; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }
type StaffAuth = { key: string } | { cookie: string };

async function gql(auth: StaffAuth, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', [CLIENT_IP_HEADER]: '198.51.100.40', 'user-agent': 'vitest cross-org' };
  if ('key' in auth) headers.authorization = `Bearer ${auth.key}`;
  // A cookie-authenticated mutation must come from the console's own origin.
  else { headers.cookie = auth.cookie; headers.origin = 'http://liaison.test'; }
  const res = await handleGraphql(new Request(`${BASE}/api/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) }));
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

let A: World;
let B: World;
let bBefore: Awaited<ReturnType<typeof stateOf>>;
let bAuditSeqBefore: number;
let auths: Array<[string, StaffAuth]>;

beforeAll(async () => {
  A = await buildOrganization('A');
  B = await buildOrganization('B');
  auths = [['api key', { key: A.apiKey.key }], ['console session', { cookie: await consoleCookie(A.adminUserId) }]];
  bBefore = await stateOf(B);
  bAuditSeqBefore = (await prisma().auditEvent.aggregate({ where: { orgId: B.org.id }, _max: { seq: true } }))._max.seq!;
});

describe('the two organisations', () => {
  it('each got their own admin, staff, keys, documents, terms, shares, guest sessions and audit chain', async () => {
    for (const w of [A, B]) {
      expect(await prisma().staffUser.count({ where: { orgId: w.org.id } })).toBe(3);
      expect(await prisma().apiKey.count({ where: { orgId: w.org.id } })).toBe(2);
      expect(await prisma().documentVersion.count({ where: { documentId: w.doc.id } })).toBe(2);
      expect(await prisma().termsVersion.count({ where: { termsId: w.terms.id } })).toBe(2);
      expect(await prisma().guestSession.count({ where: { shareId: w.share.id, revokedAt: null } })).toBe(2);
      const types = (await prisma().auditEvent.findMany({ where: { orgId: w.org.id }, select: { type: true } })).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['org.create', 'staff.create', 'apikey.create', 'document.upload', 'document.version', 'terms.create', 'terms.revise', 'share.create', 'guest.session']));
      expect(await verifyAuditChain(w.org.id)).toMatchObject({ ok: true });
      // Each signs its guests' tokens with its own key.
      expect(decodeJwt(w.guest.token).aud).toBe(`share:${w.share.id}`);
    }
    expect((await currentSigningKey(A.org.id)).kid).not.toBe((await currentSigningKey(B.org.id)).kid);
  });
});

describe("org A's staff, through the domain functions", () => {
  const actors = (): Array<[string, Principal]> => [['admin session', A.admin], ['member session', A.member], ['api key', A.keyPrincipal]];
  const adminActors = (): Array<[string, Principal]> => [['admin session', A.admin], ['api key', A.keyPrincipal]];

  it('documents and versions: get, download, new version, delete', async () => {
    for (const [who, p] of [...actors(), ['auditor session', A.auditor] as [string, Principal]]) {
      const e = await expectNotFound(getDocument(p, B.doc.id), `${who} getDocument`);
      expect(e.message).not.toContain(B.marker);
      await expectNotFound(openDocumentContent(p, B.doc.id), `${who} download`);
      await expectNotFound(openDocumentContent(p, B.doc.id, B.doc.versionIds[0]), `${who} download B's version of B's document`);
      // A version id of B on a document of A.
      await expectNotFound(openDocumentContent(p, A.doc.id, B.doc.versionIds[1]), `${who} download B's version through A's document`);
    }
    for (const [who, p] of actors()) {
      await expectNotFound(addVersion(p, B.doc.id, fileFrom(tinyPdf('overwrite'), 'x.pdf', 'application/pdf'), { tlp: 'CLEAR' }, 1e7), `${who} addVersion`);
      await expectNotFound(deleteDocument(p, B.doc.id), `${who} deleteDocument`);
    }
  });

  it('documents: lists and their filters show only A', async () => {
    for (const [who, p] of actors()) {
      const all = await listDocuments(p, { take: 100 });
      expect(all.items.map((d) => d.id), who).toEqual([A.doc.id]);
      expect((await listDocuments(p, { q: B.marker })).items, who).toEqual([]);
      expect((await listDocuments(p, { q: 'dossier' })).items.map((d) => d.id), who).toEqual([A.doc.id]);
      expect((await listDocuments(p, { tlp: 'GREEN' })).items.map((d) => d.id), who).toEqual([A.doc.id]);
      // A cursor naming B's document is no position in A's list: refused exactly like an unknown one.
      const foreign = await listDocuments(p, { cursor: B.doc.id }).catch((e: AppError) => e);
      const unknown = await listDocuments(p, { cursor: 'c0000000000000000000unknown' }).catch((e: AppError) => e);
      expect(foreign, who).toMatchObject({ code: 'validation_failed' });
      expect((foreign as AppError).message).toBe((unknown as AppError).message);
      expect((await getDocument(p, A.doc.id)).versions.map((v) => v.id).sort(), who).toEqual([...A.doc.versionIds].sort());
    }
    // The dashboard counts A's rows only: one document, two versions, two active shares.
    expect(await dashboardStats(A.admin)).toMatchObject({ documents: 1, versions: 2, activeShares: 2 });
    expect((await shareCounts(A.admin)).active).toBe(2);
  });

  it('shares: get, relations, update, extend, revoke, list filtered by document', async () => {
    const later = new Date(Date.now() + 30 * 86400_000);
    for (const [who, p] of actors()) {
      for (const id of [B.share.id, B.termsShare.id]) {
        const e = await expectNotFound(getShare(p, id), `${who} getShare`);
        expect(e.message).not.toContain(B.marker);
        await expectNotFound(shareRelations(p, id), `${who} shareRelations`);
        await expectNotFound(updateShare(p, id, { allowDownload: false, message: 'changed by A', password: 'a new password' }), `${who} updateShare`);
        await expectNotFound(updateShare(p, id, { expiresAt: later }), `${who} extend`);
        await expectNotFound(revokeShare(p, id, 'revoked by A'), `${who} revokeShare`);
      }
      await expectNotFound(listShares(p, { documentId: B.doc.id }), `${who} listShares by B's document`);
      expect((await listShares(p, {})).nodes.map((s) => s.id).sort(), who).toEqual([A.share.id, A.termsShare.id].sort());
      expect((await listShares(p, { q: B.marker })).nodes, who).toEqual([]);
      // Before the fix, Prisma's cursor positioned on B's share and paged through A's older shares.
      const foreign = await listShares(p, { after: B.share.id }).catch((e: AppError) => e);
      expect(foreign, who).toMatchObject({ code: 'validation_failed' });
      expect((foreign as AppError).message).toBe(((await listShares(p, { after: 'c0000000000000000000unknown' }).catch((e: AppError) => e)) as AppError).message);
      expect((await listShares(p, { documentId: A.doc.id })).nodes.map((s) => s.id).sort(), who).toEqual([A.share.id, A.termsShare.id].sort());
      // B's document cannot go into a share of A, alone or beside A's own.
      await expectNotFound(createShare(p, { documentIds: [B.doc.id] }), `${who} createShare with B's document`);
      await expectNotFound(createShare(p, { documentIds: [A.doc.id, B.doc.id] }), `${who} createShare with A's and B's documents`);
    }
  });

  it("terms: list, revise, counts, and use in a share", async () => {
    for (const [who, p] of actors()) {
      const terms = await listTerms(p);
      expect(terms.map((t) => t.id), who).toEqual([A.terms.id]);
      expect(JSON.stringify(terms)).not.toContain(B.marker);
      await expectNotFound(reviseTerms(p, B.terms.id, { title: 'Hijacked', body: 'by A' }), `${who} reviseTerms`);
      for (const versionId of B.terms.versionIds) {
        await expectNotFound(termsVersionCounts(p, versionId), `${who} termsVersionCounts`);
        await expectNotFound(createShare(p, { documentIds: [A.doc.id], termsVersionId: versionId }), `${who} createShare with B's terms`);
        await expectNotFound(updateShare(p, A.share.id, { termsVersionId: versionId }), `${who} updateShare to B's terms`);
      }
    }
    expect((await getShare(A.admin, A.share.id)).termsVersionId).toBeNull();
  });

  it('audit: lists by B\'s share or document are empty; verification covers A\'s chain only', async () => {
    for (const [who, p] of [['admin session', A.admin], ['auditor session', A.auditor], ['member session', A.member], ['api key', A.keyPrincipal]] as Array<[string, Principal]>) {
      // The member has no audit:read: a share's access log is all it may read, and B's is not one of A's.
      for (const q of [{ shareId: B.share.id }, { shareId: B.termsShare.id }, ...(who.startsWith('member') ? [] : [{ documentId: B.doc.id }])]) {
        const page = await listAuditEvents(p, q);
        expect(page.nodes, `${who} ${JSON.stringify(q)}`).toEqual([]);
        expect(await page.totalCount()).toBe(0);
      }
    }
    const all = await listAuditEvents(A.auditor, { first: 200 });
    expect(all.nodes.length).toBeGreaterThan(0);
    expect(all.nodes.every((e) => e.orgId === A.org.id)).toBe(true);
    expect(JSON.stringify(all.nodes)).not.toContain(B.marker);
    const verified = await verifyOwnAuditChain(A.auditor);
    expect(verified).toEqual({ ok: true, count: await prisma().auditEvent.count({ where: { orgId: A.org.id } }) });
    expect(await auditEventTypes(A.auditor)).not.toContain('guest.download');
  });

  it('API keys: list and revoke', async () => {
    for (const [who, p] of adminActors()) {
      expect((await listApiKeys(p)).map((k) => k.id).sort(), who).toEqual([A.apiKey.id, A.spareKey.id].sort());
      await expectNotFound(revokeApiKey(p, B.spareKey.id), `${who} revokeApiKey`);
      await expectNotFound(revokeApiKey(p, B.apiKey.id), `${who} revokeApiKey`);
      await expectNotFound(getApiKey(p, B.spareKey.id), `${who} getApiKey`);
    }
    expect((await verifyApiKey(B.spareKey.key)).revokedAt).toBeNull();
  });

  it("share policy and signing keys change A's organisation only", async () => {
    await updateSharePolicy(A.admin, { defaultShareDays: 3, maxShareDays: 7 });
    expect(await currentOrganization(A.admin)).toMatchObject({ id: A.org.id, defaultShareDays: 3, maxShareDays: 7 });
    expect(await currentOrganization(B.admin)).toMatchObject({ id: B.org.id, defaultShareDays: 14, maxShareDays: 90 });
    // B may still share for 60 days, A may not.
    const sixty = new Date(Date.now() + 60 * 86400_000);
    await expect(createShare(A.member, { documentIds: [A.doc.id], expiresAt: sixty })).rejects.toMatchObject({ code: 'validation_failed' });
    const bShare = await createShare(B.member, { documentIds: [B.doc.id], expiresAt: sixty });
    await revokeShare(B.member, bShare.share.id);
    await updateSharePolicy(A.keyPrincipal, { defaultShareDays: 14, maxShareDays: 90 });

    const bKey = await currentSigningKey(B.org.id);
    const rotated = await rotateSigningKeyAsAdmin(A.admin);
    expect(rotated.orgId).toBe(A.org.id);
    expect((await currentSigningKey(B.org.id)).kid).toBe(bKey.kid);
    const listed = (await listSigningKeys(A.keyPrincipal)).map((k) => k.kid);
    expect(listed).toContain(rotated.kid);
    expect(listed).not.toContain(bKey.kid);
    // B's guests keep working across A's rotation.
    expect((await apiContent(B.guest.token, B.doc.id)).status).toBe(200);
  });
});

describe("org A's staff, through GraphQL", () => {
  const expectGqlNotFound = (r: GqlResult, what: string) => {
    expect(r.status, `${what}: ${r.text}`).toBe(200);
    expect(r.body.errors?.[0]?.extensions?.code, `${what}: ${r.text}`).toBe('not_found');
    expect(r.text, what).not.toContain(B.marker);
  };

  it('every object of B is not_found, for the API key and for the console session', async () => {
    const later = new Date(Date.now() + 20 * 86400_000).toISOString();
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      ['document', 'query($id: ID!) { document(id: $id) { id title versions { id sha256 } } }', { id: B.doc.id }],
      ['deleteDocument', 'mutation($id: ID!) { deleteDocument(id: $id) }', { id: B.doc.id }],
      ['share', 'query($id: ID!) { share(id: $id) { id recipients message documents { id title } } }', { id: B.share.id }],
      ['updateShare', 'mutation($id: ID!) { updateShare(id: $id, input: { allowDownload: false, message: "changed by A" }) { id } }', { id: B.share.id }],
      ['extend', 'mutation($id: ID!, $at: DateTime!) { updateShare(id: $id, input: { expiresAt: $at }) { id expiresAt } }', { id: B.share.id, at: later }],
      ['revokeShare', 'mutation($id: ID!) { revokeShare(id: $id, reason: "A was here") { id status } }', { id: B.termsShare.id }],
      ['shares by document', 'query($id: ID!) { shares(documentId: $id) { nodes { id } } }', { id: B.doc.id }],
      ['createShare with B document', 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id url } } }', { in: { documentIds: [B.doc.id] } }],
      ['createShare with B terms', 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id url } } }', { in: { documentIds: [A.doc.id], termsVersionId: B.terms.versionIds[1] } }],
      ['updateShare to B terms', 'mutation($id: ID!, $t: ID!) { updateShare(id: $id, input: { termsVersionId: $t }) { id } }', { id: A.share.id, t: B.terms.versionIds[0] }],
      ['reviseTerms', 'mutation($id: ID!) { reviseTerms(termsId: $id, title: "Hijacked", body: "by A") { id } }', { id: B.terms.id }],
      ['revokeApiKey', 'mutation($id: ID!) { revokeApiKey(id: $id) { id active } }', { id: B.spareKey.id }],
    ];
    for (const [who, auth] of auths) {
      for (const [what, query, variables] of attempts) expectGqlNotFound(await gql(auth, query, variables), `${who} ${what}`);
    }
  });

  it('lists, cursors and counts show A only', async () => {
    const query = `query($q: String, $bShare: ID, $bDoc: ID) {
      me { org { id slug } }
      documents(first: 100) { nodes { id title versions { id } } }
      found: documents(q: $q) { nodes { id } }
      shares(first: 100) { nodes { id } }
      terms { id versions { id } }
      apiKeys { id }
      signingKeys { kid }
      byShare: auditEvents(shareId: $bShare) { nodes { id } totalCount }
      byDocument: auditEvents(documentId: $bDoc) { nodes { id } totalCount }
      auditVerify { ok count }
    }`;
    const bKids = (await prisma().signingKey.findMany({ where: { orgId: B.org.id }, select: { kid: true } })).map((k) => k.kid);
    for (const [who, auth] of auths) {
      const r = await gql(auth, query, {
        q: B.marker, bShare: B.share.id, bDoc: B.doc.id,
      });
      expect(r.body.errors, `${who}: ${r.text}`).toBeUndefined();
      const d = r.body.data;
      expect(d.me.org, who).toEqual({ id: A.org.id, slug: A.org.slug });
      expect(d.documents.nodes.map((n: { id: string }) => n.id), who).toEqual([A.doc.id]);
      expect(d.documents.nodes[0].versions.map((v: { id: string }) => v.id).sort()).toEqual([...A.doc.versionIds].sort());
      expect(d.found.nodes, who).toEqual([]);
      expect(d.shares.nodes.map((n: { id: string }) => n.id).sort(), who).toEqual([A.share.id, A.termsShare.id].sort());
      expect(d.terms.map((t: { id: string }) => t.id), who).toEqual([A.terms.id]);
      expect(d.apiKeys.map((k: { id: string }) => k.id).sort(), who).toEqual([A.apiKey.id, A.spareKey.id].sort());
      for (const kid of bKids) expect(d.signingKeys.map((k: { kid: string }) => k.kid), who).not.toContain(kid);
      expect(d.byShare, who).toEqual({ nodes: [], totalCount: 0 });
      expect(d.byDocument, who).toEqual({ nodes: [], totalCount: 0 });
      expect(d.auditVerify, who).toEqual({ ok: true, count: await prisma().auditEvent.count({ where: { orgId: A.org.id } }) });
      expect(r.text, who).not.toContain(B.marker);
      expect(r.text, who).not.toContain(B.doc.versionIds[0]);
      // Cursors naming B's rows are refused like unknown ones, never used as a position in A's lists.
      for (const [field, kind, id] of [['documents', 'document', B.doc.id], ['shares', 'share', B.share.id]] as const) {
        const paged = await gql(auth, `query($after: String) { ${field}(after: $after) { nodes { id } } }`, { after: encodeIdCursor(kind, id) });
        expect(paged.body.errors?.[0]?.extensions?.code, `${who} ${field}: ${paged.text}`).toBe('validation_failed');
        expect(paged.body.data?.[field] ?? null).toBeNull();
      }
    }
  });
});

describe("org A's staff, through the HTTP routes", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    // The same front door as server.ts for uploads.
    server = http.createServer((req, res) => {
      req.headers[CLIENT_IP_HEADER] = clientIp(req);
      if (handleUpload(req, res)) return;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const headersFor = (auth: StaffAuth): Record<string, string> =>
    'key' in auth ? { authorization: `Bearer ${auth.key}` } : { cookie: auth.cookie };

  const download = (auth: StaffAuth, docId: string, version?: string) =>
    staffContentRoute(
      new Request(`${BASE}/api/v1/documents/${docId}/content${version ? `?version=${version}` : ''}`, { headers: { ...headersFor(auth), [CLIENT_IP_HEADER]: '198.51.100.41' } }),
      { params: Promise.resolve({ id: docId }) });

  function uploadVersion(auth: StaffAuth, docId: string, body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
    const boundary = `----cross${uniq()}`;
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="tlp"\r\n\r\nCLEAR\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="new.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), body,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const headers: Record<string, string | number> = { ...headersFor(auth), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': multipart.length };
    if ('cookie' in auth) headers.origin = `http://127.0.0.1:${port}`;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: `/api/v1/documents/${docId}/versions`, method: 'POST', headers, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(parts).toString() || '{}') }));
      });
      req.on('error', reject);
      req.end(multipart);
    });
  }

  it('downloads: B\'s document, or B\'s version through A\'s document, are 404', async () => {
    for (const [who, auth] of auths) {
      // A's own document downloads, so the refusals below are about the organisation.
      const own = await download(auth, A.doc.id);
      expect(own.status, who).toBe(200);
      expect(Buffer.from(await own.arrayBuffer()).toString('latin1')).toContain(`${A.marker} v2`);
      for (const [docId, version] of [[B.doc.id, undefined], [B.doc.id, B.doc.versionIds[0]], [A.doc.id, B.doc.versionIds[0]]] as const) {
        const res = await download(auth, docId, version);
        const text = await res.text();
        expect(res.status, `${who} ${docId} ${version}`).toBe(404);
        expect(JSON.parse(text).error).toBe('not_found');
        expect(text).not.toContain(B.marker);
      }
    }
  });

  it('a new version of B\'s document through the upload handler is 404 and stores nothing', async () => {
    for (const [who, auth] of auths) {
      const blobs = (await storedObjectNames()).length;
      const res = await uploadVersion(auth, B.doc.id, tinyPdf('A writes into B'));
      expect(res.status, `${who}: ${JSON.stringify(res.json)}`).toBe(404);
      expect(res.json.error).toBe('not_found');
      expect((await storedObjectNames()).length, who).toBe(blobs);
      expect(await prisma().documentVersion.count({ where: { documentId: B.doc.id } })).toBe(2);
    }
    // The same request on A's own document is accepted (so the 404 above is not a broken request).
    const ok = await uploadVersion({ key: A.apiKey.key }, A.doc.id, tinyPdf(`${A.marker} v3`));
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    A.doc.versionIds.push(ok.json.versionId as string);
  });
});

/** A page-image route the lead adds; found by its folder, whatever its page parameter is called. */
function pageRoute(dir: string): { file: string; param: string } | null {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return null;
  for (const entry of fs.readdirSync(abs)) {
    const m = /^\[(\w+)\]$/.exec(entry);
    if (m && fs.existsSync(path.join(abs, entry, 'route.ts'))) return { file: path.join(abs, entry, 'route.ts'), param: m[1] };
  }
  return null;
}
type RouteGet = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const LINK_PAGES = 'app/s/[token]/d/[docId]/pages';
const API_PAGES = 'app/api/portal/v1/documents/[id]/pages';
const linkPages = pageRoute(LINK_PAGES);
const apiPages = pageRoute(API_PAGES);

describe("org A's guests", () => {
  const guestHeaders = (extra: Record<string, string> = {}) => ({ [CLIENT_IP_HEADER]: '198.51.100.10', [HOST_HEADER]: 'localhost', 'user-agent': DESKTOP_UA, ...extra });

  it('GET /api/portal/v1/documents/<B doc>/content with A\'s token is 404; the list shows A\'s document only', async () => {
    expect((await apiContent(A.guest.token, A.doc.id)).status).toBe(200);
    const res = await apiContent(A.guest.token, B.doc.id);
    const text = await res.text();
    expect(res.status).toBe(404);
    expect(JSON.parse(text).error).toBe('not_found');
    expect(text).not.toContain(B.marker);
    const list = await apiList(A.guest.token);
    expect(((await list.json()) as Array<{ id: string }>).map((d) => d.id)).toEqual([A.doc.id]);
  });

  it('/s/<A link>/d/<B doc>/download with A\'s cookie is 404', async () => {
    expect((await browserFile('download', A.share.token, A.doc.id, A.guest.cookie)).status).toBe(200);
    const res = await browserFile('download', A.share.token, B.doc.id, A.guest.cookie);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(B.marker);
  });

  it.skipIf(!linkPages)(`/s/<A link>/d/<B doc>/pages/<n> is 404${linkPages ? '' : ` (skipped: ${LINK_PAGES}/[n]/route.ts does not exist yet)`}`, async () => {
    const { GET } = await import(linkPages!.file) as { GET: RouteGet };
    const get = (docId: string) => GET(
      new Request(`${BASE}/s/${A.share.token}/d/${docId}/pages/1`, { headers: guestHeaders({ cookie: `liaison_guest=${A.guest.cookie}` }) }),
      { params: Promise.resolve({ token: A.share.token, docId, [linkPages!.param]: '1' }) });
    expect((await get(A.doc.id)).status).toBe(200);
    const res = await get(B.doc.id);
    expect(res.status).toBe(404);
  });

  it.skipIf(!apiPages)(`/api/portal/v1/documents/<B doc>/pages/<n> is 404${apiPages ? '' : ` (skipped: ${API_PAGES}/[n]/route.ts does not exist yet)`}`, async () => {
    const { GET } = await import(apiPages!.file) as { GET: RouteGet };
    const get = (docId: string) => GET(
      new Request(`${BASE}/api/portal/v1/documents/${docId}/pages/1`, { headers: guestHeaders({ authorization: `Bearer ${A.guest.token}` }) }),
      { params: Promise.resolve({ id: docId, [apiPages!.param]: '1' }) });
    expect((await get(A.doc.id)).status).toBe(200);
    const res = await get(B.doc.id);
    expect(res.status).toBe(404);
    expect((await res.json() as { error: string }).error).toBe('not_found');
  });

  it("A's guest token against B's share is 401 invalid_token", async () => {
    // A's cookie on B's link.
    const onLink = await browserFile('download', B.share.token, B.doc.id, A.guest.cookie);
    expect(onLink.status).toBe(401);
    expect((await onLink.json() as { error: string }).error).toBe('invalid_token');
    // A's token with its audience rewritten to B's share: the signature no longer holds.
    const [h, p, s] = A.guest.token.split('.');
    const body = JSON.parse(Buffer.from(p, 'base64url').toString());
    const rewritten = `${h}.${Buffer.from(JSON.stringify({ ...body, aud: `share:${B.share.id}` })).toString('base64url')}.${s}`;
    const res = await apiContent(rewritten, B.doc.id);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it("a token for B's share signed with A's key is refused, though every claim names B's real session", async () => {
    const claims = { sub: B.guest.guestId, sid: B.guest.sessionId };
    const opts = { audience: `share:${B.share.id}` as const, ttlSeconds: 600 };
    // Control: the very same claims signed with B's key are accepted.
    expect((await apiContent(await signGuestToken(claims, { ...opts, orgId: B.org.id }), B.doc.id)).status).toBe(200);
    const signedByA = await signGuestToken(claims, { ...opts, orgId: A.org.id });
    const res = await apiContent(signedByA, B.doc.id);
    expect(res.status).toBe(401);
    const json = await res.json() as { error: string; error_description: string };
    expect(json.error).toBe('invalid_token');
    expect((await apiList(signedByA)).status).toBe(401);
    const onLink = await browserFile('download', B.share.token, B.doc.id, signedByA);
    expect(onLink.status).toBe(401);
  });
});

describe('afterwards', () => {
  it('B is exactly as it was, its guests still get in, and its chain holds nothing from A', async () => {
    expect(await stateOf(B)).toEqual(bBefore);
    expect((await apiContent(B.guest.token, B.doc.id)).status).toBe(200);
    expect((await browserFile('download', B.share.token, B.doc.id, B.guest.cookie)).status).toBe(200);
    expect(await verifyAuditChain(B.org.id)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(A.org.id)).toMatchObject({ ok: true });
    // Since the attacks began, B's chain only gained what B did itself: the share created and revoked
    // under B's own policy, and its own guests' downloads.
    const since = await prisma().auditEvent.findMany({ where: { orgId: B.org.id, seq: { gt: bAuditSeqBefore } }, orderBy: { seq: 'asc' } });
    const aIds = new Set([A.adminUserId, (A.member as { userId: string }).userId, (A.auditor as { userId: string }).userId, A.apiKey.id, A.guest.guestId]);
    for (const e of since) {
      expect(aIds.has(e.actorId ?? ''), `${e.type} by ${e.actor}`).toBe(false);
      expect(['share.create', 'share.revoke', 'guest.download', 'guest.view', 'guest.session']).toContain(e.type);
    }
    expect(JSON.stringify(since)).not.toContain(A.org.id);
  });
});
