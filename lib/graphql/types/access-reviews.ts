import { TLP_ORDER } from '../../policy/types';
import { encodeCursor, listReviewGrants, type ReviewGrant } from '../../reviews/grants';
import { bulkAction, type BulkResult, type ItemResult } from '../../reviews/actions';
import { bulkActionAllMatching } from '../../reviews/bulk-all';
import { decideItem, getCampaign, listCampaignItems, listCampaigns, startCampaign, type CampaignView, type ItemView } from '../../reviews/campaigns';
import { explainGuestAccess, type AccessExplanation, type GrantExplanation } from '../../reviews/explain';
import { BULK_ACTIONS, DECISIONS, GRANT_KINDS } from '../../reviews/input';
import type { CheckOutcome } from '../../policy';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageComplexity, pageSize } from '../connection';
import { DateTime, Json } from './scalars';
import { Tlp } from './enums';
import { Permission } from './shares';

/** Pothos takes enum values as an object; the lists live in lib/reviews/input.ts. */
const values = <T extends string>(list: readonly T[]) => Object.fromEntries(list.map((v) => [v, v])) as { [K in T]: K };
const withoutNulls = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

export const AccessGrantKind = builder.enumType(values(GRANT_KINDS), {
  name: 'AccessGrantKind',
  description: 'share, portal_grant, guest (an account), session (a live guest session), device (an approved device key).',
});
const AccessReviewAction = builder.enumType(values(BULK_ACTIONS), { name: 'AccessReviewAction', description: 'revoke: any kind. extend, permission: shares and portal grants.' });
const ReviewDecisionEnum = builder.enumType(values(DECISIONS), { name: 'ReviewDecision' });
const AccessAction = builder.enumType(values(['view', 'download', 'comment', 'edit'] as const), { name: 'AccessAction' });

const AccessGrant = builder.objectRef<ReviewGrant>('AccessGrant').implement({
  description: 'One active grant of external access, whatever its kind.',
  fields: (t) => ({
    kind: t.field({ type: AccessGrantKind, resolve: (g) => g.kind }),
    id: t.exposeID('id'),
    label: t.exposeString('label'),
    who: t.exposeString('who', { description: 'Addresses, domains, partner organisation it reaches.' }),
    ownerId: t.exposeID('ownerId', { nullable: true }),
    ownerName: t.exposeString('ownerName', { nullable: true }),
    classification: t.field({ type: Tlp, nullable: true, description: 'Highest marking of the current versions it reaches (null for guest accounts and devices).', resolve: (g) => g.classification as (typeof TLP_ORDER)[number] | null }),
    createdAt: t.field({ type: DateTime, resolve: (g) => g.createdAt }),
    expiresAt: t.field({ type: DateTime, nullable: true, resolve: (g) => g.expiresAt }),
    lastActivityAt: t.field({ type: DateTime, nullable: true, resolve: (g) => g.lastActivityAt }),
    accessCount: t.int({ nullable: true, resolve: (g) => g.accessCount }),
    partnerOrgId: t.exposeID('partnerOrgId', { nullable: true }),
  }),
});
const AccessGrantConnection = connectionType('AccessGrant', AccessGrant, { totalCount: true });

const AccessGrantFilter = builder.inputType('AccessGrantFilter', {
  fields: (t) => ({
    kinds: t.field({ type: [AccessGrantKind] }),
    noAccessDays: t.int({ description: 'No access in the last N days.' }),
    neverUsed: t.boolean(),
    noExpiry: t.boolean(),
    expiringWithinDays: t.int(),
    minTlp: t.field({ type: Tlp, description: 'Classification at or above this marking.' }),
    domain: t.string({ description: 'An external email domain.' }),
    partnerOrgId: t.id(),
    ownerId: t.id(),
  }),
});

const AccessGrantRef = builder.inputType('AccessGrantRef', {
  fields: (t) => ({ kind: t.field({ type: AccessGrantKind, required: true }), id: t.id({ required: true }) }),
});

const BulkItemResult = builder.objectRef<ItemResult>('AccessReviewItemResult').implement({
  fields: (t) => ({
    kind: t.field({ type: AccessGrantKind, resolve: (r) => r.kind }),
    id: t.exposeID('id'),
    outcome: t.exposeString('outcome', { description: 'done, not_applicable or failed.' }),
    error: t.exposeString('error', { nullable: true }),
  }),
});
const BulkResultRef = builder.objectRef<BulkResult>('AccessReviewBulkResult').implement({
  fields: (t) => ({
    action: t.field({ type: AccessReviewAction, resolve: (r) => r.action }),
    done: t.exposeInt('done'), failed: t.exposeInt('failed'), notApplicable: t.exposeInt('notApplicable'), noticesQueued: t.exposeInt('noticesQueued'),
    results: t.field({ type: [BulkItemResult], resolve: (r) => r.results }),
  }),
});

