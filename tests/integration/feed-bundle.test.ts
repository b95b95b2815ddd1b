import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlattenedSign, exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as evidenceRoute } from '../../app/api/v1/audit/evidence/route';
import { canonicalJson } from '../../lib/audit/canonical';
import { recordAudit } from '../../lib/audit/record';
import { prisma } from '../../lib/db/client';
import { createEvidenceBundleAs } from '../../lib/feed/bundle';
import { bundleText, verifyBundleBytes, type EvidenceBundle } from '../../lib/feed/bundle-format';
import { currentSigningKey } from '../../lib/tokens';
import { consoleSession } from '../helpers/console-session';
import { createOrg, createStaff } from '../helpers/factory';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bundle-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function liaison(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/liaison.mjs'), ...args], {
      cwd: os.tmpdir(), env: { PATH: process.env.PATH, HOME: process.env.HOME, LIAISON_LOG_LEVEL: 'warn', ...env, NODE_ENV: 'test' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('evidence bundles', () => {
  let org: { id: string; slug: string };
  let shareId: string;
  let otherShareId: string;
  let guestId: string;
  let termsVersionId: string;
  let auditor: Awaited<ReturnType<typeof createStaff>>;
  let member: Awaited<ReturnType<typeof createStaff>>;
  let admin: Awaited<ReturnType<typeof createStaff>>;

  beforeAll(async () => {
    org = await createOrg('Bundle Org');
    auditor = await createStaff(org.id, 'AUDITOR');
    member = await createStaff(org.id, 'MEMBER');
    admin = await createStaff(org.id, 'ADMIN');
    const expiresAt = new Date(Date.now() + 86_400_000);
    shareId = (await prisma().share.create({ data: { orgId: org.id, expiresAt } })).id;
    otherShareId = (await prisma().share.create({ data: { orgId: org.id, expiresAt } })).id;
    guestId = (await prisma().guest.create({ data: { orgId: org.id, kind: 'EMAIL_VERIFIED', email: 'counsel@partner.example' } })).id;
    const terms = await prisma().terms.create({ data: { orgId: org.id, title: 'NDA', versions: { create: { version: 1, title: 'NDA v1', body: 'You will not disclose — anything. «Ünïcode» 𝄞\nSecond line.' } } }, include: { versions: true } });
    termsVersionId = terms.versions[0].id;
    await prisma().termsAcceptance.create({ data: { termsVersionId, guestId, shareId, ip: '198.51.100.9', userAgent: 'Firefox' } });
    const guestActor = { type: 'guest' as const, id: guestId, label: 'counsel@partner.example' };
    for (let i = 0; i < 12; i++) {
      await recordAudit({ orgId: org.id, type: i % 2 ? 'guest.view' : 'guest.download', shareId, actor: guestActor, request: { ip: '198.51.100.9', userAgent: 'Firefox' }, details: { page: i } });
      await recordAudit({ orgId: org.id, type: 'guest.view', shareId: otherShareId, actor: { type: 'guest', id: 'cmothergueststranger0001', label: 'someone else' }, details: { page: i } });
    }
    await recordAudit({ orgId: org.id, type: 'guest.disable', actor: { type: 'staff', id: admin.user.id, label: admin.user.email }, details: { guestId, email: 'counsel@partner.example' } });
    await recordAudit({ orgId: org.id, type: 'share.revoke', shareId, actor: { type: 'staff', id: admin.user.id, label: admin.user.email } });
  });

  it('holds every event about the share, the accepted terms text, and verifies offline', async () => {
    const made = await createEvidenceBundleAs(auditor.principal, { kind: 'share', id: shareId });
    const r = await verifyBundleBytes(bytes(made.text));
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    const b = r.bundle;
    expect(b.subject).toEqual({ kind: 'share', id: shareId });
    expect(b.organisation).toMatchObject({ id: org.id, slug: org.slug });
    // 12 guest events, the revocation, and the bundle's own creation record; none of the other share's.
    expect(b.events.length).toBe(14);
    expect(b.events.every((e) => e.shareId === shareId)).toBe(true);
    expect(b.events.at(-1)).toMatchObject({ type: 'audit.evidence_bundle', actorType: 'staff', actorId: auditor.user.id });
    expect(b.chainHead.seq).toBeGreaterThanOrEqual(b.events.at(-1)!.seq);
    expect(b.terms).toHaveLength(1);
    expect(b.terms[0].body).toContain('«Ünïcode» 𝄞');
    expect(b.acceptances).toMatchObject([{ guestId, termsVersionId, shareId }]);
    const key = await currentSigningKey(org.id);
    expect(b.key.thumbprint).toBe(key.kid);
    expect(b.key.jwk).not.toHaveProperty('d');
    expect(await verifyBundleBytes(bytes(made.text), { expectThumbprint: key.kid })).toMatchObject({ ok: true });
  });

  it('fails on any changed byte (every offset, several bit flips)', async () => {
    const made = await createEvidenceBundleAs(admin.principal, { kind: 'share', id: shareId });
    const original = bytes(made.text);
    expect(original.length).toBeGreaterThan(3000);
    const masks = [0x01, 0x20, 0x80];
    let checked = 0;
    for (let off = 0; off < original.length; off += 3) {
      const copy = Buffer.from(original);
      copy[off] ^= masks[off % masks.length];
      const r = await verifyBundleBytes(copy);
      expect(r.ok, `offset ${off} (${JSON.stringify(String.fromCharCode(original[off]))})`).toBe(false);
      checked++;
    }
    // The last bytes: the signature's final base64url character (its unused bits) and the newline.
    for (const off of [original.length - 1, original.length - 2, original.length - 3, original.length - 4]) {
      for (let m = 1; m < 256; m <<= 1) {
        const copy = Buffer.from(original);
        copy[off] ^= m;
        expect((await verifyBundleBytes(copy)).ok, `offset ${off} mask ${m}`).toBe(false);
      }
    }
    // Truncated, extended, or with whitespace added.
    expect((await verifyBundleBytes(original.subarray(0, original.length - 1))).ok).toBe(false);
    expect((await verifyBundleBytes(Buffer.concat([original, bytes('\n')]))).ok).toBe(false);
    expect((await verifyBundleBytes(bytes(made.text.replace('{"bundle"', '{ "bundle"')))).ok).toBe(false);
    expect(checked).toBeGreaterThan(1000);
  });

  it('names what is wrong: a signature from another key, a forged event re-signed, an unexpected key', async () => {
    const made = await createEvidenceBundleAs(auditor.principal, { kind: 'share', id: shareId });
    const doc = JSON.parse(made.text) as EvidenceBundle;
    // An attacker changes an event and re-signs with a key of their own, carried in the bundle.
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n!, e: jwk.e! }, 'sha256');
    const forged = structuredClone(doc);
    forged.bundle.events[0].ip = '203.0.113.250';
    forged.bundle.key = { jwk: { kty: 'RSA', n: jwk.n!, e: jwk.e!, kid, alg: 'RS256', use: 'sig' }, thumbprint: kid };
    const jws = await new FlattenedSign(bytes(canonicalJson(forged.bundle))).setProtectedHeader({ alg: 'RS256', kid, typ: 'liaison-evidence+jws' }).sign(privateKey);
    forged.signature = { protected: jws.protected!, signature: jws.signature };
    const r = await verifyBundleBytes(bytes(bundleText(forged)));
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.reason).toMatch(/content does not match its hash/);
    // Re-signed without changing events: signature holds, but it is not the organisation's key.
    const resigned = structuredClone(forged);
    resigned.bundle.events[0].ip = doc.bundle.events[0].ip;
    const jws2 = await new FlattenedSign(bytes(canonicalJson(resigned.bundle))).setProtectedHeader({ alg: 'RS256', kid, typ: 'liaison-evidence+jws' }).sign(privateKey);
    resigned.signature = { protected: jws2.protected!, signature: jws2.signature };
    expect(await verifyBundleBytes(bytes(bundleText(resigned)))).toMatchObject({ ok: true });
    const want = (await currentSigningKey(org.id)).kid;
    const r2 = await verifyBundleBytes(bytes(bundleText(resigned)), { expectThumbprint: want });
    expect(!r2.ok && r2.reason).toMatch(/not the expected/);
    // The organisation's key over a body with one event dropped from the middle: the signature fails.
    const dropped = structuredClone(doc);
    dropped.bundle.events.splice(3, 1);
    const r3 = await verifyBundleBytes(bytes(bundleText(dropped)));
    expect(!r3.ok && r3.reason).toMatch(/signature does not match/);
  });

  it('a guest bundle holds what the guest did and what was done to them', async () => {
    const made = await createEvidenceBundleAs(auditor.principal, { kind: 'guest', id: guestId });
    const r = await verifyBundleBytes(bytes(made.text));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.bundle.events.filter((e) => e.actorId === guestId)).toHaveLength(12);
    expect(r.bundle.events.map((e) => e.type)).toEqual(expect.arrayContaining(['guest.disable', 'audit.evidence_bundle']));
    expect(r.bundle.events.some((e) => e.shareId === otherShareId)).toBe(false);
    expect(r.bundle.acceptances).toHaveLength(1);
  });

  it('is for admins and auditors of the subject\'s organisation only; refusals audited', async () => {
    await expect(createEvidenceBundleAs(member.principal, { kind: 'share', id: shareId })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'audit.evidence_bundle', actorId: member.user.id, outcome: 'denied', reason: 'forbidden' } })).toBe(1);
    const stranger = await createOrg('Stranger Org');
    const strangerAdmin = await createStaff(stranger.id, 'ADMIN');
    await expect(createEvidenceBundleAs(strangerAdmin.principal, { kind: 'share', id: shareId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(createEvidenceBundleAs(strangerAdmin.principal, { kind: 'guest', id: guestId })).rejects.toMatchObject({ code: 'not_found' });
    const refusals = await prisma().auditEvent.findMany({ where: { orgId: stranger.id, type: 'audit.evidence_bundle', outcome: 'denied' } });
    expect(refusals).toHaveLength(2);
    // Nothing about the refused attempts landed in the share's organisation.
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'audit.evidence_bundle', actorId: strangerAdmin.user.id } })).toBe(0);
  });

  it('downloads from the console route with the same function; malformed ids are 404', async () => {
    const cookie = (await consoleSession(auditor.user)).cookie;
    const call = (q: string, c = cookie) => evidenceRoute(new Request(`http://liaison.test/api/v1/audit/evidence${q}`, { headers: { cookie: c, 'x-liaison-client-ip': '198.51.100.45' } }), { params: Promise.resolve({}) });
    const res = await call(`?share=${shareId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`evidence-share-${shareId}.json`);
    expect((await verifyBundleBytes(Buffer.from(await res.arrayBuffer()))).ok).toBe(true);
    expect((await call('?share=..%2Fetc')).status).toBe(404);
    expect((await call('')).status).toBe(400);
    const memberCookie = (await consoleSession(member.user)).cookie;
    expect((await call(`?guest=${guestId}`, memberCookie)).status).toBe(403);
  });

  it('CLI: audit export writes a bundle; verify-bundle says ok offline, and exits 1 with the reason when tampered', async () => {
    const out = path.join(tmp, 'share.json');
    const dbEnv = { DATABASE_URL: inject('databaseUrl'), LIAISON_MASTER_KEY: process.env.LIAISON_MASTER_KEY!, LIAISON_DATA_DIR: tmp };
    const exp = await liaison(['audit', 'export', '--share', shareId, '--out', out], dbEnv);
    expect(exp.stderr).toBe('');
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/^wrote .*share\.json: \d+ events, sha256 [0-9a-f]{64}\n$/);
    // No database at all for verification.
    const offline = { LIAISON_DATA_DIR: path.join(tmp, 'nothing-here') };
    const ok = await liaison(['audit', 'verify-bundle', out], offline);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('ok\n');
    const text = fs.readFileSync(out, 'utf8');
    const bad = path.join(tmp, 'tampered.json');
    fs.writeFileSync(bad, text.replace('"page":3', '"page":4'));
    const r = await liaison(['audit', 'verify-bundle', bad], offline);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bundle does not verify: the signature does not match the bundle/);
    const guestOut = path.join(tmp, 'guest.json');
    expect((await liaison(['audit', 'export', '--guest', guestId, '--out', guestOut], dbEnv)).code).toBe(0);
    expect((await liaison(['audit', 'verify-bundle', guestOut], offline)).stdout).toBe('ok\n');
    const usage = await liaison(['audit', 'export', '--share', shareId], offline);
    expect(usage.code).toBe(2);
  });
});
