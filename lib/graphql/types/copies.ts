import { formatCopyCode } from '../../copies/code';
import { traceCopies, type CustodyChain, type TracedCode, type TraceResult } from '../../copies/trace';
import { builder } from '../builder';
import { DateTime } from './scalars';

type Grant = CustodyChain['grant'];
type PortalGrantRef = Extract<Grant, { kind: 'portal' }>['grants'][number];

const CopyGrantPortalGrant = builder.objectRef<PortalGrantRef>('CopyPortalGrant').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    exists: t.exposeBoolean('exists', { description: 'False when the grant has been deleted since.' }),
    state: t.exposeString('state', { nullable: true }),
  }),
});

const CopyGrant = builder.objectRef<Grant>('CopyGrant').implement({
  description: 'How the guest came by the copy: a share link, or a portal and the grants that allowed the release.',
  fields: (t) => ({
    kind: t.string({ description: '"share" or "portal".', resolve: (g) => g.kind }),
    shareId: t.id({ nullable: true, resolve: (g) => (g.kind === 'share' ? g.shareId : null) }),
    shareState: t.string({ nullable: true, resolve: (g) => (g.kind === 'share' ? g.state : null) }),
    shareCreatedBy: t.string({ nullable: true, resolve: (g) => (g.kind === 'share' ? g.createdBy : null) }),
    portalId: t.id({ nullable: true, resolve: (g) => (g.kind === 'portal' ? g.portalId : null) }),
    portalName: t.string({ nullable: true, resolve: (g) => (g.kind === 'portal' ? g.portalName : null) }),
    portalSlug: t.string({ nullable: true, resolve: (g) => (g.kind === 'portal' ? g.portalSlug : null) }),
    portalGrants: t.field({ type: [CopyGrantPortalGrant], resolve: (g) => (g.kind === 'portal' ? g.grants : []) }),
  }),
});

const CopyEvent = builder.objectRef<CustodyChain['events'][number]>('CopyAuditEvent').implement({
  fields: (t) => ({
    id: t.exposeID('id'), seq: t.exposeInt('seq'), at: t.field({ type: DateTime, resolve: (e) => e.at }),
    type: t.exposeString('type'), actor: t.exposeString('actor'), ip: t.exposeString('ip', { nullable: true }), hash: t.exposeString('hash'),
  }),
});

const CustodyChainRef = builder.objectRef<CustodyChain>('CopyCustodyChain').implement({
  description: 'Who received this copy, through what, from where, when, and which version.',
  fields: (t) => ({
    kind: t.string({ description: '"download" or "page_image".', resolve: (c) => c.copy.kind }),
    page: t.int({ nullable: true, resolve: (c) => c.copy.page }),
    releasedAt: t.field({ type: DateTime, resolve: (c) => c.copy.releasedAt }),
    lastReleasedAt: t.field({ type: DateTime, resolve: (c) => c.copy.lastReleasedAt }),
    releases: t.int({ description: 'How many times this page was fetched on the session (1 for a download).', resolve: (c) => c.copy.releases }),
    ip: t.string({ nullable: true, resolve: (c) => c.copy.ip }),
    lastIp: t.string({ nullable: true, resolve: (c) => c.copy.lastIp }),
    userAgent: t.string({ nullable: true, resolve: (c) => c.copy.userAgent }),
    watermarked: t.boolean({ resolve: (c) => c.copy.watermarked }),
    codeEmbedded: t.boolean({ description: 'False when the released bytes do not carry the code (an original released as stored).', resolve: (c) => c.copy.codeEmbedded }),
    documentId: t.id({ resolve: (c) => c.document.id }),
    documentTitle: t.string({ resolve: (c) => c.document.title }),
    versionId: t.id({ resolve: (c) => c.document.versionId }),
    versionNumber: t.int({ resolve: (c) => c.document.versionNumber }),
    grant: t.field({ type: CopyGrant, resolve: (c) => c.grant }),
    guestId: t.id({ nullable: true, resolve: (c) => c.guest.id }),
    guestEmail: t.string({ nullable: true, resolve: (c) => c.guest.email }),
    guestIdentity: t.string({ description: 'The recipient as the watermark names them.', resolve: (c) => c.guest.identity }),
    sessionId: t.id({ resolve: (c) => c.session.id }),
    sessionOpenedAt: t.field({ type: DateTime, nullable: true, resolve: (c) => c.session.openedAt }),
    sessionOpenedFromIp: t.string({ nullable: true, resolve: (c) => c.session.openedFromIp }),
    sessionAuthMethod: t.string({ nullable: true, resolve: (c) => c.session.authMethod }),
    events: t.field({ type: [CopyEvent], description: 'Audit events that name this copy.', resolve: (c) => c.events }),
  }),
});

const TracedCopy = builder.objectRef<TracedCode>('TracedCopy').implement({
  fields: (t) => ({
    code: t.string({ description: 'XXXXX-XXXXX', resolve: (r) => formatCopyCode(r.code) }),
    source: t.string({ description: 'typed, pdf_text, pdf_metadata, image_metadata or office_metadata.', resolve: (r) => r.source }),
    found: t.boolean({ description: 'False for a code unknown here (codes of other organisations included).', resolve: (r) => r.found }),
    chain: t.field({ type: CustodyChainRef, nullable: true, resolve: (r) => (r.found ? r.chain : null) }),
  }),
});

const CopyTrace = builder.objectRef<TraceResult>('CopyTrace').implement({
  fields: (t) => ({
    invalidCode: t.exposeBoolean('invalidCode', { description: 'The code typed is not a well-formed copy code (length, letters or check character).' }),
    results: t.field({ type: [TracedCopy], resolve: (r) => r.results }),
  }),
});

// A mutation, not a query: each trace writes an audit event, and a query can come as a GET that a
// cross-site link makes with the console cookie (mutations from the cookie must carry our Origin).
builder.mutationFields((t) => ({
  traceCopy: t.field({
    type: CopyTrace,
    description: 'Trace a leak by its copy code (from a watermark or file metadata): the chain of custody of that copy. Admins and auditors; audited as copy.trace. Leaked files are traced with POST /api/v1/copies/trace.',
    authScopes: { 'audit:read': true },
    args: { code: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => traceCopies(ctx.principal, { code: a.code }),
  }),
}));