const Campaign = builder.objectRef<CampaignView>('AccessReviewCampaign').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    scope: t.field({ type: Json, resolve: (c) => c.scope }),
    state: t.exposeString('state', { description: 'OPEN or CLOSED.' }),
    deadline: t.field({ type: DateTime, resolve: (c) => c.deadline }),
    autoRevoke: t.exposeBoolean('autoRevoke'),
    sponsorId: t.exposeID('sponsorId', { nullable: true }),
    sponsorName: t.exposeString('sponsorName', { nullable: true }),
    createdById: t.exposeID('createdById'),
    createdByName: t.exposeString('createdByName', { nullable: true }),
    itemCount: t.exposeInt('itemCount'),
    decided: t.exposeInt('decided'),
    pending: t.exposeInt('pending'),
    createdAt: t.field({ type: DateTime, resolve: (c) => c.createdAt }),
    closedAt: t.field({ type: DateTime, nullable: true, resolve: (c) => c.closedAt }),
  }),
});

const CampaignItem = builder.objectRef<ItemView>('AccessReviewItem').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    campaignId: t.exposeID('campaignId'),
    kind: t.field({ type: AccessGrantKind, resolve: (i) => i.kind as (typeof GRANT_KINDS)[number] }),
    grantId: t.exposeID('grantId'),
    label: t.exposeString('label'),
    classification: t.exposeString('classification', { nullable: true }),
    ownerName: t.exposeString('ownerName', { nullable: true }),
    sponsorName: t.exposeString('sponsorName', { nullable: true }),
    expiresAt: t.field({ type: DateTime, nullable: true, resolve: (i) => i.expiresAt }),
    lastActivityAt: t.field({ type: DateTime, nullable: true, resolve: (i) => i.lastActivityAt }),
    accessCount: t.int({ nullable: true, resolve: (i) => i.accessCount }),
    decision: t.field({ type: ReviewDecisionEnum, nullable: true, resolve: (i) => i.decision }),
    reason: t.exposeString('reason', { nullable: true }),
    change: t.field({ type: Json, nullable: true, resolve: (i) => i.change ?? null }),
    automatic: t.exposeBoolean('automatic'),
    decidedByName: t.exposeString('decidedByName', { nullable: true }),
    decidedAt: t.field({ type: DateTime, nullable: true, resolve: (i) => i.decidedAt }),
    mayDecide: t.exposeBoolean('mayDecide', { description: 'You are its owner or sponsor and it is open and undecided.' }),
  }),
});
const CampaignItemConnection = connectionType('AccessReviewItem', CampaignItem);

const Check = builder.objectRef<CheckOutcome>('PolicyCheck').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    passed: t.exposeBoolean('passed'),
    reason: t.exposeString('reason', { nullable: true, description: 'The refusal this check gives when it fails.' }),
    decisive: t.exposeBoolean('decisive', { description: 'The first failing check: the answer the guest gets.' }),
  }),
});
const GrantExplanationRef = builder.objectRef<GrantExplanation>('GrantExplanation').implement({
  fields: (t) => ({
    kind: t.field({ type: AccessGrantKind, resolve: (g) => g.kind }),
    id: t.exposeID('id'),
    label: t.exposeString('label'),
    allowed: t.boolean({ resolve: (g) => g.decision.allow }),
    reason: t.string({ nullable: true, resolve: (g) => (g.decision.allow ? null : g.decision.reason) }),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    checks: t.field({ type: [Check], resolve: (g) => g.checks }),
  }),
});
const ExplanationRef = builder.objectRef<AccessExplanation>('AccessExplanation').implement({
  fields: (t) => ({
    guestId: t.id({ resolve: (e) => e.guest.id }),
    guestEmail: t.string({ nullable: true, resolve: (e) => e.guest.email }),
    documentId: t.id({ resolve: (e) => e.document.id }),
    documentTitle: t.string({ resolve: (e) => e.document.title }),
    action: t.field({ type: AccessAction, resolve: (e) => e.action as 'view' }),
    allowed: t.exposeBoolean('allowed'),
    conditionsFrom: t.exposeString('conditionsFrom'),
    grants: t.field({ type: [GrantExplanationRef], resolve: (e) => e.grants }),
  }),
});

