import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createShare } from '../../lib/shares/service';
import { staffActor } from '../../lib/collab/actor';
import { createComment, listComments } from '../../lib/collab/comments';
import { answerQuestion, askQuestion, listQuestions } from '../../lib/collab/questions';
import { documentAuditExport } from '../../lib/collab/export';
import { startSmtp } from '../helpers/smtp';
import { codeIn, deliverMail, mailsTo } from '../helpers/guest-identity';
import { sharedPdf } from '../helpers/guest';
import { createStaff } from '../helpers/factory';
import { grant, portalCode, portalFixture, portalOpen, settlePortalCodes } from '../helpers/portal';
import { freshIp, portalGuest, shareGuest } from '../helpers/collab';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });
afterEach(() => { smtp.received.length = 0; });

const sha = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const codeOf = async (p: Promise<unknown>) => { try { await p; return 'ok'; } catch (e) { return (e as { code?: string }).code ?? (e as Error).name; } };

describe('questions', () => {
  it('a guest asks; the share owner gets the question by mail through the queue and a real SMTP server; it is audited by hash', async () => {
    const s = await sharedPdf({ permission: 'VIEW' });
    const a = await shareGuest(s.url, s.doc.id, 'view');
    const body = 'When does the <b>escrow</b> close?\nAnd who signs?';
    const { question, audience } = await askQuestion(a.actor, { documentId: s.doc.id, body });
    expect(question).toMatchObject({ documentId: s.doc.id, body, published: false, answer: null, asker: { kind: 'guest', id: `guest:${a.actor.guestId}` } });
    // Until published, a question's events go to its asker and staff only.
    expect(audience).toMatchObject({ grantKeys: [], authorGuestId: a.actor.guestId });

    expect(await deliverMail(s.org.id)).toBeGreaterThan(0);
    // The owner may also get the share's first-access notice; the question is its own mail.
    const mails = mailsTo(smtp, s.principal.kind === 'staff' ? s.principal.email : '').filter((m) => m.parsed.subject?.startsWith('Question from'));
    expect(mails).toHaveLength(1);
    expect(mails[0].parsed.subject).toContain('Briefing');
    expect(mails[0].parsed.text).toContain('When does the <b>escrow</b> close?');
    expect(mails[0].parsed.text).toContain(`/documents/${s.doc.id}#questions`);
    expect(mails[0].parsed.html || '').not.toContain('<b>escrow</b>');

    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'question.asked' } });
    expect(ev).toMatchObject({ actorType: 'guest', actorId: a.actor.guestId, shareId: s.share.id, documentId: s.doc.id, ip: a.ip });
    expect(ev.details).toMatchObject({ questionId: question.id, bodySha256: sha(body), bodyLength: body.length });
    expect(JSON.stringify(ev.details)).not.toContain('escrow');
  });

  it('without a reachable owner the organisation\'s admins are mailed', async () => {
    const s = await sharedPdf();
    await prisma().staffUser.update({ where: { id: (s.principal as { userId: string }).userId }, data: { disabledAt: new Date() } });
    const admin = await createStaff(s.org.id, 'ADMIN');
    const a = await shareGuest(s.url, s.doc.id, 'view');
    await askQuestion(a.actor, { body: 'General question' });
    await deliverMail(s.org.id);
    const toAdmin = mailsTo(smtp, admin.user.email).filter((m) => m.parsed.subject?.startsWith('Question from'));
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0].parsed.text).toContain(`/shares/${s.share.id}#questions`);
  });

  it('limits: 1..2000 characters; sections only for portal guests', async () => {
    const s = await sharedPdf();
    const a = await shareGuest(s.url, s.doc.id, 'view');
    expect(await codeOf(askQuestion(a.actor, { body: ' ' }))).toBe('ZodError');
    expect(await codeOf(askQuestion(a.actor, { body: 'q'.repeat(2001) }))).toBe('ZodError');
    expect(await codeOf(askQuestion(a.actor, { body: 'ok', sectionId: 'cnotasection0000000000000' }))).toBe('validation_failed');
    expect(await codeOf(askQuestion(staffActor(s.principal) as never, { body: 'staff ask?' }))).toBe('forbidden');
    // A document outside the guest's grants, even in the same organisation, is not found.
    const { createDocument } = await import('../../lib/documents/service');
    const { fileFrom, tinyPdf } = await import('../helpers/factory');
    const unshared = await createDocument(s.principal, fileFrom(tinyPdf('x'), 'x.pdf', 'application/pdf'), { title: 'Unshared', tlp: 'GREEN' }, 1e7);
    expect(await codeOf(askQuestion(a.actor, { documentId: unshared.id, body: 'what is this?' }))).toBe('not_found');
  });

  it('an open share: questions are private until answered and published; then every guest of the share sees them', async () => {
    const s = await sharedPdf({ permission: 'COMMENT' });
    const a = await shareGuest(s.url, s.doc.id, 'view');
    const b = await shareGuest(s.url, s.doc.id, 'view');
    const { question } = await askQuestion(a.actor, { documentId: s.doc.id, body: 'Is the index complete?' });
    expect((await listQuestions(a.actor, { documentId: s.doc.id })).map((q) => q.id)).toEqual([question.id]);
    expect(await listQuestions(b.actor, { documentId: s.doc.id })).toEqual([]);
    const staff = staffActor(s.principal);
    const privately = await answerQuestion(staff, question.id, { answer: 'Yes.' });
    expect(privately.question.answer).toMatchObject({ body: 'Yes.', by: staff.name });
    expect(await listQuestions(b.actor)).toEqual([]);
    const pub = await answerQuestion(staff, question.id, { answer: 'Yes, complete as of today.', publish: true });
    expect(pub.audience).toMatchObject({ grantKeys: [`share:${s.share.id}`], authorGuestId: null, partyGuestId: null });
    expect((await listQuestions(b.actor)).map((q) => [q.id, q.answer?.body])).toEqual([[question.id, 'Yes, complete as of today.']]);
    // Once published it stays published.
    expect((await answerQuestion(staff, question.id, { answer: 'Yes, complete.', publish: false })).question.published).toBe(true);
    const answered = await prisma().auditEvent.findMany({ where: { orgId: s.org.id, type: 'question.answered' }, orderBy: { seq: 'asc' } });
    expect(answered.map((e) => (e.details as { published: boolean }).published)).toEqual([false, true, true]);
    expect((answered[1].details as { newlyPublished: boolean }).newlyPublished).toBe(true);
    // A guest of another share of the same document sees none of it.
    const other = await createShare(s.principal, { documentIds: [s.doc.id] });
    const c = await shareGuest(other.url, s.doc.id, 'view');
    expect(await listQuestions(c.actor)).toEqual([]);
    // Another organisation's staff cannot answer.
    const foreign = await sharedPdf();
    expect(await codeOf(answerQuestion(staffActor(foreign.principal), question.id, { answer: 'x' }))).toBe('not_found');
    // The document's export carries the question and its answer with their hashes.
    const auditor = await createStaff(s.org.id, 'AUDITOR');
    const exp = await documentAuditExport(auditor.principal, s.doc.id);
    expect(exp.questions).toHaveLength(1);
    expect(exp.questions[0]).toMatchObject({ body: 'Is the index complete?', bodySha256: sha('Is the index complete?'), answerSha256: sha('Yes, complete.'), published: true });
  });

  it('keepPartiesApart: publishing is refused with a clear conflict; the answer still reaches the asker', async () => {
    const s = await sharedPdf({ keepPartiesApart: true });
    const a = await shareGuest(s.url, s.doc.id, 'view');
    const { question } = await askQuestion(a.actor, { body: 'Can we see the other bids?' });
    const staff = staffActor(s.principal);
    const refused = await answerQuestion(staff, question.id, { answer: 'No.', publish: true }).catch((e) => e);
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/keeps its parties apart/);
    expect((await prisma().question.findUniqueOrThrow({ where: { id: question.id } })).answer).toBeNull();
    await answerQuestion(staff, question.id, { answer: 'No.' });
    expect((await listQuestions(a.actor)).map((q) => q.answer?.body)).toEqual(['No.']);
  });
});

