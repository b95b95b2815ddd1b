import { inviteGuests, resendInvitation, revokeInvitation, type InvitationView } from '../../guest/invitations';
import { builder } from '../builder';
import { DateTime } from './scalars';

export const InvitationState = builder.enumType('InvitationState', {
  values: ['PENDING', 'ACCEPTED', 'REVOKED', 'EXPIRED'] as const,
  description: 'EXPIRED: still pending when its link expired.',
});

export const Invitation = builder.objectRef<InvitationView>('Invitation').implement({
  description: 'An invitation to an INVITED share: a mail with a link where the recipient sets a password.',
  fields: (t) => ({
    id: t.exposeID('id'),
    shareId: t.exposeID('shareId'),
    email: t.exposeString('email'),
    state: t.field({ type: InvitationState, resolve: (i) => i.state }),
    sentCount: t.exposeInt('sentCount', { description: 'Mails sent for it, the first included.' }),
    lastSentAt: t.field({ type: DateTime, resolve: (i) => i.lastSentAt }),
    expiresAt: t.field({ type: DateTime, resolve: (i) => i.expiresAt }),
    acceptedAt: t.field({ type: DateTime, nullable: true, resolve: (i) => i.acceptedAt }),
    revokedAt: t.field({ type: DateTime, nullable: true, resolve: (i) => i.revokedAt }),
    createdAt: t.field({ type: DateTime, resolve: (i) => i.createdAt }),
  }),
});

builder.mutationFields((t) => ({
  inviteGuests: t.field({
    type: [Invitation],
    description: 'Invites addresses to an INVITED share: they are added to its recipients, and each one not invited yet gets a mail with a link where they set a password.',
    authScopes: { 'shares:write': true },
    args: {
      shareId: t.arg.id({ required: true }),
      emails: t.arg.stringList({ required: true }),
      message: t.arg.string({ required: false, description: 'Added to the mail, as text.' }),
    },
    resolve: (_r, a, ctx) => inviteGuests(ctx.principal, a.shareId, a.emails, a.message ?? null),
  }),
  resendInvitation: t.field({
    type: Invitation,
    description: 'Sends a pending (or expired, never accepted) invitation again with a new link; the old link stops working.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => resendInvitation(ctx.principal, a.id),
  }),
  revokeInvitation: t.field({
    type: Invitation,
    description: 'Revokes an invitation: its link stops working, and an accepted one no longer lets its guest in, at once. Revoking again changes nothing.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => revokeInvitation(ctx.principal, a.id),
  }),
}));
