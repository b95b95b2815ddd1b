import { createShare, getShare, listShares, revokeShare, updateShare } from '../../shares/service';
import { shareRelations, type ShareRelations } from '../../shares/relations';
import type { ShareStatus as ShareStatusValue } from '../../shares/status';
import { Permission as PermissionValues, ShareAudience as ShareAudienceValues } from '../../generated/prisma/enums';
import { listInvitations } from '../../guest/invitations';
import type { Share as ShareRow } from '../../generated/prisma/client';
import type { Principal } from '../../auth/principal';
import { AppError } from '../../errors';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageComplexity, pageSize } from '../connection';
import { DateTime } from './scalars';
import { StaffRef } from './staff-ref';
import { auditConnection, AuditEventConnection } from './audit';
import { Invitation } from './invitations';

/**
 * A share row with its status, and its relations when the domain call loaded them (listShares,
 * getShare); mutations return the bare row and the relations load on demand. `url` is set only in
 * the createShare payload: the database keeps a hash of the link secret, never the secret.
 */
type ShareView = ShareRow & { status: ShareStatusValue; url?: string } & Partial<ShareRelations>;

export const Permission = builder.enumType(PermissionValues, { name: 'Permission', description: 'What a guest may do with the shared documents.' });

export const ShareAudience = builder.enumType(ShareAudienceValues, {
  name: 'ShareAudience',
  description: 'Who may open the link. ANYONE_WITH_LINK (default): whoever has it. VERIFIED_EMAIL: recipients and addresses in allowedDomains, after a one-time code sent to their address. INVITED: only recipients who accepted their invitation and set a password.',
});

const STATUSES: { [K in ShareStatusValue]: K } = { ACTIVE: 'ACTIVE', EXPIRED: 'EXPIRED', REVOKED: 'REVOKED' };
export const ShareStatus = builder.enumType(STATUSES, {
  name: 'ShareStatus',
  description: 'REVOKED wins over EXPIRED; a share is EXPIRED from expiresAt exactly.',
});

const ShareDocument = builder.objectRef<{ id: string; title: string }>('ShareDocument').implement({
  description: 'A document covered by a share. Query `document(id:)` for its versions (documents:read).',
  fields: (t) => ({ id: t.exposeID('id'), title: t.exposeString('title') }),
});

const TermsVersionRef = builder.objectRef<{ id: string; version: number; title: string }>('TermsVersionRef').implement({
  description: 'The terms version a guest must accept. Query `terms` for its text.',
  fields: (t) => ({ id: t.exposeID('id'), version: t.exposeInt('version'), title: t.exposeString('title') }),
});

// One load per share object however many relation fields the query asks for.
const loaded = new WeakMap<ShareView, Promise<ShareRelations>>();
function relation<K extends keyof ShareRelations>(s: ShareView, p: Principal, key: K): ShareRelations[K] | Promise<ShareRelations[K]> {
  const own = s[key];
  if (own !== undefined) return own as ShareRelations[K];
  let all = loaded.get(s);
  if (!all) loaded.set(s, (all = shareRelations(p, s.id)));
  return all.then((r) => r[key]);
}

