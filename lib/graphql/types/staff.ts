import { createStaffUser, getStaffUser, listStaffUsers, resetStaffPassword, updateStaffUser, type IssuedPassword, type StaffUserView } from '../../staff/users';
import { endStaffSession, endStaffSessions, listOwnSessions, listStaffSessions, type StaffSessionView } from '../../staff/sessions';
import { AppError } from '../../errors';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageSize } from '../connection';
import { DateTime } from './scalars';
import { StaffRole } from './enums';

export const StaffUser = builder.objectRef<StaffUserView>('StaffUser').implement({
  description: 'A staff member of your organisation (admins).',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    role: t.field({ type: StaffRole, resolve: (u) => u.role }),
    disabled: t.boolean({ resolve: (u) => u.disabledAt !== null }),
    disabledAt: t.field({ type: DateTime, nullable: true, resolve: (u) => u.disabledAt }),
    mustChangePassword: t.exposeBoolean('mustChangePassword', { description: 'Still on a one-time password: their sessions grant nothing until they choose their own.' }),
    lastSignInAt: t.field({ type: DateTime, nullable: true, resolve: (u) => u.lastSignInAt }),
    createdAt: t.field({ type: DateTime, resolve: (u) => u.createdAt }),
    activeSessions: t.exposeInt('activeSessions', { description: 'Live console sessions (not ended, not expired).' }),
  }),
});

const StaffSessionUser = builder.objectRef<StaffSessionView['user']>('StaffSessionUser').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
  }),
});

export const StaffSession = builder.objectRef<StaffSessionView>('StaffSession').implement({
  description: 'A signed-in console session. It ends on sign-out, password or role change, disabling, or when ended here.',
  fields: (t) => ({
    id: t.exposeID('id'),
    user: t.field({ type: StaffSessionUser, resolve: (s) => s.user }),
    ip: t.exposeString('ip', { nullable: true, description: 'Client address at sign-in.' }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    browser: t.string({ nullable: true, description: 'e.g. "Chrome 131", from the user agent.', resolve: (s) => s.device.browser }),
    os: t.string({ nullable: true, description: 'e.g. "macOS 10.15", from the user agent.', resolve: (s) => s.device.os }),
    device: t.string({ description: 'desktop, mobile or tablet.', resolve: (s) => s.device.device }),
    createdAt: t.field({ type: DateTime, description: 'Sign-in time.', resolve: (s) => s.createdAt }),
    lastSeenAt: t.field({ type: DateTime, description: 'Last request, to the minute.', resolve: (s) => s.lastSeenAt }),
    expiresAt: t.field({ type: DateTime, resolve: (s) => s.expiresAt }),
    endedAt: t.field({ type: DateTime, nullable: true, resolve: (s) => s.endedAt }),
    endedReason: t.exposeString('endedReason', { nullable: true, description: 'signed_out, password_changed, password_reset, role_changed, disabled, ended_by_admin or ended_by_user.' }),
    active: t.exposeBoolean('active'),
    current: t.exposeBoolean('current', { description: 'The session this request came with.' }),
  }),
});

const StaffUserConnection = connectionType('StaffUser', StaffUser);
const StaffSessionConnection = connectionType('StaffSession', StaffSession);

const StaffUserState = builder.enumType('StaffUserState', { values: ['ACTIVE', 'DISABLED'] as const });

const CreateStaffUserInput = builder.inputType('CreateStaffUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    name: t.string({ required: true }),
    role: t.field({ type: StaffRole, defaultValue: 'MEMBER' }),
  }),
});

const UpdateStaffUserInput = builder.inputType('UpdateStaffUserInput', {
  description: 'Omitted fields stay as they are. The last active administrator can be neither demoted nor disabled (conflict).',
  fields: (t) => ({
    role: t.field({ type: StaffRole, description: 'A change ends the user\'s console sessions.' }),
    disabled: t.boolean({ description: 'true ends all the user\'s console sessions at once; false re-enables.' }),
  }),
});

