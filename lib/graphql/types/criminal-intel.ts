import { getCriminalIntel, listCriminalIntel, markCriminalIntel, revalidateCriminalIntel, unmarkCriminalIntel } from '../../cfr/records';
import { purgeCriminalIntel } from '../../cfr/purge';
import { listReleases } from '../../cfr/dissemination';
import { RELIABILITY, VALIDITY } from '../../cfr/input';
import { builder } from '../builder';
import { DateTime, Json } from './scalars';

/*
 * 28 CFR Part 23 criminal intelligence (docs/CRIMINAL-INTELLIGENCE.md). The same lib/cfr functions as the
 * console, with the same scopes: marking needs documents:write, the list and the dissemination log
 * audit:read, re-validation, purge and unmarking admin.
 */

const SourceReliability = builder.enumType('CfrSourceReliability', { values: RELIABILITY, description: 'A reliable, B usually reliable, C unreliable, D unknown.' });
const ContentValidity = builder.enumType('CfrContentValidity', { values: VALIDITY, description: '1 confirmed, 2 probably true, 3 doubtful, 4 cannot be judged.' });
const ReviewState = builder.enumType('CfrReviewState', { values: ['overdue', 'due_soon', 'current', 'purged'] as const, description: 'overdue: past the review date; due_soon: within 90 days of it.' });
const ReleaseKind = builder.enumType('CfrReleaseKind', { values: ['SHARE_GRANT', 'PORTAL_GRANT', 'VIEW', 'DOWNLOAD'] as const });

type RecordView = NonNullable<Awaited<ReturnType<typeof getCriminalIntel>>> & { title?: string; releases?: number };
type ReleaseView = Awaited<ReturnType<typeof listReleases>>['releases'][number];

const CriminalIntelRecord = builder.objectRef<RecordView>('CriminalIntelRecord').implement({
  description: 'A document marked as criminal intelligence. Kept after a purge, as the record that the content existed and was destroyed.',
  fields: (t) => ({
    id: t.exposeID('id'),
    documentId: t.exposeID('documentId'),
    title: t.string({ nullable: true, description: 'The document\'s title (in lists).', resolve: (r) => r.title ?? null }),
    submittingAgency: t.exposeString('submittingAgency'),
    sourceReliability: t.field({ type: SourceReliability, resolve: (r) => r.sourceReliability }),
    contentValidity: t.field({ type: ContentValidity, resolve: (r) => r.contentValidity }),
    criminalActivity: t.exposeString('criminalActivity', { description: 'The criminal-activity basis (reasonable suspicion).' }),
    submittedAt: t.field({ type: DateTime, resolve: (r) => r.submittedAt }),
    submittedBy: t.exposeString('submittedBy'),
    lastValidatedAt: t.field({ type: DateTime, nullable: true, resolve: (r) => r.lastValidatedAt }),
    lastValidatedBy: t.exposeString('lastValidatedBy', { nullable: true }),
    reviewDueAt: t.field({ type: DateTime, description: 'Five years after submission or the last validation.', resolve: (r) => r.reviewDueAt }),
    dueFlaggedAt: t.field({ type: DateTime, nullable: true, description: 'When the daily review job found it due.', resolve: (r) => r.dueFlaggedAt }),
    reviewState: t.field({ type: ReviewState, resolve: (r) => r.reviewState }),
    purgedAt: t.field({ type: DateTime, nullable: true, resolve: (r) => r.purgedAt }),
    purgedBy: t.exposeString('purgedBy', { nullable: true }),
    purgeReason: t.exposeString('purgeReason', { nullable: true }),
    purgedVersions: t.field({ type: Json, nullable: true, description: 'The versions removed: number, SHA-256, size.', resolve: (r) => r.purgedVersions as never }),
    releaseCount: t.int({ nullable: true, description: 'Entries in its dissemination log (in lists).', resolve: (r) => r.releases ?? null }),
  }),
});

const CriminalIntelRelease = builder.objectRef<ReleaseView>('CriminalIntelRelease').implement({
  description: 'One release of a criminal-intelligence document: who released it, to whom, when, why, which version.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: ReleaseKind, resolve: (r) => r.kind }),
    at: t.field({ type: DateTime, resolve: (r) => r.createdAt }),
    releasedBy: t.exposeString('releasedBy', { description: 'The staff member (or API key) who made the grant.' }),
    recipient: t.exposeString('recipient'),
    partnerOrgName: t.exposeString('partnerOrgName', { nullable: true }),
    needToKnow: t.exposeString('needToKnow'),
    versionNumber: t.exposeInt('versionNumber', { nullable: true }),
    versionId: t.exposeID('versionId', { nullable: true }),
    shareId: t.exposeID('shareId', { nullable: true }),
    portalId: t.exposeID('portalId', { nullable: true }),
    portalGrantId: t.exposeID('portalGrantId', { nullable: true }),
    guestId: t.exposeID('guestId', { nullable: true }),
  }),
});

