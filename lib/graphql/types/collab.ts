import {
  getStaffComment, getStaffQuestion, listQuestionsForStaff, listThreadsForStaff, staffAnswer, staffComment, staffSetResolved, type StaffComment, type StaffQuestion,
} from '../../collab/staff';
import type { CommentAnchor, Participant } from '../../collab/types';
import { builder } from '../builder';
import { DateTime } from './scalars';

/*
 * Comments, annotations and Q&A for staff (docs/COLLABORATION.md). Reading needs shares:read, writing
 * shares:write: the same as a share's access log and a share's changes. No subscriptions: live events
 * travel over socket.io (docs/REALTIME.md).
 */

const ParticipantKind = builder.enumType('ParticipantKind', { values: ['staff', 'guest'] as const });

const ParticipantRef = builder.objectRef<Participant>('Participant').implement({
  description: 'A person in a discussion. id is "staff:<id>" or "guest:<id>".',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name', { description: 'As stored; render it as text.' }),
    kind: t.field({ type: ParticipantKind, resolve: (p) => p.kind }),
  }),
});

const AnchorKind = builder.enumType('CommentAnchorKind', { values: ['rect', 'highlight'] as const });

const Anchor = builder.objectRef<CommentAnchor>('CommentAnchor').implement({
  description: 'A region of a page in fractions (0..1) of its width and height, origin top left.',
  fields: (t) => ({
    kind: t.field({ type: AnchorKind, resolve: (a) => a.kind }),
    x: t.exposeFloat('x'), y: t.exposeFloat('y'), w: t.exposeFloat('w'), h: t.exposeFloat('h'),
  }),
});

const GrantRef = builder.objectRef<{ key: string; label: string; keepPartiesApart: boolean }>('CollabGrant').implement({
  description: 'A grant a thread or question lives in: "share:<id>" or "portal-grant:<id>".',
  fields: (t) => ({
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    keepPartiesApart: t.exposeBoolean('keepPartiesApart'),
  }),
});

export const Comment = builder.objectRef<StaffComment>('Comment').implement({
  description: 'A comment, an annotation (a page region) or a reply. threadId is the root comment\'s id.',
  fields: (t) => ({
    id: t.exposeID('id'),
    documentId: t.exposeID('documentId'),
    threadId: t.exposeID('threadId'),
    parentId: t.exposeID('parentId', { nullable: true }),
    versionId: t.exposeID('versionId', { nullable: true, description: 'The version current when it was written.' }),
    page: t.exposeInt('page', { nullable: true }),
    anchor: t.field({ type: Anchor, nullable: true, resolve: (c) => c.anchor }),
    body: t.exposeString('body', { description: 'Exactly as written; render it as text.' }),
    mentions: t.exposeStringList('mentions'),
    author: t.field({ type: ParticipantRef, resolve: (c) => c.author }),
    grants: t.field({ type: [GrantRef], description: 'Empty: a staff-only thread.', resolve: (c) => c.grants }),
    ip: t.exposeString('ip', { nullable: true, description: 'Where it was written from.' }),
    createdAt: t.field({ type: DateTime, resolve: (c) => c.createdAt }),
    resolvedAt: t.field({ type: DateTime, nullable: true, description: 'On the root: when the thread was resolved.', resolve: (c) => c.resolvedAt }),
    resolvedBy: t.exposeString('resolvedBy', { nullable: true }),
  }),
});

const Answer = builder.objectRef<{ body: string; by: string; at: string }>('Answer').implement({
  fields: (t) => ({
    body: t.exposeString('body'),
    by: t.exposeString('by'),
    at: t.field({ type: DateTime, resolve: (a) => a.at }),
  }),
});

export const Question = builder.objectRef<StaffQuestion>('Question').implement({
  description: 'A guest\'s question; the asker alone sees it until staff publish its answer to every guest of its grants.',
  fields: (t) => ({
    id: t.exposeID('id'),
    documentId: t.exposeID('documentId', { nullable: true }),
    documentTitle: t.exposeString('documentTitle', { nullable: true }),
    sectionId: t.exposeID('sectionId', { nullable: true }),
    body: t.exposeString('body', { description: 'Exactly as asked; render it as text.' }),
    asker: t.field({ type: ParticipantRef, resolve: (q) => q.asker }),
    grants: t.field({ type: [GrantRef], resolve: (q) => q.grants }),
    createdAt: t.field({ type: DateTime, resolve: (q) => q.createdAt }),
    answer: t.field({ type: Answer, nullable: true, resolve: (q) => q.answer }),
    published: t.exposeBoolean('published'),
    publishable: t.exposeBoolean('publishable', { description: 'False when one of its grants keeps parties apart: publishing is then refused.' }),
  }),
});

