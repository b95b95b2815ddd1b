import { config } from '../../config';
import { AppError } from '../../errors';
import { archivePortal, createPortal, getPortal, listPortals, portalLogoUrl, removePortalLogo, updatePortal } from '../../portals/admin';
import { grantPortalAccess, listPortalGrants, revokePortalAccess, setPortalGrantCollaboration, type PortalGrantView } from '../../portals/grants';
import {
  addDocumentsToSection, createPortalSection, deletePortalSection, listPortalSections, listSectionDocuments, removeDocumentFromSection,
  renamePortalSection, reorderPortalSections,
} from '../../portals/sections';
import type { Portal as PortalRow, PortalSection as SectionRow } from '../../generated/prisma/client';
import type { Tlp as TlpValue } from '../../generated/prisma/enums';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageComplexity, pageSize } from '../connection';
import { Tlp } from './enums';
import { DateTime } from './scalars';
import { Permission, ShareStatus } from './shares';

/**
 * Portals, their sections and grants (staff side). The object refs are exported so other areas add
 * their own fields (Portal.domains, Portal.analytics) with builder.objectField(s) on them.
 */
export type PortalView = Omit<PortalRow, 'logo'>;
type SectionView = Pick<SectionRow, 'id' | 'name' | 'position' | 'portalId' | 'createdAt'> & { documents?: SectionDocumentView[] };
interface SectionDocumentView { id: string; title: string; addedAt: Date; latest: { tlp: TlpValue; fileName: string } | null }

const SectionDocument = builder.objectRef<SectionDocumentView>('PortalSectionDocument').implement({
  description: 'A document in a portal section. Query `document(id:)` for its versions (documents:read).',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    tlp: t.field({ type: Tlp, nullable: true, description: 'Marking of the latest version.', resolve: (d) => d.latest?.tlp ?? null }),
    addedAt: t.field({ type: DateTime, resolve: (d) => d.addedAt }),
  }),
});

export const PortalSection = builder.objectRef<SectionView>('PortalSection').implement({
  description: 'A folder of documents in a portal. Guests see the sections their grant covers.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    position: t.exposeInt('position', { description: 'Order on the portal, ascending.' }),
    portalId: t.exposeID('portalId'),
    createdAt: t.field({ type: DateTime, resolve: (s) => s.createdAt }),
    documents: t.field({
      type: [SectionDocument],
      resolve: (s, _a, ctx) => s.documents ?? listSectionDocuments(ctx.principal, s.id),
    }),
  }),
});

const PortalGrantPartner = builder.objectRef<{ id: string; name: string }>('PortalGrantPartner').implement({
  description: 'The partner organisation a grant names. Query `partnerOrgs` for its identity provider.',
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

export const PortalGrant = builder.objectRef<PortalGrantView>('PortalGrant').implement({
  description: 'Who may enter a portal, which sections they see and under which conditions (the same as a share\'s).',
  fields: (t) => ({
    id: t.exposeID('id'),
    portalId: t.exposeID('portalId'),
    status: t.field({ type: ShareStatus, resolve: (g) => g.status }),
    emails: t.exposeStringList('emails', { description: 'Lower-case addresses.' }),
    domains: t.exposeStringList('domains', { description: 'Email domains whose addresses may sign in with a code.' }),
    partnerOrgId: t.exposeID('partnerOrgId', { nullable: true }),
    partnerOrg: t.field({ type: PortalGrantPartner, nullable: true, resolve: (g) => g.partnerOrg }),
    groups: t.exposeStringList('groups', { description: 'SSO groups, as the partner\'s identity provider sends them.' }),
    allSections: t.exposeBoolean('allSections', { description: 'Every section of the portal, including sections added later.' }),
    sections: t.field({ type: [PortalSection], description: 'The sections covered when allSections is false.', resolve: (g) => g.sections }),
    permission: t.field({ type: Permission, resolve: (g) => g.permission }),
    allowDownload: t.exposeBoolean('allowDownload'),
    allowPrint: t.exposeBoolean('allowPrint'),
    watermark: t.exposeBoolean('watermark'),
    expiresAt: t.field({ type: DateTime, resolve: (g) => g.expiresAt }),
    termsVersionId: t.exposeID('termsVersionId', { nullable: true }),
    requireDevice: t.exposeBoolean('requireDevice', { description: 'Every request must prove possession of an approved device key.' }),
    showGuestPresence: t.exposeBoolean('showGuestPresence', { description: 'Guests of this grant see each other\'s presence (staff are always shown). Ignored while keepPartiesApart is on.' }),
    keepPartiesApart: t.exposeBoolean('keepPartiesApart', { description: 'Information barrier: the grant\'s guests never see each other\'s presence, comments or questions.' }),
    needToKnow: t.exposeString('needToKnow', { nullable: true, description: '28 CFR Part 23: the need-to-know and right-to-know statement for criminal intelligence in the sections covered.' }),
    allowedIpRanges: t.exposeStringList('allowedIpRanges'),
    allowedCountries: t.exposeStringList('allowedCountries'),
    allowedDevices: t.exposeStringList('allowedDevices', { description: 'Advisory device types (User-Agent), as on shares.' }),
    createdAt: t.field({ type: DateTime, resolve: (g) => g.createdAt }),
    revokedAt: t.field({ type: DateTime, nullable: true, resolve: (g) => g.revokedAt }),
    revokedReason: t.exposeString('revokedReason', { nullable: true }),
  }),
});

export const Portal = builder.objectRef<PortalView>('Portal').implement({
  description: 'A branded guest portal: served at /p/<slug> on the console host and on its verified custom domains.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    primaryColor: t.exposeString('primaryColor', { description: 'Header and button background, under white text.' }),
    accentColor: t.exposeString('accentColor', { description: 'Link colour, on white.' }),
    welcome: t.exposeString('welcome', { description: 'Plain text; render it as text.' }),
    footer: t.exposeString('footer', { description: 'Legal footer, plain text.' }),
    supportEmail: t.exposeString('supportEmail', { nullable: true }),
    logoUrl: t.string({
      nullable: true,
      description: 'Public address of the logo (PNG). Upload with POST /api/v1/portals/{id}/logo (multipart, field "file").',
      resolve: (p) => { const path = portalLogoUrl(p); return path ? `${config().publicUrl}${path}` : null; },
    }),
    url: t.string({ description: 'The portal on the console host.', resolve: (p) => `${config().publicUrl}/p/${p.slug}` }),
    archived: t.boolean({ resolve: (p) => p.archivedAt !== null }),
    archivedAt: t.field({ type: DateTime, nullable: true, resolve: (p) => p.archivedAt }),
    sections: t.field({ type: [PortalSection], resolve: (p, _a, ctx) => listPortalSections(ctx.principal, p.id) }),
    grants: t.field({ type: [PortalGrant], description: 'Newest first, revoked and expired included.', resolve: (p, _a, ctx) => listPortalGrants(ctx.principal, p.id) }),
    createdAt: t.field({ type: DateTime, resolve: (p) => p.createdAt }),
    updatedAt: t.field({ type: DateTime, resolve: (p) => p.updatedAt }),
  }),
});

