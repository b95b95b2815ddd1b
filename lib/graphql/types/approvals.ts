import { decideApproval, getApproval, listApprovals, approvalOfGrant, type ApprovalView } from '../../governance/approval';
import { ApprovalState as ApprovalStateValues } from '../../generated/prisma/enums';
import { builder } from '../builder';
import { grantTlpScope, type GrantTlpView } from '../../governance/tlp';
import { DateTime } from './scalars';
import { Tlp } from './enums';
import { Share } from './shares';
import { PortalGrant } from './portals';

/*
 * Two-person approval and TLP scope (docs/CLASSIFICATION.md): the same lib functions as the console's
 * Approvals page, with the same rules (admins decide, never their own grant; admins and auditors read).
 */

const ApprovalState = builder.enumType(ApprovalStateValues, {
  name: 'ApprovalState',
  description: 'Where a share or portal grant stands on two-person approval. NONE: its material needs none; PENDING serves nothing; WITHDRAWN: the grant was revoked while it waited (its request closed undecided).',
});

const GrantKind = builder.enumType('ApprovalGrantKind', { values: ['share', 'portal'] as const });

const Approval = builder.objectRef<ApprovalView>('ApprovalRequest').implement({
  description: 'A request for a second administrator to approve a share or portal grant, and its decision.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: GrantKind, resolve: (a) => a.kind }),
    grantId: t.exposeID('grantId', { description: 'The share id, or the portal grant id.' }),
    portalId: t.exposeID('portalId', { nullable: true }),
    subject: t.exposeString('subject', { description: 'The documents shared, or the portal.' }),
    reach: t.exposeStringList('reach', { description: 'Whom the grant reaches: addresses, @domains, partner, groups.' }),
    reasons: t.exposeStringList('reasons', { description: 'Why approval is needed, e.g. tlp_red.' }),
    state: t.field({ type: ApprovalState, resolve: (a) => a.state }),
    requestedBy: t.exposeString('requestedBy'),
    createdAt: t.field({ type: DateTime, resolve: (a) => a.createdAt }),
    decidedBy: t.exposeString('decidedBy', { nullable: true }),
    decidedAt: t.field({ type: DateTime, nullable: true, resolve: (a) => a.decidedAt }),
    note: t.exposeString('note', { nullable: true, description: 'The approver\'s note, or the reason for a refusal.' }),
    canApprove: t.exposeBoolean('canApprove', { description: 'Whether the caller may approve it: another administrator than its creator and requester, while pending.' }),
  }),
});

const TlpScope = builder.objectRef<GrantTlpView>('TlpScope').implement({
  description: 'What a grant may release now (docs/CLASSIFICATION.md): checked again on every guest request.',
  fields: (t) => ({
    ceiling: t.field({ type: Tlp, description: "The organisation's ceiling, lowered by that of every partner organisation the grant reaches.", resolve: (s) => s.ceiling }),
    namedPartnerId: t.exposeID('namedPartnerId', { nullable: true, description: 'The one partner organisation everyone the grant reaches belongs to: TLP:AMBER+STRICT may go only then, only to its people.' }),
    namedOnly: t.exposeBoolean('namedOnly', { description: 'The grant reaches named addresses only (needed for TLP:RED, with an approval).' }),
    partnerIds: t.exposeIDList('partnerIds', { description: 'Partner organisations the grant reaches.' }),
  }),
});

builder.objectFields(Share, (t) => ({
  tlpScope: t.field({ type: TlpScope, resolve: (s, _a, ctx) => grantTlpScope(ctx.principal, { kind: 'share', id: s.id }) }),
  approvalState: t.field({ type: ApprovalState, description: 'PENDING: waits for a second administrator and serves nothing.', resolve: (s) => s.approvalState }),
  approval: t.field({ type: Approval, nullable: true, description: 'The newest approval request of this share.', resolve: (s, _a, ctx) => approvalOfGrant(ctx.principal, { kind: 'share', id: s.id }) }),
}));

builder.objectFields(PortalGrant, (t) => ({
  tlpScope: t.field({ type: TlpScope, resolve: (g, _a, ctx) => grantTlpScope(ctx.principal, { kind: 'portal', id: g.id }) }),
  approvalState: t.field({ type: ApprovalState, description: 'PENDING: waits for a second administrator and serves nothing.', resolve: (g) => g.approvalState }),
  approval: t.field({ type: Approval, nullable: true, description: 'The newest approval request of this grant.', resolve: (g, _a, ctx) => approvalOfGrant(ctx.principal, { kind: 'portal', id: g.id }) }),
}));

builder.queryFields((t) => ({
  approvals: t.field({
    type: [Approval], description: 'Approval requests: open ones first (oldest first), then decided ones (newest first). Admins and auditors.',
    args: { state: t.arg({ type: ApprovalState, required: false }), first: t.arg.int({ required: false }) },
    resolve: (_r, a, ctx) => listApprovals(ctx.principal, { state: a.state === 'NONE' ? undefined : a.state ?? undefined, first: a.first ?? undefined }),
  }),
  approval: t.field({ type: Approval, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => getApproval(ctx.principal, a.id) }),
}));

builder.mutationFields((t) => ({
  approveGrant: t.field({
    type: Approval, authScopes: { admin: true },
    description: 'Approves a pending share or portal grant: it starts serving. Not by its creator or requester; not twice. Audited (approval.approve).',
    args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => decideApproval(ctx.principal, a.id, { decision: 'approve', note: a.note ?? undefined }),
  }),
  refuseGrant: t.field({
    type: Approval, authScopes: { admin: true },
    description: 'Refuses a pending share or portal grant with a reason: it is revoked and never serves. Audited (approval.refuse).',
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => decideApproval(ctx.principal, a.id, { decision: 'refuse', note: a.reason }),
  }),
}));
