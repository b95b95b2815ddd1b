import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { addVersion, createDocument, deleteDocument, getDocument, listDocuments, openDocumentContent } from '../../lib/documents/service';
import { verifyAuditChain } from '../../lib/audit/verify';
import { apiKeyPrincipal, createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { storedBlob, storedObjectNames } from '../helpers/blobs';
import { blobExists } from '../../lib/storage/blob-store';
import { blobStore } from '../../lib/storage/store';

const MAX = 10 * 1024 * 1024;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const blobFile = (key: string) => path.join(config().dataDir, 'blobs', key.slice(0, 2), key);

/** Every file under the blob directory (finished blobs and .part leftovers). */
function blobFiles(): string[] {
  const root = path.join(config().dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

async function expectAppError(p: Promise<unknown>, code: string, status?: number) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  if (status) expect((e as AppError).status).toBe(status);
}

describe('documents service', () => {
  it('creates a document from a stream, stores it encrypted, and reads it back byte-identical', async () => {
    const org = await createOrg();
    const { principal, user } = await createStaff(org.id, 'MEMBER');
    const pdf = tinyPdf('Top secret plaintext marker 4711');
    const r = await createDocument(principal, fileFrom(pdf, 'briefing.pdf', 'application/octet-stream'), { title: 'Briefing', tlp: 'red' }, MAX);
    expect(r.sha256).toBe(sha(pdf));

    const v = await prisma().documentVersion.findUniqueOrThrow({ where: { id: r.versionId } });
    expect(v).toMatchObject({ documentId: r.id, number: 1, sha256: sha(pdf), size: BigInt(pdf.length), mediaType: 'application/pdf', fileName: 'briefing.pdf', tlp: 'RED', createdById: user.id });
    expect(v.blobKey).toMatch(/^[a-f0-9]{32}$/);

    // At rest: encrypted, the key wrapped, nothing of the plaintext visible.
    const onDisk = (await storedBlob(v.blobKey))!;
    expect(onDisk.subarray(0, 4).toString()).toBe('LSN1');
    expect(onDisk.includes(Buffer.from('Top secret plaintext marker'))).toBe(false);
    expect(onDisk.includes(Buffer.from('%PDF-'))).toBe(false);
    expect(Buffer.from(v.wrappedKey)).toHaveLength(12 + 16 + 32);
    if (blobStore().kind === 'filesystem') expect(fs.statSync(blobFile(v.blobKey)).mode & 0o077).toBe(0);

    const content = await openDocumentContent(principal, r.id);
    expect(content).toMatchObject({ fileName: 'briefing.pdf', mediaType: 'application/pdf', size: pdf.length, sha256: sha(pdf) });
    const back = await buffer(content.stream);
    expect(back.equals(pdf)).toBe(true);
  });

  it('streams a multi-chunk file through and back', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    const data = crypto.randomBytes(300 * 1024 + 17);
    const pieces = function* () { for (let i = 0; i < data.length; i += 10_000) yield data.subarray(i, i + 10_000); };
    const r = await createDocument(principal, { stream: Readable.from(pieces()), fileName: 'dump.bin', mediaType: 'application/x-foo' }, {}, MAX);
    expect(r.sha256).toBe(sha(data));
    const doc = await getDocument(principal, r.id);
    expect(doc.title).toBe('dump.bin'); // title defaults to the file name
    expect(doc.versions[0]).toMatchObject({ mediaType: 'application/x-foo', tlp: 'AMBER', size: BigInt(data.length) });
    expect((await buffer((await openDocumentContent(principal, r.id)).stream)).equals(data)).toBe(true);
  });

  it('adds versions, serves the latest by default and any version by id', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    const r1 = await createDocument(principal, fileFrom('version one', 'notes.txt', 'text/plain'), { title: 'Notes', tlp: 'GREEN' }, MAX);
    const r2 = await addVersion(principal, r1.id, fileFrom('version two!', '../../notes-v2.txt', 'text/plain'), { tlp: 'AMBER_STRICT' }, MAX);
    expect(r2.id).toBe(r1.id);
    expect(r2.versionId).not.toBe(r1.versionId);
    const doc = await getDocument(principal, r1.id);
    expect(doc.title).toBe('Notes');
    expect(doc.versions.map((v) => [v.number, v.fileName, v.tlp])).toEqual([[2, 'notes-v2.txt', 'AMBER_STRICT'], [1, 'notes.txt', 'GREEN']]);
    expect(await text((await openDocumentContent(principal, r1.id)).stream)).toBe('version two!');
    expect(await text((await openDocumentContent(principal, r1.id, r1.versionId)).stream)).toBe('version one');
    await expectAppError(openDocumentContent(principal, r1.id, 'no-such-version'), 'not_found', 404);
  });

  it('lists with search, TLP filter and cursor pagination, newest first', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await createDocument(principal, fileFrom(`doc ${i}`, i === 3 ? 'Zebra-Inventory.csv' : `file-${i}.txt`, 'text/plain'),
        { title: i % 2 ? `Alpha report ${i}` : `Bravo memo ${i}`, tlp: i === 4 ? 'RED' : 'GREEN' }, MAX);
      ids.push(r.id);
    }
    const all = await listDocuments(principal, {});
    expect(all.items.map((d) => d.id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();
    expect(all.items[0]).toMatchObject({ versionCount: 1, shareCount: 0, latest: { number: 1, tlp: 'RED' } });

    expect((await listDocuments(principal, { q: 'alpha' })).items.map((d) => d.title).sort()).toEqual(['Alpha report 1', 'Alpha report 3']);
    expect((await listDocuments(principal, { q: 'ZEBRA' })).items.map((d) => d.id)).toEqual([ids[3]]); // file name, any case
    expect((await listDocuments(principal, { q: 'nothing like this' })).items).toEqual([]);
    expect((await listDocuments(principal, { tlp: 'RED' })).items.map((d) => d.id)).toEqual([ids[4]]);
    expect((await listDocuments(principal, { q: 'bravo', tlp: 'GREEN' })).items.map((d) => d.id)).toEqual([ids[2], ids[0]]);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listDocuments(principal, { take: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    await expect(listDocuments(principal, { take: 0 })).rejects.toThrow();
    await expect(listDocuments(principal, { tlp: 'PURPLE' })).rejects.toThrow();
  });

  it('deletes the document, its versions and their encrypted files; the audit trail keeps the record', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    const r = await createDocument(principal, fileFrom('first', 'a.txt'), {}, MAX);
    await addVersion(principal, r.id, fileFrom('second', 'a.txt'), {}, MAX);
    const versions = await prisma().documentVersion.findMany({ where: { documentId: r.id } });
    expect(versions).toHaveLength(2);
    for (const v of versions) expect(await blobExists(v.blobKey)).toBe(true);

    await deleteDocument(principal, r.id);
    for (const v of versions) expect(await blobExists(v.blobKey)).toBe(false);
    expect(await prisma().document.count({ where: { id: r.id } })).toBe(0);
    expect(await prisma().documentVersion.count({ where: { documentId: r.id } })).toBe(0);
    await expectAppError(getDocument(principal, r.id), 'not_found', 404);
    await expectAppError(deleteDocument(principal, r.id), 'not_found', 404);

    const del = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'document.delete' } });
    expect(del).toMatchObject({ documentId: r.id, actorType: 'staff', actorId: principal.kind === 'staff' ? principal.userId : '', outcome: 'success' });
    expect(del.details).toMatchObject({ title: 'a.txt', versions: expect.arrayContaining([{ version: 1, sha256: sha(Buffer.from('first')) }, { version: 2, sha256: sha(Buffer.from('second')) }]) });
  });

  it('audits upload, new version, download and deletion with the right fields, in one intact chain', async () => {
    const org = await createOrg();
    const { principal, user } = await createStaff(org.id, 'MEMBER');
    const data = Buffer.from('audited content');
    const r = await createDocument(principal, fileFrom(data, 'audit.txt', 'text/plain'), { title: 'Audited', tlp: 'amber' }, MAX);
    const r2 = await addVersion(principal, r.id, fileFrom('v2', 'audit.txt', 'text/plain'), { tlp: 'RED' }, MAX);
    await buffer((await openDocumentContent(principal, r.id, r.versionId)).stream);
    await deleteDocument(principal, r.id);

    const events = await prisma().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['document.upload', 'document.version', 'document.download', 'document.delete']);
    for (const e of events) {
      expect(e).toMatchObject({ documentId: r.id, actorType: 'staff', actorId: user.id, actor: user.email, ip: '203.0.113.7', userAgent: 'vitest', outcome: 'success' });
    }
    expect(events[0].details).toEqual({ title: 'Audited', versionId: r.versionId, version: 1, sha256: sha(data), size: data.length, mediaType: 'text/plain', tlp: 'AMBER' });
    expect(events[1].details).toMatchObject({ versionId: r2.versionId, version: 2, sha256: sha(Buffer.from('v2')), size: 2, tlp: 'RED' });
    expect(events[2].details).toMatchObject({ title: 'Audited', versionId: r.versionId, version: 1, sha256: sha(data) });
    expect(events[3].details).toMatchObject({ title: 'Audited' });
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, count: 4 });
  });

  it('records an API key as the actor of its uploads', async () => {
    const org = await createOrg();
    const p = apiKeyPrincipal(org.id, ['documents:write', 'documents:read']);
    const r = await createDocument(p, fileFrom('from a script', 'x.txt'), {}, MAX);
    const doc = await prisma().document.findUniqueOrThrow({ where: { id: r.id } });
    expect(doc.createdById).toBeNull();
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'document.upload' } });
    expect(ev).toMatchObject({ actorType: 'apikey', actorId: p.kind === 'apikey' ? p.keyId : '', ip: '203.0.113.8' });
    expect(ev.actor).toContain('lsn_test0000');
  });

  describe('authorization', () => {
    it('refuses uploads, versions and deletion to an auditor (forbidden, 403) but lets them read', async () => {
      const org = await createOrg();
      const { principal: member } = await createStaff(org.id, 'MEMBER');
      const { principal: auditor } = await createStaff(org.id, 'AUDITOR');
      const r = await createDocument(member, fileFrom('x', 'x.txt'), {}, MAX);
      const before = (await storedObjectNames()).length;
      await expectAppError(createDocument(auditor, fileFrom('y', 'y.txt'), {}, MAX), 'forbidden', 403);
      await expectAppError(addVersion(auditor, r.id, fileFrom('y', 'y.txt'), {}, MAX), 'forbidden', 403);
      await expectAppError(deleteDocument(auditor, r.id), 'forbidden', 403);
      expect((await storedObjectNames()).length).toBe(before);
      expect((await listDocuments(auditor, {})).items.map((d) => d.id)).toEqual([r.id]);
      expect(await text((await openDocumentContent(auditor, r.id)).stream)).toBe('x');
    });

    it('answers insufficient_scope (403) to an API key without the scope', async () => {
      const org = await createOrg();
      const reader = apiKeyPrincipal(org.id, ['documents:read']);
      await expectAppError(createDocument(reader, fileFrom('y', 'y.txt'), {}, MAX), 'insufficient_scope', 403);
      const auditOnly = apiKeyPrincipal(org.id, ['audit:read']);
      await expectAppError(listDocuments(auditOnly, {}), 'insufficient_scope', 403);
      expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
    });

    it("keeps organisations apart: another organisation's document is not found", async () => {
      const orgA = await createOrg();
      const orgB = await createOrg();
      const { principal: a } = await createStaff(orgA.id, 'ADMIN');
      const { principal: b } = await createStaff(orgB.id, 'ADMIN');
      const r = await createDocument(a, fileFrom('org A only', 'a.txt'), { title: 'Org A secret' }, MAX);
      await expectAppError(getDocument(b, r.id), 'not_found', 404);
      await expectAppError(openDocumentContent(b, r.id), 'not_found', 404);
      await expectAppError(openDocumentContent(b, r.id, r.versionId), 'not_found', 404);
      await expectAppError(addVersion(b, r.id, fileFrom('intruder', 'b.txt'), {}, MAX), 'not_found', 404);
      await expectAppError(deleteDocument(b, r.id), 'not_found', 404);
      expect((await listDocuments(b, { q: 'Org A secret' })).items).toEqual([]);
      expect(await prisma().documentVersion.count({ where: { documentId: r.id } })).toBe(1);
      expect(await prisma().auditEvent.count({ where: { orgId: orgB.id } })).toBe(0);
    });
  });

  describe('bad input leaves nothing behind', () => {
    it('refuses an empty file', async () => {
      const org = await createOrg();
      const { principal } = await createStaff(org.id, 'MEMBER');
      const before = (await storedObjectNames()).length;
      await expectAppError(createDocument(principal, fileFrom(Buffer.alloc(0), 'empty.txt'), {}, MAX), 'validation_failed', 400);
      expect((await storedObjectNames()).length).toBe(before);
      expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
    });

    it('refuses a file over the limit while streaming, leaving no partial file', async () => {
      const org = await createOrg();
      const { principal } = await createStaff(org.id, 'MEMBER');
      const before = (await storedObjectNames()).length;
      await expectAppError(createDocument(principal, fileFrom(crypto.randomBytes(5000), 'big.bin'), {}, 4096), 'payload_too_large', 413);
      expect((await storedObjectNames()).length).toBe(before);
      expect(blobFiles().filter((f) => f.endsWith('.part'))).toEqual([]);
      expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
      // Exactly at the limit is accepted.
      await createDocument(principal, fileFrom(crypto.randomBytes(4096), 'exact.bin'), {}, 4096);
    });

    it('removes the stored file when the form fields are invalid', async () => {
      const org = await createOrg();
      const { principal } = await createStaff(org.id, 'MEMBER');
      const before = (await storedObjectNames()).length;
      await expect(createDocument(principal, fileFrom('data', 'x.txt'), { tlp: 'PURPLE' }, MAX)).rejects.toThrow();
      await expect(createDocument(principal, fileFrom('data', 'x.txt'), { title: 'x'.repeat(301) }, MAX)).rejects.toThrow();
      expect((await storedObjectNames()).length).toBe(before);
      expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
    });

    it('refuses a source stream that fails midway, leaving no partial file', async () => {
      const org = await createOrg();
      const { principal } = await createStaff(org.id, 'MEMBER');
      const before = (await storedObjectNames()).length;
      const failing = Readable.from((async function* () { yield Buffer.alloc(70_000, 1); throw new Error('client went away'); })());
      await expect(createDocument(principal, { stream: failing, fileName: 'x.bin' }, {}, MAX)).rejects.toThrow(/client went away/);
      expect((await storedObjectNames()).length).toBe(before);
      expect(await prisma().document.count({ where: { orgId: org.id } })).toBe(0);
    });

    it('cleans hostile file names for display; storage uses generated ids', async () => {
      const org = await createOrg();
      const { principal } = await createStaff(org.id, 'MEMBER');
      const r = await createDocument(principal, fileFrom('x', '../../etc/pass\u0000wd\u202e.txt'), {}, MAX);
      const v = await prisma().documentVersion.findUniqueOrThrow({ where: { id: r.versionId } });
      expect(v.fileName).toBe('passwd.txt');
      expect((await prisma().document.findUniqueOrThrow({ where: { id: r.id } })).title).toBe('passwd.txt');
      expect(await blobExists(v.blobKey)).toBe(true);
    });
  });
});