const PortalConnection = connectionType('Portal', Portal);

const CreatePortalInput = builder.inputType('CreatePortalInput', {
  description: 'Colours must reach WCAG AA (4.5:1): white text on primaryColor, accentColor text on white.',
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Lower-case letters, digits and single hyphens, 3 to 48 characters; unique across the service; not a reserved word.' }),
    name: t.string({ required: true }),
    primaryColor: t.string({ description: 'Hex, e.g. #1f3a5f.' }),
    accentColor: t.string({ description: 'Hex, e.g. #b4471f.' }),
    welcome: t.string({ description: 'Up to 2,000 characters of plain text.' }),
    footer: t.string({ description: 'Legal footer, up to 4,000 characters of plain text.' }),
    supportEmail: t.string(),
  }),
});

const UpdatePortalInput = builder.inputType('UpdatePortalInput', {
  description: 'Omitted fields stay as they are. null clears supportEmail; any other null is refused.',
  fields: (t) => ({
    slug: t.string({ description: 'Changing it breaks links sent with the old one.' }),
    name: t.string(),
    primaryColor: t.string(),
    accentColor: t.string(),
    welcome: t.string(),
    footer: t.string(),
    supportEmail: t.string(),
  }),
});

const PortalGrantInput = builder.inputType('PortalGrantInput', {
  description: 'At least one of emails, domains, partnerOrgId or groups (groups need partnerOrgId). Omitted: view only, no download, no print, watermark on, the organisation\'s default expiry, every section.',
  fields: (t) => ({
    emails: t.stringList(),
    domains: t.stringList({ description: 'Email domains, e.g. counsel.example.' }),
    partnerOrgId: t.id(),
    groups: t.stringList({ description: 'SSO groups sent by the partner\'s identity provider.' }),
    sectionIds: t.idList({ description: 'Omitted or empty: every section, present and future.' }),
    permission: t.field({ type: Permission }),
    allowDownload: t.boolean(),
    allowPrint: t.boolean(),
    watermark: t.boolean(),
    expiresAt: t.field({ type: DateTime, description: 'In the future and within the organisation\'s maxShareDays.' }),
    termsVersionId: t.id(),
    requireDevice: t.boolean(),
    showGuestPresence: t.boolean({ description: 'Default false. The grant\'s guests see each other\'s presence.' }),
    keepPartiesApart: t.boolean({ description: 'Default false. Information barrier between the grant\'s guests.' }),
    allowedIpRanges: t.stringList({ description: 'Addresses or CIDR ranges.' }),
    allowedCountries: t.stringList({ description: 'ISO 3166-1 alpha-2 codes.' }),
    allowedDevices: t.stringList({ description: 'Advisory device types: desktop, mobile, tablet.' }),
    needToKnow: t.string({ description: 'Required when a covered section holds criminal intelligence (28 CFR Part 23); the grantees must then be of law-enforcement partners.' }),
  }),
});

const withoutNulls = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

