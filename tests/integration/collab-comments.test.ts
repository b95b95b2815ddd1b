import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import { createComment, listComments, setCommentResolved, commentDocumentId } from '../../lib/collab/comments';
import { staffActor } from '../../lib/collab/actor';
import { canSee } from '../../lib/collab/visibility';
import { documentAuditExport } from '../../lib/collab/export';
import { createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { sharedPdf } from '../helpers/guest';
import { shareGuest } from '../helpers/collab';

const sha = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const codeOf = async (p: Promise<unknown>) => { try { await p; return 'ok'; } catch (e) { return (e as { code?: string }).code ?? (e as Error).name; } };

/** One document in a COMMENT share, with two guests of that share and a guest of a second share of the same document. */
async function fixture(opts: { keepPartiesApart?: boolean } = {}) {
  const s = await sharedPdf({ permission: 'COMMENT', keepPartiesApart: opts.keepPartiesApart ?? false });
  const other = await createShare(s.principal, { documentIds: [s.doc.id], permission: 'COMMENT' });
  const a = await shareGuest(s.url, s.doc.id);
  const b = await shareGuest(s.url, s.doc.id);
  const c = await shareGuest(other.url, s.doc.id);
  const staff = staffActor(s.principal);
  return { ...s, other, a: a.actor, b: b.actor, c: c.actor, staff };
}

const ids = (list: Array<{ id: string }>) => list.map((c) => c.id).sort();

describe('comments: who sees what', () => {
  it('guests of an open share see each other; a guest of another share sees nothing; staff-only threads stay with staff', async () => {
    const f = await fixture();
    expect(f.a.guestId).not.toBe(f.b.guestId);
    expect(f.a.grantKeys).toEqual([`share:${f.share.id}`]);
    expect(f.a.openGrantKeys).toEqual(f.a.grantKeys);
    const byA = await createComment(f.a, { documentId: f.doc.id, body: 'Clause 4 looks wrong' });
    const staffOnly = await createComment(f.staff, { documentId: f.doc.id, body: 'Internal: check with the client first' });
    const inShare = await createComment(f.staff, { documentId: f.doc.id, body: 'Welcome, all', grantKey: `share:${f.share.id}` });
    const byC = await createComment(f.c, { documentId: f.doc.id, body: 'Other party here' });

    expect(byA.comment.author).toEqual({ id: `guest:${f.a.guestId}`, name: f.a.name, kind: 'guest' });
    expect(byA.audience).toMatchObject({ grantKeys: [`share:${f.share.id}`], authorGuestId: f.a.guestId, partyGuestId: f.a.guestId });
    expect(staffOnly.audience.staffOnly).toBe(true);

    expect(ids(await listComments(f.b, f.doc.id))).toEqual(ids([byA.comment, inShare.comment]));
    expect(ids(await listComments(f.c, f.doc.id))).toEqual(ids([byC.comment]));
    expect(ids(await listComments(f.staff, f.doc.id))).toEqual(ids([byA.comment, staffOnly.comment, inShare.comment, byC.comment]));
    // A reply to a staff-only thread is as unknown to a guest as a missing comment.
    expect(await codeOf(createComment(f.a, { documentId: f.doc.id, body: 'me too', parentId: staffOnly.comment.id }))).toBe('not_found');
  });

  it('keepPartiesApart: a guest sees staff and their own threads only, staff replies included', async () => {
    const f = await fixture({ keepPartiesApart: true });
    expect(f.a.openGrantKeys).toEqual([]);
    expect(f.a.presenceGrantKeys).toEqual([]);
    const byA = await createComment(f.a, { documentId: f.doc.id, body: 'Our position on clause 4' });
    const reply = await createComment(f.staff, { documentId: f.doc.id, body: 'Noted', parentId: byA.comment.id });
    const toAll = await createComment(f.staff, { documentId: f.doc.id, body: 'Deadline is Friday', grantKey: `share:${f.share.id}` });
    // The staff reply lives in A's thread: A's party, never B's.
    expect(reply.audience).toMatchObject({ partyGuestId: f.a.guestId, authorGuestId: null, grantKeys: [`share:${f.share.id}`] });
    expect(ids(await listComments(f.a, f.doc.id))).toEqual(ids([byA.comment, reply.comment, toAll.comment]));
    expect(ids(await listComments(f.b, f.doc.id))).toEqual(ids([toAll.comment]));
    // B cannot reply into A's thread either: it does not exist for B.
    expect(await codeOf(createComment(f.b, { documentId: f.doc.id, body: 'listening in', parentId: byA.comment.id }))).toBe('not_found');
    // B may reply in the staff thread; under the barrier that reply, authored by B, is B's and staff's only.
    const bReply = await createComment(f.b, { documentId: f.doc.id, body: 'Understood', parentId: toAll.comment.id });
    expect(ids(await listComments(f.a, f.doc.id))).not.toContain(bReply.comment.id);
    expect(ids(await listComments(f.b, f.doc.id))).toContain(bReply.comment.id);
  });

  it('canSee is the rule: open key, or own/staff author and party', () => {
    const g = { kind: 'guest' as const, orgId: 'o', guestId: 'G', sessionId: 's', name: 'g', email: null, ip: null, userAgent: null, shareId: null, portalId: 'p', grantKeys: ['portal-grant:1', 'portal-grant:2'], openGrantKeys: ['portal-grant:1'], presenceGrantKeys: [] };
    expect(canSee(g, { grantKeys: ['portal-grant:1'], authorGuestId: 'X', partyGuestId: 'X' })).toBe(true);
    expect(canSee(g, { grantKeys: ['portal-grant:2'], authorGuestId: 'X', partyGuestId: 'X' })).toBe(false);
    expect(canSee(g, { grantKeys: ['portal-grant:2'], authorGuestId: null, partyGuestId: 'G' })).toBe(true);
    expect(canSee(g, { grantKeys: ['portal-grant:2'], authorGuestId: null, partyGuestId: 'X' })).toBe(false);
    expect(canSee(g, { grantKeys: ['portal-grant:3'], authorGuestId: null, partyGuestId: null })).toBe(false);
    expect(canSee(g, { grantKeys: [], authorGuestId: null, partyGuestId: null })).toBe(false);
  });
});

describe('comments: what may be written', () => {
  it('bodies: trimmed, 1..4000 characters, no control characters but tab and newline; markup stored verbatim', async () => {
    const f = await fixture();
    const d = f.doc.id;
    expect(await codeOf(createComment(f.a, { documentId: d, body: '' }))).toBe('ZodError');
    expect(await codeOf(createComment(f.a, { documentId: d, body: '   \n\t ' }))).toBe('ZodError');
    expect(await codeOf(createComment(f.a, { documentId: d, body: 'x'.repeat(4001) }))).toBe('ZodError');
    expect(await codeOf(createComment(f.a, { documentId: d, body: 'bell\u0007' }))).toBe('ZodError');
    expect(await codeOf(createComment(f.a, { documentId: d, body: 'bidi \u202e override' }))).toBe('ZodError');
    const max = await createComment(f.a, { documentId: d, body: `  ${'y'.repeat(4000)}  ` });
    expect(max.comment.body).toHaveLength(4000);
    const script = '<script>alert("x")</script>\n\t<img src=x onerror=alert(1)>';
    const stored = await createComment(f.a, { documentId: d, body: script });
    expect(stored.comment.body).toBe(script);
    expect((await listComments(f.b, d)).find((c) => c.id === stored.comment.id)?.body).toBe(script);
    // Unknown fields are refused rather than ignored.
    expect(await codeOf(createComment(f.a, { documentId: d, body: 'hi', authorName: 'CEO' } as never))).toBe('ZodError');
  });

  it('annotations: a region within the page, on a page the document has', async () => {
    const f = await fixture();
    const d = f.doc.id;
    await prisma().documentVersion.updateMany({ where: { documentId: d }, data: { pages: 3 } });
    const ok = await createComment(f.a, { documentId: d, page: 2, anchor: { kind: 'rect', x: 0.1, y: 0.2, w: 0.9, h: 0.8 }, body: 'this box' });
    expect(ok.comment).toMatchObject({ page: 2, anchor: { kind: 'rect', x: 0.1, y: 0.2, w: 0.9, h: 0.8 } });
    await createComment(f.a, { documentId: d, page: 1, anchor: { kind: 'highlight', x: 0, y: 0, w: 1, h: 0.05 }, body: 'this line' });
    expect(await codeOf(createComment(f.a, { documentId: d, page: 4, body: 'beyond the end' }))).toBe('validation_failed');
    expect(await codeOf(createComment(f.a, { documentId: d, page: 0, body: 'page zero' }))).toBe('ZodError');
    for (const anchor of [
      { kind: 'rect', x: 0.5, y: 0, w: 0.6, h: 0.1 }, { kind: 'rect', x: 0, y: 0.95, w: 0.1, h: 0.1 }, { kind: 'rect', x: 0, y: 0, w: 0, h: 0.1 },
      { kind: 'rect', x: -0.1, y: 0, w: 0.1, h: 0.1 }, { kind: 'circle', x: 0, y: 0, w: 0.1, h: 0.1 }, { kind: 'rect', x: Number.NaN, y: 0, w: 0.1, h: 0.1 },
    ]) {
      expect(await codeOf(createComment(f.a, { documentId: d, page: 1, anchor: anchor as never, body: 'bad region' })), JSON.stringify(anchor)).toBe('ZodError');
    }
    expect(await codeOf(createComment(f.a, { documentId: d, anchor: { kind: 'rect', x: 0, y: 0, w: 0.1, h: 0.1 }, body: 'no page' }))).toBe('ZodError');
  });

  it('threads: a parent on another document is refused; a reply to a reply joins the root and inherits its grants and party', async () => {
    const f = await fixture();
    const second = await createDocument(f.principal, fileFrom(tinyPdf('second'), 'second.pdf', 'application/pdf'), { title: 'Second', tlp: 'GREEN' }, 1e7);
    const elsewhere = await createComment(f.staff, { documentId: second.id, body: 'On the other document' });
    // Behind the policy: a guest's grants must reach the document, whatever the caller authorised.
    expect(await codeOf(createComment(f.a, { documentId: second.id, body: 'not my document' }))).toBe('not_found');
    expect(await codeOf(createComment(f.staff, { documentId: f.doc.id, body: 'reply', parentId: elsewhere.comment.id }))).toBe('not_found');
    const root = await createComment(f.a, { documentId: f.doc.id, body: 'root' });
    const r1 = await createComment(f.b, { documentId: f.doc.id, body: 'reply 1', parentId: root.comment.id });
    const r2 = await createComment(f.staff, { documentId: f.doc.id, body: 'reply to reply', parentId: r1.comment.id });
    expect(r1.comment.parentId).toBe(root.comment.id);
    expect(r2.comment.parentId).toBe(root.comment.id);
    expect(r2.comment.threadId).toBe(root.comment.id);
    const row = await prisma().comment.findUniqueOrThrow({ where: { id: r1.comment.id } });
    expect(row).toMatchObject({ grantKeys: [`share:${f.share.id}`], partyGuestId: f.a.guestId, authorGuestId: f.b.guestId, shareId: f.share.id });
    // A document of another organisation is not found; so is commentDocumentId across organisations.
    const foreign = await sharedPdf({ permission: 'COMMENT' });
    expect(await codeOf(createComment(f.staff, { documentId: foreign.doc.id, body: 'cross-org' }))).toBe('not_found');
    expect(await commentDocumentId(foreign.org.id, root.comment.id)).toBeNull();
    expect(await commentDocumentId(f.org.id, root.comment.id)).toBe(f.doc.id);
    // Staff choose a live grant covering the document: another organisation's share, or a revoked one, is not_found.
    expect(await codeOf(createComment(f.staff, { documentId: f.doc.id, body: 'x', grantKey: `share:${foreign.share.id}` }))).toBe('not_found');
    await prisma().share.update({ where: { id: f.other.share.id }, data: { state: 'REVOKED', revokedAt: new Date() } });
    expect(await codeOf(createComment(f.staff, { documentId: f.doc.id, body: 'x', grantKey: `share:${f.other.share.id}` }))).toBe('not_found');
    // A guest cannot pick a grant.
    expect(await codeOf(createComment(f.a, { documentId: f.doc.id, body: 'x', grantKey: `share:${f.other.share.id}` }))).toBe('validation_failed');
  });

  it('mentions: staff of the organisation and visible participants; others refused; at most 20', async () => {
    const f = await fixture({ keepPartiesApart: true });
    const colleague = await createStaff(f.org.id, 'MEMBER');
    const ok = await createComment(f.a, { documentId: f.doc.id, body: 'asking my counsel', mentions: [`staff:${colleague.user.id}`, `staff:${colleague.user.id}`] });
    expect(ok.comment.mentions).toEqual([`staff:${colleague.user.id}`]);
    await createComment(f.b, { documentId: f.doc.id, body: 'B was here' });
    // Under the barrier A cannot see B, so cannot mention B; staff can.
    expect(await codeOf(createComment(f.a, { documentId: f.doc.id, body: 'hey B', mentions: [`guest:${f.b.guestId}`] }))).toBe('validation_failed');
    expect((await createComment(f.staff, { documentId: f.doc.id, body: 'B, see this', mentions: [`guest:${f.b.guestId}`] })).comment.mentions).toEqual([`guest:${f.b.guestId}`]);
    const foreign = await sharedPdf();
    const outsider = await createStaff(foreign.org.id, 'MEMBER');
    expect(await codeOf(createComment(f.a, { documentId: f.doc.id, body: 'x', mentions: [`staff:${outsider.user.id}`] }))).toBe('validation_failed');
    expect(await codeOf(createComment(f.a, { documentId: f.doc.id, body: 'x', mentions: ['admin'] }))).toBe('ZodError');
    expect(await codeOf(createComment(f.a, { documentId: f.doc.id, body: 'x', mentions: Array.from({ length: 21 }, (_, i) => `staff:s${i}`) }))).toBe('ZodError');
  });
});

describe('comments: resolve, reopen, audit, export', () => {
  it('the guest who started a thread and staff resolve or reopen it; another guest may not; each change is audited', async () => {
    const f = await fixture();
    const root = await createComment(f.a, { documentId: f.doc.id, body: 'Please fix' });
    const reply = await createComment(f.b, { documentId: f.doc.id, body: 'Agreed', parentId: root.comment.id });
    expect(await codeOf(setCommentResolved(f.b, root.comment.id, true))).toBe('forbidden');
    expect(await codeOf(setCommentResolved(f.c, root.comment.id, true))).toBe('not_found');
    const r = await setCommentResolved(f.a, reply.comment.id, true);
    expect(r).toMatchObject({ commentId: root.comment.id, documentId: f.doc.id, resolved: true });
    const list = await listComments(f.b, f.doc.id);
    expect(list.find((c) => c.id === root.comment.id)).toMatchObject({ resolvedBy: f.a.name });
    expect(list.find((c) => c.id === root.comment.id)?.resolvedAt).not.toBeNull();
    await setCommentResolved(f.staff, root.comment.id, false);
    await setCommentResolved(f.staff, root.comment.id, false); // no change, not recorded
    const events = await prisma().auditEvent.findMany({ where: { orgId: f.org.id, type: { in: ['comment.resolved', 'comment.reopened'] } }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.type, e.actorType])).toEqual([['comment.resolved', 'guest'], ['comment.reopened', 'staff']]);
  });

  it('comment.created records who, where from and the body\'s hash, not the body; the export carries both', async () => {
    const f = await fixture();
    await prisma().documentVersion.updateMany({ where: { documentId: f.doc.id }, data: { pages: 2 } });
    const body = 'Confidential remark <b>bold</b>';
    const { comment } = await createComment(f.a, { documentId: f.doc.id, page: 2, body });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'comment.created', documentId: f.doc.id } });
    expect(ev).toMatchObject({ actorType: 'guest', actorId: f.a.guestId, ip: f.a.ip, shareId: f.share.id, documentId: f.doc.id });
    expect(ev.details).toMatchObject({ commentId: comment.id, page: 2, bodySha256: sha(body), bodyLength: body.length, grantKeys: [`share:${f.share.id}`] });
    expect(JSON.stringify(ev.details)).not.toContain('Confidential remark');

    const auditor = await createStaff(f.org.id, 'AUDITOR');
    const exported = await documentAuditExport(auditor.principal, f.doc.id);
    const c = exported.comments.find((x) => x.id === comment.id)!;
    expect(c).toMatchObject({ body, bodySha256: sha(body), page: 2, authorGuestId: f.a.guestId, ip: f.a.ip });
    const created = exported.events.find((e) => e.type === 'comment.created')!;
    expect((created.details as { bodySha256: string }).bodySha256).toBe(c.bodySha256);
    expect(created.hash).toBe(ev.hash);
    // Members (no audit:read) may not export; another organisation's auditor finds nothing.
    expect(await codeOf(documentAuditExport(f.principal, f.doc.id))).toBe('forbidden');
    const foreign = await sharedPdf();
    const foreignAuditor = await createStaff(foreign.org.id, 'AUDITOR');
    expect(await codeOf(documentAuditExport(foreignAuditor.principal, f.doc.id))).toBe('not_found');
  });

  it('a VIEW guest\'s context never reaches comment: the policy refuses it first', async () => {
    const s = await sharedPdf({ permission: 'VIEW' });
    expect(await codeOf(shareGuest(s.url, s.doc.id, 'comment'))).toBe('forbidden');
  });
});