builder.queryFields((t) => ({
  accessReviewGrants: t.field({
    type: AccessGrantConnection,
    description: 'Every active external grant (shares, portal grants, guest accounts, sessions, devices), newest first, keyset-paged. Admins and auditors.',
    authScopes: { admin: true, 'audit:read': true },
    args: { filter: t.arg({ type: AccessGrantFilter, required: false }), ...pageArgs(t.arg, 200) },
    complexity: pageComplexity(50, 200),
    resolve: async (_r, a, ctx) => {
      const page = await listReviewGrants(ctx.principal, { ...withoutNulls(a.filter ?? {}), first: pageSize(a.first, 200), ...(a.after ? { after: a.after } : {}) });
      // Each edge's cursor is its keyset position (createdAt, kind, id), as the page's endCursor is.
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (n: ReviewGrant) => encodeCursor(n), totalCount: page.totalCount };
    },
  }),
  accessReviewCampaigns: t.field({
    type: [Campaign],
    description: 'Review campaigns, newest first (at most 200): every one for admins and auditors, otherwise those with items for you.',
    complexity: { field: 2, multiplier: 20 },
    resolve: (_r, _a, ctx) => listCampaigns(ctx.principal),
  }),
  accessReviewCampaign: t.field({
    type: Campaign,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getCampaign(ctx.principal, a.id),
  }),
  accessReviewItems: t.field({
    type: CampaignItemConnection,
    description: 'A campaign\'s items. pending: undecided only; mine: only those you may decide.',
    args: { campaignId: t.arg.id({ required: true }), pending: t.arg.boolean({ required: false }), mine: t.arg.boolean({ required: false }), ...pageArgs(t.arg, 200) },
    complexity: pageComplexity(50, 200),
    resolve: async (_r, a, ctx) => {
      const page = await listCampaignItems(ctx.principal, a.campaignId, { first: pageSize(a.first, 200), after: decodeIdCursor('review-item', a.after) ?? null, pending: a.pending ?? false, mine: a.mine ?? false });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (i) => encodeIdCursor('review-item', i.id) };
    },
  }),
  explainGuestAccess: t.field({
    type: ExplanationRef,
    description: 'Why can this guest see this document: every grant that reaches them, each with every policy check passed or failed. Admins and auditors; audited.',
    authScopes: { admin: true, 'audit:read': true },
    args: { guestId: t.arg.id({ required: true }), documentId: t.arg.id({ required: true }), action: t.arg({ type: AccessAction, required: false }) },
    resolve: (_r, a, ctx) => explainGuestAccess(ctx.principal, { guestId: a.guestId, documentId: a.documentId, ...(a.action ? { action: a.action } : {}) }),
  }),
}));

builder.mutationFields((t) => ({
  accessReviewBulkAction: t.field({
    type: BulkResultRef,
    description: 'Revoke, extend or change the permission of up to 500 grants, each through its usual function (audited as always), with an optional notice to the affected guests. Admins.',
    authScopes: { admin: true },
    args: {
      action: t.arg({ type: AccessReviewAction, required: true }),
      items: t.arg({ type: [AccessGrantRef], required: true }),
      expiresAt: t.arg({ type: DateTime, required: false }),
      permission: t.arg({ type: Permission, required: false }),
      reason: t.arg.string({ required: false }),
      notice: t.arg.string({ required: false, description: 'When given (even empty), the affected guests are told by mail; the text is added to the mail.' }),
    },
    resolve: (_r, a, ctx) => bulkAction(ctx.principal, withoutNulls(a)),
  }),
  accessReviewBulkActionAllMatching: t.field({
    type: BulkResultRef,
    description: 'The same action on every active grant the filter matches now, found again on the server (at most 10,000; give the count you confirmed as expectedCount: a different count is refused with conflict). Each grant through its usual function, audited; one review.bulk event per batch. Admins.',
    authScopes: { admin: true },
    args: {
      action: t.arg({ type: AccessReviewAction, required: true }),
      filter: t.arg({ type: AccessGrantFilter, required: false }),
      expectedCount: t.arg.int({ required: true }),
      expiresAt: t.arg({ type: DateTime, required: false }),
      permission: t.arg({ type: Permission, required: false }),
      reason: t.arg.string({ required: false }),
      notice: t.arg.string({ required: false, description: 'When given (even empty), the affected guests are told by mail; the text is added to the mail.' }),
    },
    resolve: (_r, { filter, ...a }, ctx) => bulkActionAllMatching(ctx.principal, { ...withoutNulls(a), filters: filter ? withoutNulls(filter) : {} }),
  }),
  startAccessReviewCampaign: t.field({
    type: Campaign,
    description: 'Starts a review of the grants the filter matches now. Admins (signed in: a person starts it). Audited.',
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true }),
      scope: t.arg({ type: AccessGrantFilter, required: false }),
      deadline: t.arg({ type: DateTime, required: true }),
      sponsorId: t.arg.id({ required: false }),
      autoRevoke: t.arg.boolean({ required: false, description: 'Revoke what is undecided at the deadline (default true).' }),
    },
    resolve: (_r, a, ctx) => startCampaign(ctx.principal, withoutNulls({ ...a, scope: a.scope ? withoutNulls(a.scope) : undefined })),
  }),
  decideAccessReviewItem: t.field({
    type: CampaignItem,
    description: 'Keep, revoke or change one item, with a reason. Only its owner or the sponsor, once. Audited.',
    args: {
      id: t.arg.id({ required: true }),
      decision: t.arg({ type: ReviewDecisionEnum, required: true }),
      reason: t.arg.string({ required: true }),
      expiresAt: t.arg({ type: DateTime, required: false }),
      permission: t.arg({ type: Permission, required: false }),
    },
    resolve: (_r, a, ctx) => decideItem(ctx.principal, a.id, withoutNulls({ decision: a.decision, reason: a.reason, expiresAt: a.expiresAt, permission: a.permission })),
  }),
}));
