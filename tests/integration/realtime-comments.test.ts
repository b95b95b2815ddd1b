import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import type { CommentDto, QuestionDto } from '../../lib/collab/types';
import { answerQuestion } from '../../lib/collab/questions';
import { emitToAudience } from '../../lib/realtime/emit';
import { updateShare } from '../../lib/shares/service';
import { issueApiKey } from '../../lib/auth/api-keys';
import { apiToken, sharedPdf } from '../helpers/guest';
import { consoleSession } from '../helpers/console-session';
import { ack, connect, next, realtimeServer, type Client } from '../helpers/realtime';

let srv: Awaited<ReturnType<typeof realtimeServer>>;
beforeAll(async () => { srv = await realtimeServer(); });
afterAll(async () => { await srv.close(); });

async function fixture(permission: 'VIEW' | 'COMMENT' | 'EDIT', flags: { keepPartiesApart?: boolean; showGuestPresence?: boolean } = {}) {
  const s = await sharedPdf({ permission });
  if (flags.keepPartiesApart || flags.showGuestPresence) await prisma().share.update({ where: { id: s.share.id }, data: flags });
  const userId = s.principal.kind === 'staff' ? s.principal.userId : '';
  const { cookie } = await consoleSession({ id: userId, orgId: s.org.id });
  const join = async (sock: Client) => { await ack(sock, 'join', { documentId: s.doc.id }); return sock; };
  return {
    s,
    guest: async () => join(await connect(srv.url, { auth: { token: await apiToken(s.url) } })),
    staff: async () => join(await connect(srv.url, { extraHeaders: { cookie } })),
  };
}

/** Collects every `event` a socket receives until stopped. */
function collect<T>(s: Client, event: string) {
  const got: T[] = [];
  s.on(event, (p: T) => got.push(p));
  return got;
}

