import {
  disableGuest, enableGuest, getGuest, GUEST_KINDS, GUEST_STATES, listGuests, listGuestSessions, revokeGuestSession, revokeGuestSessions,
  type GuestSessionView, type GuestShareRef, type GuestView,
} from '../../guest/admin';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageComplexity, pageSize } from '../connection';
import { DateTime } from './scalars';

export const GuestKind = builder.enumType('GuestKind', {
  values: GUEST_KINDS,
  description: 'ANONYMOUS: opened a link; EMAIL_VERIFIED: proved an address with a one-time code; REGISTERED: accepted an invitation and set a password; FEDERATED: signed in through a partner organisation.',
});

export const GuestState = builder.enumType('GuestState', {
  values: GUEST_STATES,
  description: 'DISABLED wins over EXPIRED. A disabled or expired guest is refused on every share and portal.',
});

const GuestSessionState = builder.enumType('GuestSessionState', {
  values: ['ACTIVE', 'REVOKED', 'EXPIRED', 'ENDED'] as const,
  description: 'ENDED: no longer valid because its share, password or guest moved on (revoked, changed, disabled).',
});

const GuestPartnerOrg = builder.objectRef<{ id: string; name: string }>('GuestPartnerOrg').implement({
  description: 'The partner organisation a federated guest signs in through. Query `partnerOrgs` for its details.',
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

const GuestShare = builder.objectRef<GuestShareRef>('GuestShare').implement({
  description: 'A share the guest opened or was invited to. Query `share(id:)` for the rest.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title', { description: 'Its first document\'s title, and how many more.' }),
    documentCount: t.exposeInt('documentCount'),
    revoked: t.boolean({ resolve: (s) => s.state === 'REVOKED' }),
    expiresAt: t.field({ type: DateTime, resolve: (s) => s.expiresAt }),
  }),
});

export const GuestSession = builder.objectRef<GuestSessionView>('GuestSession').implement({
  description: 'A guest session on a share. Ending it refuses its token on the next request, on every path.',
  fields: (t) => ({
    id: t.exposeID('id'),
    guestId: t.exposeID('guestId'),
    shareId: t.exposeID('shareId', { nullable: true }),
    shareTitle: t.exposeString('shareTitle', { nullable: true }),
    ip: t.exposeString('ip'),
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166-1 alpha-2, when known.' }),
    device: t.exposeString('device', { nullable: true, description: 'desktop, mobile or tablet, as the browser reported itself.' }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    browser: t.string({ description: 'e.g. "Chrome 131 on macOS 10.15", from the user agent.', resolve: (s) => s.browser.label }),
    authMethod: t.exposeString('authMethod', { description: 'link, code, password or sso.' }),
    createdAt: t.field({ type: DateTime, resolve: (s) => s.createdAt }),
    lastSeenAt: t.field({ type: DateTime, resolve: (s) => s.lastSeenAt }),
    expiresAt: t.field({ type: DateTime, resolve: (s) => s.expiresAt }),
    revokedAt: t.field({ type: DateTime, nullable: true, resolve: (s) => s.revokedAt }),
    state: t.field({ type: GuestSessionState, resolve: (s) => s.state }),
  }),
});

export const Guest = builder.objectRef<GuestView>('Guest').implement({
  description: 'Someone outside the organisation who opened a share or was invited to one.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email', { nullable: true, description: 'null for anonymous link guests.' }),
    displayName: t.exposeString('displayName', { nullable: true }),
    kind: t.field({ type: GuestKind, resolve: (g) => g.kind }),
    state: t.field({ type: GuestState, resolve: (g) => g.state }),
    partnerOrg: t.field({ type: GuestPartnerOrg, nullable: true, resolve: (g) => g.partnerOrg }),
    groups: t.exposeStringList('groups', { description: 'Groups from the partner\'s identity provider.' }),
    createdAt: t.field({ type: DateTime, resolve: (g) => g.createdAt }),
    lastSeenAt: t.field({ type: DateTime, nullable: true, resolve: (g) => g.lastSeenAt }),
    expiresAt: t.field({ type: DateTime, nullable: true, resolve: (g) => g.expiresAt }),
    disabledAt: t.field({ type: DateTime, nullable: true, resolve: (g) => g.disabledAt }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'As typed; render it as text.' }),
    liveSessionCount: t.exposeInt('liveSessionCount'),
    shares: t.field({ type: [GuestShare], resolve: (g) => g.shares }),
    sessions: t.field({
      type: [GuestSession],
      description: 'Newest first, at most 200.',
      complexity: { field: 1, multiplier: 20 },
      resolve: (g, _a, ctx) => listGuestSessions(ctx.principal, g.id),
    }),
  }),
});