const IssuedPasswordPayload = builder.objectRef<IssuedPassword>('StaffUserWithPassword').implement({
  fields: (t) => ({
    user: t.field({ type: StaffUser, resolve: (r) => r.user }),
    oneTimePassword: t.exposeString('oneTimePassword', { description: 'Shown only here, once. Its owner must replace it at first sign-in.' }),
  }),
});

const EndStaffSessionsPayload = builder.objectRef<{ endedCount: number }>('EndStaffSessionsPayload').implement({
  fields: (t) => ({ endedCount: t.exposeInt('endedCount') }),
});

const noNull = <T>(v: T | null | undefined, field: string): T | undefined => {
  if (v === null) throw new AppError('validation_failed', `${field}: cannot be null; omit it to leave it unchanged.`);
  return v;
};

builder.queryFields((t) => ({
  staffUsers: t.field({
    type: StaffUserConnection,
    description: 'Staff of your organisation, by name. `q` searches names and email addresses.',
    authScopes: { admin: true },
    args: { q: t.arg.string({ required: false }), state: t.arg({ type: StaffUserState, required: false }), ...pageArgs(t.arg, 200) },
    resolve: async (_r, a, ctx) => {
      const page = await listStaffUsers(ctx.principal, {
        q: a.q ?? undefined, state: a.state ? (a.state === 'ACTIVE' ? 'active' : 'disabled') : undefined,
        first: pageSize(a.first, 200), after: decodeIdCursor('staff', a.after),
      });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (u) => encodeIdCursor('staff', u.id) };
    },
  }),
  staffUser: t.field({
    type: StaffUser,
    description: 'One staff member. not_found when they are not in your organisation.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getStaffUser(ctx.principal, a.id),
  }),
  staffSessions: t.field({
    type: StaffSessionConnection,
    description: 'Live console sessions of your organisation, newest first; `userId` narrows to one person.',
    authScopes: { admin: true },
    args: { userId: t.arg.id({ required: false }), ...pageArgs(t.arg, 200) },
    resolve: async (_r, a, ctx) => {
      const page = await listStaffSessions(ctx.principal, { userId: a.userId ?? undefined, first: pageSize(a.first, 200), after: decodeIdCursor('staffsession', a.after) });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (s) => encodeIdCursor('staffsession', s.id) };
    },
  }),
  mySessions: t.field({
    type: [StaffSession],
    description: 'Your own live console sessions (signed-in staff only; an API key has none).',
    resolve: (_r, _a, ctx) => listOwnSessions(ctx.principal),
  }),
}));

builder.mutationFields((t) => ({
  createStaffUser: t.field({
    type: IssuedPasswordPayload,
    description: 'Creates a staff account with a one-time password, returned once.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateStaffUserInput, required: true }) },
    resolve: (_r, a, ctx) => createStaffUser(ctx.principal, { email: a.input.email, name: a.input.name, role: a.input.role ?? undefined }),
  }),
  updateStaffUser: t.field({
    type: StaffUser,
    description: 'Changes a role and/or disables or re-enables a staff member; either ends their sessions.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateStaffUserInput, required: true }) },
    resolve: (_r, a, ctx) => updateStaffUser(ctx.principal, a.id, { role: noNull(a.input.role, 'role'), disabled: noNull(a.input.disabled, 'disabled') }),
  }),
  resetStaffPassword: t.field({
    type: IssuedPasswordPayload,
    description: 'Issues a new one-time password for someone else and ends all their sessions.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => resetStaffPassword(ctx.principal, a.id),
  }),
  endStaffSession: t.field({
    type: StaffSession,
    description: 'Ends a console session at once. Admins: any of your organisation; anyone: their own.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => endStaffSession(ctx.principal, a.id),
  }),
  endStaffSessions: t.field({
    type: EndStaffSessionsPayload,
    description: 'Ends every live session of a user (admins; or yourself). The session making this request is kept.',
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => endStaffSessions(ctx.principal, a.userId),
  }),
}));