describe('comments over the socket', () => {
  it('a VIEW guest sending comment:create is refused (forbidden, audited) and nothing is stored', async () => {
    const f = await fixture('VIEW');
    const g = await f.guest();
    expect(await ack(g, 'comment:create', { documentId: f.s.doc.id, body: 'hello' })).toEqual({ error: 'forbidden' });
    expect(await prisma().comment.count({ where: { documentId: f.s.doc.id } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { shareId: f.s.share.id, type: 'guest.comment', reason: 'forbidden' } })).toBe(1);
    expect(g.connected).toBe(true);
    g.close();
  });

  it('a COMMENT guest\'s comment reaches the other guest of the open share and staff, as text, with activity for staff', async () => {
    const f = await fixture('COMMENT');
    const [a, b, staff] = [await f.guest(), await f.guest(), await f.staff()];
    const toB = next<{ comment: CommentDto }>(b, 'comment:created');
    const toStaff = next<{ comment: CommentDto }>(staff, 'comment:created');
    const activity = next<{ event: { type: string; documentId: string; page?: number } }>(staff, 'activity', 5000, (p) => p.event.type === 'comment.create');
    const body = '<script>alert(1)</script><img src=x onerror=alert(2)> see clause 4';
    const r = await ack<{ ok: boolean; comment: CommentDto }>(a, 'comment:create', {
      documentId: f.s.doc.id, page: 1, anchor: { kind: 'rect', x: 0.1, y: 0.2, w: 0.3, h: 0.1 }, body,
    });
    expect(r.ok).toBe(true);
    // Stored and sent verbatim: it is text, and every renderer shows it as text.
    expect(r.comment.body).toBe(body);
    expect((await toB).comment.id).toBe(r.comment.id);
    expect((await toStaff).comment).toEqual(r.comment);
    expect((await activity).event).toMatchObject({ documentId: f.s.doc.id, page: 1 });
    // Staff reply in the thread; the guest resolves it; everyone hears.
    const reply = await ack<{ comment: CommentDto }>(staff, 'comment:create', { documentId: f.s.doc.id, parentId: r.comment.id, body: 'Noted.' });
    // Staff open a thread in a grant of their choice, only one that holds the document.
    const foreign = await fixture('COMMENT');
    expect(await ack(staff, 'comment:create', { documentId: f.s.doc.id, body: 'x', grantKey: `share:${foreign.s.share.id}` })).toEqual({ error: 'not_found' });
    const toBStaffThread = next<{ comment: CommentDto }>(b, 'comment:created');
    const staffThread = await ack<{ comment: CommentDto }>(staff, 'comment:create', { documentId: f.s.doc.id, body: 'For everyone on this share', grantKey: `share:${f.s.share.id}` });
    expect((await toBStaffThread).comment.id).toBe(staffThread.comment.id);
    expect(reply.comment.threadId).toBe(r.comment.id);
    const resolvedToB = next<{ commentId: string }>(b, 'comment:resolved');
    expect(await ack(a, 'comment:resolve', { commentId: r.comment.id })).toMatchObject({ ok: true, resolved: true });
    expect((await resolvedToB).commentId).toBe(r.comment.id);
    const list = await ack<{ comments: CommentDto[] }>(b, 'comments:list', { documentId: f.s.doc.id });
    expect(list.comments.map((c) => c.id)).toEqual([r.comment.id, reply.comment.id, staffThread.comment.id]);
    a.close(); b.close(); staff.close();
  });

  it('oversized, empty, malformed or mis-anchored comments are refused; a frame over the socket\'s cap closes it', async () => {
    const f = await fixture('COMMENT');
    const g = await f.guest();
    const d = f.s.doc.id;
    expect(await ack(g, 'comment:create', { documentId: d, body: 'x'.repeat(4001) })).toEqual({ error: 'validation_failed' });
    expect(await ack(g, 'comment:create', { documentId: d, body: 'x'.repeat(20_001) })).toEqual({ error: 'validation_failed' });
    expect(await ack(g, 'comment:create', { documentId: d, body: '   ' })).toEqual({ error: 'validation_failed' });
    expect(await ack(g, 'comment:create', { documentId: d, body: 'ok', anchor: { kind: 'rect', x: 0.9, y: 0, w: 0.5, h: 0.1 } })).toEqual({ error: 'validation_failed' });
    expect(await ack(g, 'comment:create', { documentId: d, body: 'ok', authorName: 'The Judge' })).toEqual({ error: 'validation_failed' });
    expect(await prisma().comment.count({ where: { documentId: d } })).toBe(0);
    const closed = next(g, 'disconnect', 5000);
    g.emit('comment:create', { documentId: d, body: 'y'.repeat(600 * 1024) });
    await closed;
  });

  it('an event for a document of another share is not_found', async () => {
    const f = await fixture('COMMENT');
    const other = await fixture('COMMENT');
    const g = await f.guest();
    expect(await ack(g, 'comment:create', { documentId: other.s.doc.id, body: 'hi' })).toEqual({ error: 'not_found' });
    expect(await ack(g, 'comments:list', { documentId: other.s.doc.id })).toEqual({ error: 'not_found' });
    g.close();
  });

  it('keepPartiesApart: a guest\'s comment reaches staff and its author only; staff\'s answer in that thread reaches only that guest', async () => {
    const f = await fixture('COMMENT', { keepPartiesApart: true });
    const [a, b, staff] = [await f.guest(), await f.guest(), await f.staff()];
    const bGot = collect<{ comment: CommentDto }>(b, 'comment:created');
    const aGot = collect<{ comment: CommentDto }>(a, 'comment:created');
    const toStaff = next<{ comment: CommentDto }>(staff, 'comment:created');
    const mine = await ack<{ comment: CommentDto }>(a, 'comment:create', { documentId: f.s.doc.id, body: 'Only for counsel' });
    expect((await toStaff).comment.id).toBe(mine.comment.id);
    await ack(staff, 'comment:create', { documentId: f.s.doc.id, parentId: mine.comment.id, body: 'Answer for A' });
    await new Promise((r) => setTimeout(r, 300));
    expect(bGot).toEqual([]);
    expect(aGot.map((x) => x.comment.body)).toEqual(['Only for counsel', 'Answer for A']);
    expect((await ack<{ comments: CommentDto[] }>(b, 'comments:list', { documentId: f.s.doc.id })).comments).toEqual([]);
    // B cannot resolve A's thread (not_found: B cannot see it).
    expect(await ack(b, 'comment:resolve', { commentId: mine.comment.id })).toEqual({ error: 'not_found' });
    a.close(); b.close(); staff.close();
  });
});

describe('a barrier turned on mid-session', () => {
  it('closes the share\'s sockets without access:revoked; once they connect again, one guest no longer hears the other', async () => {
    const f = await fixture('COMMENT');
    const [a, b, staff] = [await f.guest(), await f.guest(), await f.staff()];
    const closed = (s: Client) => new Promise<string>((r) => s.once('disconnect', (reason: string) => r(reason)));
    const [aClosed, bClosed] = [closed(a), closed(b)];
    const revoked = [...collect(a, 'access:revoked'), ...collect(b, 'access:revoked')];
    await updateShare(f.s.principal, f.s.share.id, { keepPartiesApart: true });
    expect(await aClosed).toBe('io server disconnect');
    expect(await bClosed).toBe('io server disconnect');
    expect(revoked).toEqual([]);
    expect(staff.connected).toBe(true);
    // The viewer connects again at once (same token, a new handshake) and joins under the new flags.
    for (const s of [a, b]) {
      await new Promise<void>((r) => { s.once('connect', () => r()); s.connect(); });
      await ack(s, 'join', { documentId: f.s.doc.id });
    }
    const bGot = collect<unknown>(b, 'comment:created');
    const toStaff = next<{ comment: CommentDto }>(staff, 'comment:created');
    const r = await ack<{ ok: boolean; comment: CommentDto }>(a, 'comment:create', { documentId: f.s.doc.id, body: 'for counsel only' });
    expect(r.ok).toBe(true);
    expect((await toStaff).comment.id).toBe(r.comment.id);
    await new Promise((res) => setTimeout(res, 300));
    expect(bGot).toEqual([]);
    a.close(); b.close(); staff.close();
  });
});