function updateFromGraphql(input: Record<string, unknown>) {
  for (const [k, v] of Object.entries(input)) {
    if (v === null && k !== 'supportEmail') throw new AppError('validation_failed', `${k}: cannot be null; omit it to leave it unchanged.`);
  }
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

builder.queryFields((t) => ({
  portals: t.field({
    type: PortalConnection,
    description: 'Portals of your organisation, newest first (archived ones included unless includeArchived is false).',
    authScopes: { 'portals:read': true },
    args: { includeArchived: t.arg.boolean({ required: false }), ...pageArgs(t.arg, 100) },
    complexity: pageComplexity(50, 100),
    resolve: async (_r, a, ctx) => {
      const page = await listPortals(ctx.principal, { first: pageSize(a.first, 100), after: decodeIdCursor('portal', a.after), includeArchived: a.includeArchived ?? true });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (p) => encodeIdCursor('portal', p.id) };
    },
  }),
  portal: t.field({
    type: Portal,
    description: 'One portal. not_found when it is not in your organisation.',
    authScopes: { 'portals:read': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getPortal(ctx.principal, a.id),
  }),
}));

builder.mutationFields((t) => ({
  createPortal: t.field({
    type: Portal,
    authScopes: { 'portals:write': true },
    args: { input: t.arg({ type: CreatePortalInput, required: true }) },
    resolve: (_r, a, ctx) => createPortal(ctx.principal, withoutNulls(a.input)),
  }),
  updatePortal: t.field({
    type: Portal,
    description: 'Changes name, slug, colours or texts. An archived portal cannot change (conflict).',
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdatePortalInput, required: true }) },
    resolve: (_r, a, ctx) => updatePortal(ctx.principal, a.id, updateFromGraphql(a.input)),
  }),
  archivePortal: t.field({
    type: Portal,
    description: 'Takes the portal offline and ends every guest session on it.',
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => archivePortal(ctx.principal, a.id, true),
  }),
  restorePortal: t.field({
    type: Portal,
    description: 'Brings an archived portal back online.',
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => archivePortal(ctx.principal, a.id, false),
  }),
  removePortalLogo: t.field({
    type: Portal,
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => removePortalLogo(ctx.principal, a.id),
  }),
  createPortalSection: t.field({
    type: PortalSection,
    description: 'Adds a section at the end of the portal.',
    authScopes: { 'portals:write': true },
    args: { portalId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => createPortalSection(ctx.principal, a.portalId, a.name),
  }),
  renamePortalSection: t.field({
    type: PortalSection,
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => renamePortalSection(ctx.principal, a.id, a.name),
  }),
  reorderPortalSections: t.field({
    type: [PortalSection],
    description: 'sectionIds names every section of the portal once, in the new order.',
    authScopes: { 'portals:write': true },
    args: { portalId: t.arg.id({ required: true }), sectionIds: t.arg.idList({ required: true }) },
    resolve: async (_r, a, ctx) => {
      await reorderPortalSections(ctx.principal, a.portalId, a.sectionIds);
      return listPortalSections(ctx.principal, a.portalId);
    },
  }),
  deletePortalSection: t.field({
    type: 'ID',
    description: 'Deletes a section; its documents stay in the library. Returns the id.',
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, a, ctx) => (await deletePortalSection(ctx.principal, a.id)).id,
  }),
  addDocumentsToSection: t.field({
    type: PortalSection,
    description: 'Adds documents of your organisation; ones already in the section are left as they are.',
    authScopes: { 'portals:write': true },
    args: { sectionId: t.arg.id({ required: true }), documentIds: t.arg.idList({ required: true }) },
    resolve: (_r, a, ctx) => addDocumentsToSection(ctx.principal, a.sectionId, a.documentIds),
  }),
  removeDocumentFromSection: t.field({
    type: PortalSection,
    authScopes: { 'portals:write': true },
    args: { sectionId: t.arg.id({ required: true }), documentId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => removeDocumentFromSection(ctx.principal, a.sectionId, a.documentId),
  }),
  grantPortalAccess: t.field({
    type: PortalGrant,
    authScopes: { 'portals:write': true },
    args: { portalId: t.arg.id({ required: true }), input: t.arg({ type: PortalGrantInput, required: true }) },
    resolve: (_r, a, ctx) => grantPortalAccess(ctx.principal, a.portalId, withoutNulls(a.input)),
  }),
  revokePortalAccess: t.field({
    type: PortalGrant,
    description: 'Revokes a grant at once. Revoking again changes nothing.',
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => revokePortalAccess(ctx.principal, a.id, a.reason),
  }),
  setPortalGrantCollaboration: t.field({
    type: PortalGrant,
    description: 'Changes a grant\'s real-time flags: presence between its guests, and the information barrier. Omitted or null: unchanged.',
    authScopes: { 'portals:write': true },
    args: { id: t.arg.id({ required: true }), showGuestPresence: t.arg.boolean({ required: false }), keepPartiesApart: t.arg.boolean({ required: false }) },
    resolve: (_r, a, ctx) => setPortalGrantCollaboration(ctx.principal, a.id, withoutNulls({ showGuestPresence: a.showGuestPresence ?? undefined, keepPartiesApart: a.keepPartiesApart ?? undefined })),
  }),
}));