const MarkInput = builder.inputType('CriminalIntelMarkInput', {
  fields: (t) => ({
    submittingAgency: t.string({ required: true }),
    sourceReliability: t.field({ type: SourceReliability, required: true }),
    contentValidity: t.field({ type: ContentValidity, required: true }),
    criminalActivity: t.string({ required: true, description: 'The criminal-activity basis.' }),
    submittedAt: t.field({ type: DateTime, description: 'Default now; never in the future.' }),
  }),
});

const RevalidateInput = builder.inputType('CriminalIntelRevalidateInput', {
  fields: (t) => ({
    note: t.string({ required: true, description: 'What the review found (kept in the audit trail).' }),
    sourceReliability: t.field({ type: SourceReliability }),
    contentValidity: t.field({ type: ContentValidity }),
  }),
});

const PurgeResult = builder.objectRef<{ documentId: string; purgedAt: Date; revokedShares: number; versions: number }>('CriminalIntelPurgeResult').implement({
  fields: (t) => ({
    documentId: t.exposeID('documentId'),
    purgedAt: t.field({ type: DateTime, resolve: (r) => r.purgedAt }),
    revokedShares: t.exposeInt('revokedShares'),
    versions: t.exposeInt('versions', { description: 'Versions whose content was removed.' }),
  }),
});
const Unmarked = builder.objectRef<{ documentId: string }>('CriminalIntelUnmarked').implement({ fields: (t) => ({ documentId: t.exposeID('documentId') }) });

const CfrListStatus = builder.enumType('CfrListStatus', { values: ['all', 'due', 'active', 'purged'] as const });
const dropNulls = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v != null));

builder.queryFields((t) => ({
  criminalIntelligence: t.field({
    type: [CriminalIntelRecord],
    description: 'The organisation\'s criminal-intelligence records, due and overdue first, purged last (audit:read).',
    authScopes: { 'audit:read': true },
    args: { status: t.arg({ type: CfrListStatus, required: false }) },
    resolve: (_r, a, ctx) => listCriminalIntel(ctx.principal, { status: a.status ?? 'all' }),
  }),
  criminalIntelRecord: t.field({
    type: CriminalIntelRecord,
    nullable: true,
    description: 'A document\'s marking, or null when it is not criminal intelligence.',
    authScopes: { 'documents:read': true },
    args: { documentId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getCriminalIntel(ctx.principal, a.documentId),
  }),
  disseminationLog: t.field({
    type: [CriminalIntelRelease],
    description: 'A document\'s dissemination log, newest first (audit:read). CSV: GET /documents/{id}/dissemination/export in the console.',
    authScopes: { 'audit:read': true },
    args: { documentId: t.arg.id({ required: true }), first: t.arg.int({ required: false, description: 'At most 1000 (default).' }) },
    complexity: (args) => Math.min(Math.max(Number(args.first ?? 1000), 1), 1000),
    resolve: async (_r, a, ctx) => (await listReleases(ctx.principal, a.documentId, { take: Math.min(a.first ?? 1000, 1000) })).releases,
  }),
}));

builder.mutationFields((t) => ({
  markCriminalIntel: t.field({
    type: CriminalIntelRecord,
    description: 'Marks a document as criminal intelligence, or changes its marking (audited).',
    authScopes: { 'documents:write': true },
    args: { documentId: t.arg.id({ required: true }), input: t.arg({ type: MarkInput, required: true }) },
    resolve: (_r, a, ctx) => markCriminalIntel(ctx.principal, a.documentId, dropNulls(a.input)),
  }),
  unmarkCriminalIntel: t.field({
    type: Unmarked,
    description: 'Removes the marking (admins; not once purged).',
    authScopes: { admin: true },
    args: { documentId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => unmarkCriminalIntel(ctx.principal, a.documentId, { reason: a.reason }),
  }),
  revalidateCriminalIntel: t.field({
    type: CriminalIntelRecord,
    description: 'Re-validates after review: next review five years from now (admins).',
    authScopes: { admin: true },
    args: { documentId: t.arg.id({ required: true }), input: t.arg({ type: RevalidateInput, required: true }) },
    resolve: (_r, a, ctx) => revalidateCriminalIntel(ctx.principal, a.documentId, dropNulls(a.input)),
  }),
  purgeCriminalIntel: t.field({
    type: PurgeResult,
    description: 'Purges the content of every version, revokes its shares and removes it from portal sections; the record is kept (admins).',
    authScopes: { admin: true },
    args: { documentId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => purgeCriminalIntel(ctx.principal, a.documentId, { reason: a.reason }),
  }),
}));