const GuestConnection = connectionType('Guest', Guest, { totalCount: true });

const RevokeGuestSessionsPayload = builder.objectRef<{ guest: GuestView; revokedCount: number }>('RevokeGuestSessionsPayload').implement({
  fields: (t) => ({
    guest: t.field({ type: Guest, resolve: (r) => r.guest }),
    revokedCount: t.exposeInt('revokedCount', { description: 'Live sessions ended by this call.' }),
  }),
});

// Reading guests: admins and auditors see all of the organisation's, members those of their own shares.
const readers = { 'shares:read': true, 'audit:read': true, admin: true } as const;

builder.queryFields((t) => ({
  guests: t.field({
    type: GuestConnection,
    description: 'Guests you may see, newest first. Admins and auditors: every guest of the organisation; members: guests of shares they created. `q` matches email, name, partner organisation or an exact id; `shareId` keeps the guests of one share.',
    authScopes: readers,
    args: {
      q: t.arg.string({ required: false }),
      kind: t.arg({ type: GuestKind, required: false }),
      state: t.arg({ type: GuestState, required: false }),
      shareId: t.arg.id({ required: false, description: 'Guests who opened, or were invited to, this share.' }),
      ...pageArgs(t.arg, 100),
    },
    complexity: pageComplexity(25, 100),
    resolve: async (_r, a, ctx) => {
      const page = await listGuests(ctx.principal, {
        q: a.q ?? undefined, kind: a.kind ?? undefined, state: a.state ?? undefined, shareId: a.shareId ?? undefined,
        first: pageSize(a.first, 100), after: decodeIdCursor('guest', a.after),
      });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (g) => encodeIdCursor('guest', g.id), totalCount: page.totalCount };
    },
  }),
  guest: t.field({
    type: Guest,
    description: 'One guest. not_found when you may not see it or it is not in your organisation.',
    authScopes: readers,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getGuest(ctx.principal, a.id),
  }),
}));

builder.mutationFields((t) => ({
  revokeGuestSession: t.field({
    type: GuestSession,
    description: 'Ends one guest session at once. Admins: any; members: sessions on shares they created. Ending an ended session changes nothing.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => revokeGuestSession(ctx.principal, a.id),
  }),
  revokeGuestSessions: t.field({
    type: RevokeGuestSessionsPayload,
    description: 'Ends every session of a guest at once (admins: on every share and portal; members: on shares they created).',
    authScopes: { 'shares:write': true },
    args: { guestId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => revokeGuestSessions(ctx.principal, a.guestId),
  }),
  disableGuest: t.field({
    type: Guest,
    description: 'Disables a guest: every session ends now and no share or portal lets them in until enabled again. Admins, or the owner of all of the guest\'s shares.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: false, description: 'Up to 500 characters, kept with the guest and in the audit trail.' }) },
    resolve: (_r, a, ctx) => disableGuest(ctx.principal, a.id, a.reason),
  }),
  enableGuest: t.field({
    type: Guest,
    description: 'Lets a disabled guest in again; their ended sessions stay ended.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => enableGuest(ctx.principal, a.id),
  }),
}));