export const Share = builder.objectRef<ShareView>('Share').implement({
  description: 'A link to one or more documents, under conditions.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: ShareStatus, resolve: (s) => s.status }),
    url: t.string({
      nullable: true,
      description: 'The full link a guest opens. Only in the createShare payload: it carries the secret, which is not stored.',
      resolve: (s) => s.url ?? null,
    }),
    expiresAt: t.field({ type: DateTime, resolve: (s) => s.expiresAt }),
    lastAccessAt: t.field({ type: DateTime, nullable: true, resolve: (s) => s.lastAccessAt }),
    accessCount: t.exposeInt('accessCount', { description: 'Guest sessions opened plus documents viewed or downloaded.' }),
    permission: t.field({ type: Permission, resolve: (s) => s.permission }),
    audience: t.field({ type: ShareAudience, resolve: (s) => s.audience }),
    allowedDomains: t.exposeStringList('allowedDomains', { description: 'Lower-case email domains whose addresses may prove themselves with a code (VERIFIED_EMAIL), besides the recipients.' }),
    invitations: t.field({
      type: [Invitation],
      description: 'Invitations sent for this share (INVITED), newest first.',
      complexity: { field: 1, multiplier: 10 },
      resolve: (s, _a, ctx) => listInvitations(ctx.principal, s.id),
    }),
    allowDownload: t.exposeBoolean('allowDownload'),
    allowPrint: t.exposeBoolean('allowPrint'),
    watermark: t.exposeBoolean('watermark'),
    hasPassword: t.boolean({ resolve: (s) => s.passwordHash !== null }),
    termsVersion: t.field({ type: TermsVersionRef, nullable: true, resolve: (s, _a, ctx) => relation(s, ctx.principal, 'termsVersion') }),
    allowedIpRanges: t.exposeStringList('allowedIpRanges', { description: 'CIDR ranges, normalised. Empty: any address.' }),
    allowedCountries: t.exposeStringList('allowedCountries', { description: 'ISO 3166-1 alpha-2 codes. Empty: any country.' }),
    allowedDevices: t.exposeStringList('allowedDevices', { description: 'Device types (advisory): desktop, mobile, tablet, as the browser reports itself in its User-Agent, which anyone can change. A guard against opening a share on the wrong kind of device by accident, not a security boundary. Empty: any device.' }),
    requireDevice: t.exposeBoolean('requireDevice', { description: 'Every guest request needs a proof of possession (DPoP header) of an approved device key. See `devices`.' }),
    showGuestPresence: t.exposeBoolean('showGuestPresence', { description: 'Guests of this share see who else of its guests is viewing (staff are always shown). Ignored while keepPartiesApart is on.' }),
    keepPartiesApart: t.exposeBoolean('keepPartiesApart', { description: 'Information barrier: its guests never see each other\'s presence, comments or questions; only staff\'s and their own.' }),
    needToKnow: t.exposeString('needToKnow', { nullable: true, description: '28 CFR Part 23: the need-to-know and right-to-know statement under which criminal intelligence in this share is released.' }),
    recipients: t.stringList({
      description: 'Email addresses, lower-cased.',
      resolve: async (s, _a, ctx) => (await relation(s, ctx.principal, 'recipients')).map((r) => r.email),
    }),
    message: t.exposeString('message', { nullable: true, description: 'As typed; render it as text.' }),
    createdAt: t.field({ type: DateTime, resolve: (s) => s.createdAt }),
    updatedAt: t.field({ type: DateTime, resolve: (s) => s.updatedAt }),
    revokedAt: t.field({ type: DateTime, nullable: true, resolve: (s) => s.revokedAt }),
    revokedReason: t.exposeString('revokedReason', { nullable: true }),
    createdBy: t.field({
      type: StaffRef,
      nullable: true,
      description: 'null when an API key created the share (see the share.create event).',
      resolve: (s, _a, ctx) => relation(s, ctx.principal, 'createdBy'),
    }),
    documents: t.field({
      type: [ShareDocument],
      resolve: async (s, _a, ctx) => (await relation(s, ctx.principal, 'documents')).map((d) => d.document),
    }),
    accessLog: t.field({
      type: AuditEventConnection,
      description: "This share's audit events (creation, changes, guest sessions, views, downloads, refusals), newest first. Needs shares:read.",
      args: pageArgs(t.arg, 200),
      complexity: pageComplexity(50, 200),
      resolve: (s, a, ctx) => auditConnection(ctx.principal, { shareId: s.id, first: pageSize(a.first, 200), after: a.after ?? undefined }),
    }),
  }),
});

const ShareConnection = connectionType('Share', Share);

const CreateShareInput = builder.inputType('CreateShareInput', {
  description: 'Omitted or null fields take the secure defaults: no download, no print, watermark on, the organisation\'s default expiry.',
  fields: (t) => ({
    documentIds: t.idList({ required: true }),
    permission: t.field({ type: Permission, defaultValue: 'VIEW' }),
    audience: t.field({ type: ShareAudience, description: 'Default ANYONE_WITH_LINK. INVITED sends each recipient an invitation.' }),
    allowedDomains: t.stringList({ description: 'Email domains, e.g. partner.example, whose addresses may get a code (VERIFIED_EMAIL).' }),
    allowDownload: t.boolean(),
    allowPrint: t.boolean(),
    watermark: t.boolean(),
    expiresAt: t.field({ type: DateTime, description: 'In the future and within the organisation\'s maxShareDays.' }),
    password: t.string({ description: 'At least 8 characters.' }),
    termsVersionId: t.id({ description: 'Terms the guest must accept first.' }),
    allowedIpRanges: t.stringList({ description: 'Addresses or CIDR ranges, e.g. 203.0.113.0/24.' }),
    allowedCountries: t.stringList({ description: 'ISO 3166-1 alpha-2 codes.' }),
    allowedDevices: t.stringList({ description: 'Device types (advisory): desktop, mobile, tablet, matched against the User-Agent the browser reports. Not a security boundary.' }),
    requireDevice: t.boolean({ description: 'Default false. True: every guest request must prove possession of an approved device key (the first device of a guest is approved on first use; later ones by an owner or admin).' }),
    showGuestPresence: t.boolean({ description: 'Default false. Guests see each other\'s presence.' }),
    keepPartiesApart: t.boolean({ description: 'Default false. Information barrier between the share\'s guests (presence, comments, questions).' }),
    recipients: t.stringList({ description: 'Email addresses.' }),
    message: t.string({ description: 'Shown to the guest as text.' }),
    needToKnow: t.string({ description: 'Required to share criminal intelligence (28 CFR Part 23): why the recipients need and have a right to it. Recipients must then all be of law-enforcement partners.' }),
  }),
});

