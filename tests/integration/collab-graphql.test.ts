import { describe, expect, it } from 'vitest';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import { prisma } from '../../lib/db/client';
import type { Scope } from '../../lib/auth/scopes';
import { askQuestion } from '../../lib/collab/questions';
import { createComment } from '../../lib/collab/comments';
import { sharedPdf } from '../helpers/guest';
import { shareGuest } from '../helpers/collab';
import { portalFixture } from '../helpers/portal';

interface GqlResult { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }

async function gql(query: string, key: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.31', 'user-agent': 'vitest-graphql-collab' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes: Scope[]) => (await issueApiKey({ orgId, name: `collab ${scopes.join('+')}`, scopes, actor: null })).key;

const COMMENT = 'id documentId threadId parentId page anchor { kind x y w h } body mentions author { id name kind } grants { key label keepPartiesApart } resolvedAt resolvedBy';
const COMMENTS = `query($documentId: ID, $shareId: ID) { comments(documentId: $documentId, shareId: $shareId) { ${COMMENT} } }`;
const CREATE = `mutation($input: CreateCommentInput!) { createComment(input: $input) { ${COMMENT} } }`;
const RESOLVE = 'mutation($id: ID!) { resolveComment(id: $id) { commentId resolved } }';
const REOPEN = 'mutation($id: ID!) { reopenComment(id: $id) { commentId resolved } }';
const QUESTIONS = 'query($documentId: ID, $shareId: ID) { questions(documentId: $documentId, shareId: $shareId) { id body documentTitle published publishable asker { name kind } answer { body by } grants { key keepPartiesApart } } }';
const ANSWER = 'mutation($id: ID!, $input: AnswerQuestionInput!) { answerQuestion(id: $id, input: $input) { id published answer { body by } } }';

describe('graphql: comments and questions', () => {
  it('staff read threads and questions, comment in a grant, resolve and answer; scopes and organisations are enforced', async () => {
    const s = await sharedPdf({ permission: 'COMMENT', keepPartiesApart: true });
    await prisma().documentVersion.updateMany({ where: { documentId: s.doc.id }, data: { pages: 5 } });
    const guest = await shareGuest(s.url, s.doc.id);
    const byGuest = await createComment(guest.actor, { documentId: s.doc.id, page: 3, anchor: { kind: 'highlight', x: 0.1, y: 0.1, w: 0.5, h: 0.02 }, body: '<script>alert(1)</script>' });
    const asked = await askQuestion(guest.actor, { documentId: s.doc.id, body: 'Who else sees this?' });

    const rw = await keyFor(s.org.id, ['shares:read', 'shares:write']);
    const ro = await keyFor(s.org.id, ['shares:read']);
    const docsOnly = await keyFor(s.org.id, ['documents:read']);

    const listed = await gql(COMMENTS, ro, { documentId: s.doc.id });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.comments).toEqual([expect.objectContaining({
      id: byGuest.comment.id, page: 3, anchor: { kind: 'highlight', x: 0.1, y: 0.1, w: 0.5, h: 0.02 }, body: '<script>alert(1)</script>',
      author: { id: `guest:${guest.actor.guestId}`, name: guest.actor.name, kind: 'guest' },
      grants: [expect.objectContaining({ key: `share:${s.share.id}`, keepPartiesApart: true })],
    })]);
    expect((await gql(COMMENTS, ro, { shareId: s.share.id })).body.data.comments).toHaveLength(1);
    expect(code(await gql(COMMENTS, docsOnly, { documentId: s.doc.id }))).toBe('insufficient_scope');
    expect(code(await gql(CREATE, ro, { input: { documentId: s.doc.id, body: 'hi' } }))).toBe('insufficient_scope');

    const created = await gql(CREATE, rw, { input: { documentId: s.doc.id, body: 'Answering in thread', parentId: byGuest.comment.id } });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createComment).toMatchObject({ parentId: byGuest.comment.id, threadId: byGuest.comment.id, author: { kind: 'staff', name: 'API key collab shares:read+shares:write' } });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'comment.created', actorType: 'apikey' } });
    expect(ev.documentId).toBe(s.doc.id);
    const inGrant = await gql(CREATE, rw, { input: { documentId: s.doc.id, body: 'To every guest', grantKey: `share:${s.share.id}` } });
    expect(inGrant.body.data.createComment.grants).toEqual([expect.objectContaining({ key: `share:${s.share.id}` })]);
    expect(code(await gql(CREATE, rw, { input: { documentId: s.doc.id, body: 'x', page: 9 } }))).toBe('validation_failed');
    expect(code(await gql(CREATE, rw, { input: { documentId: s.doc.id, body: '' } }))).toBe('validation_failed');

    expect((await gql(RESOLVE, rw, { id: byGuest.comment.id })).body.data.resolveComment).toEqual({ commentId: byGuest.comment.id, resolved: true });
    expect((await gql(REOPEN, rw, { id: byGuest.comment.id })).body.data.reopenComment.resolved).toBe(false);

    const qs = await gql(QUESTIONS, ro, { documentId: s.doc.id });
    expect(qs.body.data.questions).toEqual([expect.objectContaining({ id: asked.question.id, documentTitle: 'Briefing', published: false, publishable: false })]);
    const refused = await gql(ANSWER, rw, { id: asked.question.id, input: { answer: 'Only you and us.', publish: true } });
    expect(code(refused)).toBe('conflict');
    const answered = await gql(ANSWER, rw, { id: asked.question.id, input: { answer: 'Only you and us.' } });
    expect(answered.body.data.answerQuestion).toMatchObject({ published: false, answer: { body: 'Only you and us.' } });

    // Another organisation's key: every id is unknown.
    const foreign = await sharedPdf();
    const fk = await keyFor(foreign.org.id, ['shares:read', 'shares:write']);
    expect(code(await gql(COMMENTS, fk, { documentId: s.doc.id }))).toBe('not_found');
    expect(code(await gql(COMMENTS, fk, { shareId: s.share.id }))).toBe('not_found');
    expect(code(await gql(CREATE, fk, { input: { documentId: s.doc.id, body: 'intruder' } }))).toBe('not_found');
    expect(code(await gql(RESOLVE, fk, { id: byGuest.comment.id }))).toBe('not_found');
    expect(code(await gql(ANSWER, fk, { id: asked.question.id, input: { answer: 'intruder' } }))).toBe('not_found');
    expect((await gql(QUESTIONS, fk, {})).body.data.questions).toEqual([]);
    // Malformed ids are refused at the edge.
    expect(code(await gql(RESOLVE, rw, { id: 'bad id\u0000' }))).toBe('not_found');
  });

  it('share and grant inputs carry the presence and barrier flags', async () => {
    const s = await sharedPdf();
    const rw = await keyFor(s.org.id, ['shares:read', 'shares:write']);
    const created = await gql('mutation($input: CreateShareInput!) { createShare(input: $input) { share { id showGuestPresence keepPartiesApart } } }', rw, { input: { documentIds: [s.doc.id], showGuestPresence: true } });
    expect(created.body.data.createShare.share).toMatchObject({ showGuestPresence: true, keepPartiesApart: false });
    const id = created.body.data.createShare.share.id;
    const updated = await gql('mutation($id: ID!, $input: UpdateShareInput!) { updateShare(id: $id, input: $input) { showGuestPresence keepPartiesApart } }', rw, { id, input: { keepPartiesApart: true } });
    expect(updated.body.data.updateShare).toEqual({ showGuestPresence: true, keepPartiesApart: true });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'share.update', shareId: id } });
    expect(ev.details).toMatchObject({ changed: ['keepPartiesApart'], keepPartiesApart: true });
    expect(code(await gql('mutation($id: ID!, $input: UpdateShareInput!) { updateShare(id: $id, input: $input) { id } }', rw, { id, input: { keepPartiesApart: null } }))).toBe('validation_failed');

    const f = await portalFixture();
    const pk = await keyFor(f.org.id, ['portals:read', 'portals:write']);
    const g = await gql('mutation($portalId: ID!, $input: PortalGrantInput!) { grantPortalAccess(portalId: $portalId, input: $input) { id showGuestPresence keepPartiesApart } }', pk, { portalId: f.portal.id, input: { domains: ['counsel.example'], keepPartiesApart: true } });
    expect(g.body.data.grantPortalAccess).toMatchObject({ showGuestPresence: false, keepPartiesApart: true });
    const set = await gql('mutation($id: ID!) { setPortalGrantCollaboration(id: $id, showGuestPresence: true, keepPartiesApart: false) { showGuestPresence keepPartiesApart } }', pk, { id: g.body.data.grantPortalAccess.id });
    expect(set.body.data.setPortalGrantCollaboration).toEqual({ showGuestPresence: true, keepPartiesApart: false });
    const pev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'portal.grant.update' } });
    expect(pev.details).toMatchObject({ changed: ['showGuestPresence', 'keepPartiesApart'] });
    expect(code(await gql('mutation($id: ID!) { setPortalGrantCollaboration(id: $id, keepPartiesApart: true) { id } }', rw, { id: g.body.data.grantPortalAccess.id }))).toBe('insufficient_scope');
  });
});