describe('activity feed', () => {
  it('staff sockets hear guest accesses as they are audited; guests hear them only where they see each other', async () => {
    const f = await fixture('COMMENT', { showGuestPresence: true });
    const other = await fixture('COMMENT');
    const staff = await f.staff();
    const g = await f.guest();
    const outsider = await other.guest();
    const outsiderGot = collect<{ event: { type: string } }>(outsider, 'activity');
    // An API key that may read documents but not the trail hears nothing of it.
    const key = await issueApiKey({ orgId: f.s.org.id, name: 'reader', scopes: ['documents:read'], actor: null });
    const reader = await connect(srv.url, { auth: { token: key.key } });
    const readerGot = collect<unknown>(reader, 'activity');
    const heard = next<{ event: { type: string; actor: string; outcome: string } }>(staff, 'activity', 5000, (p) => p.event.type === 'guest.session');
    const mineHeard = next<{ event: { type: string } }>(g, 'activity', 5000, (p) => p.event.type === 'guest.session');
    // Another guest opens the same link: audited as guest.session, heard live.
    await apiToken(f.s.url);
    expect((await heard).event).toMatchObject({ type: 'guest.session', outcome: 'success', actor: `link ${f.s.share.id}` });
    await mineHeard;
    // A refusal on the share reaches staff only.
    const refusal = next<{ event: { type: string; outcome: string; reason: string } }>(staff, 'activity', 5000, (p) => p.event.outcome === 'denied');
    const gGot = collect<{ event: { outcome: string } }>(g, 'activity');
    expect(await ack(g, 'comment:create', { documentId: other.s.doc.id, body: 'x' })).toEqual({ error: 'not_found' });
    expect((await refusal).event).toMatchObject({ type: 'guest.comment', reason: 'not_found' });
    await new Promise((r) => setTimeout(r, 200));
    expect(gGot.filter((e) => e.event.outcome === 'denied')).toEqual([]);
    expect(outsiderGot.filter((e) => e.event.type === 'guest.session')).toEqual([]);
    // On a share without guest presence, another guest's access is staff's business only.
    const otherStaff = await other.staff();
    const staffHeard = next(otherStaff, 'activity', 5000, (p: { event: { type: string } }) => p.event.type === 'guest.session');
    await apiToken(other.s.url);
    await staffHeard;
    await new Promise((r) => setTimeout(r, 200));
    expect(outsiderGot.filter((e) => e.event.type === 'guest.session')).toEqual([]);
    otherStaff.close();
    expect(readerGot).toEqual([]);
    reader.close();
    staff.close(); g.close(); outsider.close();
  });
});

describe('questions over the socket', () => {
  it('a guest asks; staff hear it; a published answer reaches the grant, an unpublished one only the asker; parties kept apart see nothing of each other', async () => {
    const f = await fixture('VIEW', { keepPartiesApart: true });
    const [a, b, staff] = [await f.guest(), await f.guest(), await f.staff()];
    const bGot = collect<unknown>(b, 'question:created');
    const toStaff = next<{ question: QuestionDto }>(staff, 'question:created');
    const asked = await ack<{ ok: boolean; question: QuestionDto }>(a, 'question:create', { documentId: f.s.doc.id, body: 'Is clause 7 still current?' });
    expect(asked.ok).toBe(true);
    expect((await toStaff).question.id).toBe(asked.question.id);
    // Staff cannot ask; a question about another share's document is not_found.
    expect(await ack(staff, 'question:create', { body: 'x' })).toEqual({ error: 'forbidden' });
    const other = await fixture('VIEW');
    expect(await ack(a, 'question:create', { documentId: other.s.doc.id, body: 'x' })).toEqual({ error: 'not_found' });
    // The answer, given outside any socket (console, GraphQL), is emitted to the question's audience.
    const userId = f.s.principal.kind === 'staff' ? f.s.principal.userId : '';
    const answeredToA = next<{ question: QuestionDto }>(a, 'question:answered');
    const bAnswers = collect<unknown>(b, 'question:answered');
    const r = await answerQuestion({ kind: 'staff', orgId: f.s.org.id, staffId: userId, name: 'Counsel', ip: null, userAgent: null }, asked.question.id, { answer: 'Yes.', publish: false });
    emitToAudience(r.audience, 'question:answered', { question: r.question });
    expect((await answeredToA).question.answer?.body).toBe('Yes.');
    await new Promise((res) => setTimeout(res, 300));
    expect(bGot).toEqual([]);
    expect(bAnswers).toEqual([]);
    expect((await ack<{ questions: QuestionDto[] }>(b, 'questions:list', { documentId: f.s.doc.id })).questions).toEqual([]);
    expect((await ack<{ questions: QuestionDto[] }>(a, 'questions:list', { documentId: f.s.doc.id })).questions).toHaveLength(1);
    a.close(); b.close(); staff.close();
  });
});