// Fields a share cannot do without: null would not mean "clear", so it is refused rather than guessed.
const NOT_NULLABLE = ['permission', 'audience', 'allowedDomains', 'allowDownload', 'allowPrint', 'watermark', 'expiresAt', 'allowedIpRanges', 'allowedCountries', 'allowedDevices', 'requireDevice', 'showGuestPresence', 'keepPartiesApart', 'recipients'] as const;

const UpdateShareInput = builder.inputType('UpdateShareInput', {
  description: 'Omitted fields stay as they are. null clears `password`, `termsVersionId` and `message`; lists are cleared with []. Any other null is refused.',
  fields: (t) => ({
    permission: t.field({ type: Permission }),
    audience: t.field({ type: ShareAudience }),
    allowedDomains: t.stringList({ description: 'Replaces the whole list.' }),
    allowDownload: t.boolean(),
    allowPrint: t.boolean(),
    watermark: t.boolean(),
    expiresAt: t.field({ type: DateTime, description: 'Extend or shorten; must stay in the future and within maxShareDays.' }),
    password: t.string({ description: 'A new password ends the sessions opened with the old one; null removes it (and ends them too).' }),
    termsVersionId: t.id({ description: 'null detaches the terms.' }),
    allowedIpRanges: t.stringList(),
    allowedCountries: t.stringList(),
    allowedDevices: t.stringList({ description: 'Device types (advisory), as in CreateShareInput.' }),
    requireDevice: t.boolean({ description: 'Require an approved device key, as in CreateShareInput.' }),
    showGuestPresence: t.boolean(),
    keepPartiesApart: t.boolean(),
    recipients: t.stringList({ description: 'Replaces the whole list.' }),
    message: t.string({ description: 'null clears it.' }),
    needToKnow: t.string({ description: 'The need-to-know statement; null clears it (refused while the share holds criminal intelligence).' }),
  }),
});

/** At creation null means "not given", so the domain's defaults apply. */
const withoutNulls = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

function updateFromGraphql(input: Record<string, unknown>) {
  for (const k of NOT_NULLABLE) {
    if (input[k] === null) throw new AppError('validation_failed', `${k}: cannot be null; omit it to leave it unchanged.`);
  }
  // GraphQL gives omitted fields as absent keys: they stay absent, so the domain changes nothing there.
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

const CreateSharePayload = builder.objectRef<{ share: ShareView }>('CreateSharePayload').implement({
  fields: (t) => ({
    share: t.field({ type: Share, description: '`share.url` is the link, shown here only, once.', resolve: (r) => r.share }),
  }),
});

builder.queryFields((t) => ({
  shares: t.field({
    type: ShareConnection,
    description: 'Shares of your organisation, newest first. `q` searches recipients, document titles and messages.',
    authScopes: { 'shares:read': true },
    args: {
      status: t.arg({ type: ShareStatus, required: false }),
      q: t.arg.string({ required: false }),
      documentId: t.arg.id({ required: false, description: 'Shares covering this document.' }),
      ...pageArgs(t.arg, 100),
    },
    complexity: pageComplexity(25, 100),
    resolve: async (_r, a, ctx) => {
      const page = await listShares(ctx.principal, {
        status: a.status ?? undefined, q: a.q ?? undefined, documentId: a.documentId ?? undefined,
        first: pageSize(a.first, 100), after: decodeIdCursor('share', a.after),
      });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (s) => encodeIdCursor('share', s.id) };
    },
  }),
  share: t.field({
    type: Share,
    description: 'One share. not_found when it is not in your organisation.',
    authScopes: { 'shares:read': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getShare(ctx.principal, a.id),
  }),
}));

builder.mutationFields((t) => ({
  createShare: t.field({
    type: CreateSharePayload,
    description: 'Creates a share and returns its link. Password and terms are checked before anything is written: a share is never live without them.',
    authScopes: { 'shares:write': true },
    args: { input: t.arg({ type: CreateShareInput, required: true }) },
    resolve: async (_r, a, ctx) => {
      const created = await createShare(ctx.principal, withoutNulls(a.input));
      return { share: { ...created.share, url: created.url } };
    },
  }),
  updateShare: t.field({
    type: Share,
    description: 'Changes a share. A changed or removed password ends the sessions opened before it. A revoked share cannot change (conflict).',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateShareInput, required: true }) },
    resolve: (_r, a, ctx) => updateShare(ctx.principal, a.id, updateFromGraphql(a.input)),
  }),
  revokeShare: t.field({
    type: Share,
    description: 'Revokes a share at once: every open guest session is refused from now on. Revoking again changes nothing.',
    authScopes: { 'shares:write': true },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => revokeShare(ctx.principal, a.id, a.reason),
  }),
}));