describe('portal guests', () => {
  async function signIn(f: Awaited<ReturnType<typeof portalFixture>>, email: string) {
    expect((await portalCode(f.portal.slug, email, freshIp())).res.status).toBe(202);
    await settlePortalCodes(f.org.id);
    const got = mailsTo(smtp, email);
    const opened = await portalOpen({ portal: f.portal.slug, email, code: codeIn(got[got.length - 1].parsed.text) }, freshIp());
    expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
    return opened.json.access_token as string;
  }

  it('a guest under two grants writes into both; a guest of the open one sees it, a guest of the barrier one does not', async () => {
    const f = await portalFixture();
    const open = await grant(f.portal.id, f.org.id, { emails: ['both@counsel.example', 'open@counsel.example'], sectionIds: [f.sectionA.id] });
    await prisma().portalGrant.update({ where: { id: open.id }, data: { permission: 'COMMENT', showGuestPresence: true } });
    const apart = await grant(f.portal.id, f.org.id, { emails: ['both@counsel.example', 'apart@counsel.example'], sectionIds: [f.sectionA.id, f.sectionB.id] });
    await prisma().portalGrant.update({ where: { id: apart.id }, data: { permission: 'COMMENT', keepPartiesApart: true, showGuestPresence: true } });

    const both = await portalGuest(await signIn(f, 'both@counsel.example'), f.portal.id, f.docA.id);
    const onlyOpen = await portalGuest(await signIn(f, 'open@counsel.example'), f.portal.id, f.docA.id);
    const onlyApart = await portalGuest(await signIn(f, 'apart@counsel.example'), f.portal.id, f.docA.id);
    expect(both.actor.grantKeys.sort()).toEqual([`portal-grant:${open.id}`, `portal-grant:${apart.id}`].sort());
    expect(both.actor.openGrantKeys).toEqual([`portal-grant:${open.id}`]);
    // The barrier wins over the presence flag.
    expect(both.actor.presenceGrantKeys).toEqual([`portal-grant:${open.id}`]);
    expect(onlyApart.actor.presenceGrantKeys).toEqual([]);

    const c = await createComment(both.actor, { documentId: f.docA.id, body: 'Seen by my grant-mates?' });
    expect(c.comment.author.name).toBe('both@counsel.example');
    expect((await listComments(onlyOpen.actor, f.docA.id)).map((x) => x.id)).toEqual([c.comment.id]);
    expect(await listComments(onlyApart.actor, f.docA.id)).toEqual([]);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'comment.created' } });
    expect(ev.details).toMatchObject({ portalId: f.portal.id, commentId: c.comment.id });

    // Sections: one the guest's grants cover is accepted; one of another portal is not found.
    const q = await askQuestion(onlyApart.actor, { sectionId: f.sectionB.id, body: 'About the contracts' });
    expect(q.question.sectionId).toBe(f.sectionB.id);
    const other = await portalFixture();
    expect(await codeOf(askQuestion(onlyApart.actor, { sectionId: other.sectionA.id, body: 'x' }))).toBe('not_found');
    expect(await codeOf(askQuestion(onlyOpen.actor, { sectionId: f.sectionB.id, body: 'x' }))).toBe('not_found');
    // The portal's creator is mailed.
    smtp.received.length = 0;
    await deliverMail(f.org.id);
    expect(mailsTo(smtp, f.user.email)).toHaveLength(1);
    expect(mailsTo(smtp, f.user.email)[0].parsed.text).toContain('Acme Counsel Portal');
  });
});