const AnchorInput = builder.inputType('CommentAnchorInput', {
  fields: (t) => ({
    kind: t.field({ type: AnchorKind, required: true }),
    x: t.float({ required: true }), y: t.float({ required: true }), w: t.float({ required: true }), h: t.float({ required: true }),
  }),
});

const CreateCommentInput = builder.inputType('CreateCommentInput', {
  description: 'A root comment (optionally on a page, optionally a region of it) or a reply (parentId).',
  fields: (t) => ({
    documentId: t.id({ required: true }),
    body: t.string({ required: true, description: '1 to 4,000 characters after trimming; no control characters but tab and newline.' }),
    page: t.int({ description: 'From 1.' }),
    anchor: t.field({ type: AnchorInput, description: 'Needs page.' }),
    parentId: t.id({ description: 'Reply to this thread (a reply to a reply joins its root).' }),
    mentions: t.stringList({ description: 'At most 20, "staff:<id>" or "guest:<id>".' }),
    grantKey: t.string({ description: 'A root only: the live grant covering the document the thread lives in, "share:<id>" or "portal-grant:<id>". Omitted: staff-only.' }),
  }),
});

const AnswerInput = builder.inputType('AnswerQuestionInput', {
  fields: (t) => ({
    answer: t.string({ required: true, description: '1 to 4,000 characters.' }),
    publish: t.boolean({ description: 'Publish the question and answer to every guest of its grants. Refused (conflict) where a grant keeps parties apart.' }),
  }),
});

const ResolvedPayload = builder.objectRef<{ commentId: string; documentId: string; resolved: boolean }>('CommentResolvedPayload').implement({
  fields: (t) => ({ commentId: t.exposeID('commentId', { description: 'The thread\'s root.' }), documentId: t.exposeID('documentId'), resolved: t.exposeBoolean('resolved') }),
});

const withoutNulls = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

builder.queryFields((t) => ({
  comments: t.field({
    type: [Comment],
    description: 'Every comment on a document, or in the threads of a share, oldest first (at most 2,000). Needs shares:read.',
    authScopes: { 'shares:read': true },
    complexity: { field: 5, multiplier: 20 },
    args: { documentId: t.arg.id({ required: false }), shareId: t.arg.id({ required: false }) },
    resolve: async (_r, a, ctx) => listThreadsForStaff(ctx.principal, { documentId: a.documentId ?? null, shareId: a.shareId ?? null }),
  }),
  questions: t.field({
    type: [Question],
    description: 'Questions on a document, asked through a share, or all of them, newest first (at most 500). Needs shares:read.',
    authScopes: { 'shares:read': true },
    complexity: { field: 5, multiplier: 20 },
    args: { documentId: t.arg.id({ required: false }), shareId: t.arg.id({ required: false }) },
    resolve: async (_r, a, ctx) => listQuestionsForStaff(ctx.principal, { documentId: a.documentId ?? null, shareId: a.shareId ?? null }),
  }),
}));

builder.mutationFields((t) => ({
  createComment: t.field({
    type: Comment,
    description: 'Comments on a document as staff (audited; sent live to whoever may see it). Needs shares:write.',
    authScopes: { 'shares:write': true },
    args: { input: t.arg({ type: CreateCommentInput, required: true }) },
    resolve: async (_r, a, ctx) => {
      const c = await staffComment(ctx.principal, withoutNulls(a.input) as never);
      return getStaffComment(ctx.principal, c.id);
    },
  }),
  resolveComment: t.field({
    type: ResolvedPayload,
    description: 'Resolves a thread (any comment of it stands for it). Needs shares:write.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => staffSetResolved(ctx.principal, a.id, true),
  }),
  reopenComment: t.field({
    type: ResolvedPayload,
    description: 'Reopens a resolved thread. Needs shares:write.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => staffSetResolved(ctx.principal, a.id, false),
  }),
  answerQuestion: t.field({
    type: Question,
    description: 'Answers a question (again, to correct it); publish makes it and its answer visible to every guest of its grants. Needs shares:write.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: AnswerInput, required: true }) },
    resolve: async (_r, a, ctx) => {
      const q = await staffAnswer(ctx.principal, a.id, withoutNulls(a.input) as never);
      return getStaffQuestion(ctx.principal, q.id);
    },
  }),
}));
