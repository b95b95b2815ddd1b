import { ProposalState as ProposalStateValues } from '../../generated/prisma/enums';
import { acceptProposal, getProposal, listProposals, rejectProposal, type ProposalView } from '../../collab/proposals';
import { builder } from '../builder';
import { pageComplexity } from '../connection';
import { DateTime } from './scalars';
import { Tlp } from './enums';

export const ProposalState = builder.enumType(ProposalStateValues, {
  name: 'ProposalState',
  description: 'PENDING: waiting for staff; no guest but its author knows of it. ACCEPTED: it became a version of the document. REJECTED: declined (the file is kept for the record).',
});

const ProposalDecider = builder.objectRef<NonNullable<ProposalView['decidedBy']>>('ProposalDecider').implement({
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name'), email: t.exposeString('email') }),
});

export const VersionProposal = builder.objectRef<ProposalView>('VersionProposal').implement({
  description: 'A new version of a shared document uploaded by a guest with EDIT, waiting for (or after) a staff decision.',
  fields: (t) => ({
    id: t.exposeID('id'),
    documentId: t.exposeID('documentId'),
    documentTitle: t.exposeString('documentTitle'),
    shareId: t.exposeID('shareId', { nullable: true, description: 'The share the guest came by (null for a portal).' }),
    portalId: t.exposeID('portalId', { nullable: true }),
    guestId: t.exposeID('guestId'),
    guestName: t.exposeString('guestName', { description: 'How the trail names the guest: an email, or "link <share id>".' }),
    baseVersionNumber: t.exposeInt('baseVersionNumber', { nullable: true, description: 'The version the guest worked from.' }),
    fileName: t.exposeString('fileName'),
    mediaType: t.exposeString('mediaType', { description: 'Sniffed from the bytes, as for staff uploads.' }),
    size: t.float({ description: 'Bytes.', resolve: (p) => p.size }),
    sha256: t.exposeString('sha256'),
    note: t.exposeString('note', { description: "The guest's note (plain text)." }),
    state: t.field({ type: ProposalState, resolve: (p) => p.state }),
    createdAt: t.field({ type: DateTime, resolve: (p) => p.createdAt }),
    decidedAt: t.field({ type: DateTime, nullable: true, resolve: (p) => p.decidedAt }),
    decidedBy: t.field({ type: ProposalDecider, nullable: true, resolve: (p) => p.decidedBy }),
    decisionNote: t.exposeString('decisionNote', { nullable: true }),
    acceptedVersionId: t.exposeID('acceptedVersionId', { nullable: true }),
    acceptedVersionNumber: t.exposeInt('acceptedVersionNumber', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  proposals: t.field({
    type: [VersionProposal],
    description: 'Versions proposed by guests, newest first, at most `first` (default 50, at most 200).',
    authScopes: { 'documents:read': true },
    args: {
      documentId: t.arg.id({ required: false }),
      shareId: t.arg.id({ required: false }),
      state: t.arg({ type: ProposalState, required: false }),
      first: t.arg.int({ required: false }),
    },
    complexity: pageComplexity(50, 200),
    resolve: (_r, a, ctx) => listProposals(ctx.principal, {
      documentId: a.documentId ?? undefined, shareId: a.shareId ?? undefined, state: a.state ?? undefined, take: a.first ?? undefined,
    }),
  }),
}));

builder.mutationFields((t) => ({
  acceptProposal: t.field({
    type: VersionProposal,
    description: "Makes a pending proposal the document's next version, served by every share from then on. Marked like the version the guest worked from unless `tlp` is given. Audited (proposal.accepted).",
    authScopes: { 'documents:write': true },
    args: { id: t.arg.id({ required: true }), tlp: t.arg({ type: Tlp, required: false }), note: t.arg.string({ required: false }) },
    resolve: async (_r, a, ctx) => {
      await acceptProposal(ctx.principal, a.id, { tlp: a.tlp ?? undefined, note: a.note ?? undefined });
      return getProposal(ctx.principal, a.id);
    },
  }),
  rejectProposal: t.field({
    type: VersionProposal,
    description: 'Declines a pending proposal; its author sees the state and the note. Audited (proposal.rejected).',
    authScopes: { 'documents:write': true },
    args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: false }) },
    resolve: async (_r, a, ctx) => {
      await rejectProposal(ctx.principal, a.id, { note: a.note ?? undefined });
      return getProposal(ctx.principal, a.id);
    },
  }),
}));