describe('console and GraphQL changes reach the socket layer', () => {
  it('staffComment and staffSetResolved publish their events with the audience the rule gives', async () => {
    const { onCollabEvent } = await import('../../lib/collab/events');
    const { staffComment, staffSetResolved } = await import('../../lib/collab/staff');
    const f = await fixture();
    const seen: Array<{ event: string; audience: unknown }> = [];
    const off = onCollabEvent((e) => seen.push({ event: e.event, audience: e.audience }));
    try {
      const root = await createComment(f.a, { documentId: f.doc.id, body: 'guest root' });
      const reply = await staffComment(f.principal, { documentId: f.doc.id, body: 'staff reply', parentId: root.comment.id });
      await staffSetResolved(f.principal, reply.id, true);
      expect(seen).toEqual([
        { event: 'comment:created', audience: expect.objectContaining({ grantKeys: [`share:${f.share.id}`], authorGuestId: null, partyGuestId: f.a.guestId }) },
        { event: 'comment:resolved', audience: expect.objectContaining({ grantKeys: [`share:${f.share.id}`], partyGuestId: f.a.guestId }) },
      ]);
      // An auditor may read but not write.
      const auditor = await createStaff(f.org.id, 'AUDITOR');
      expect(await codeOf(staffComment(auditor.principal, { documentId: f.doc.id, body: 'x' }))).toBe('forbidden');
    } finally { off(); }
  });
});
