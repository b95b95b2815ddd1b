import { createEvidenceBundleAs } from '../../feed/bundle';
import type { FeedEvent } from '../../feed/event-rows';
import { exportAuditPage, MAX_EXPORT_PAGE } from '../../feed/export';
import { AppError } from '../../errors';
import { builder } from '../builder';
import { Json } from './scalars';

// The compliance feed for cursor-driven clients: the same lib functions as GET /api/v1/audit/export and
// the console's evidence bundle button, the same scope (audit:read, checked and refusals audited there).

const FeedEventRef = builder.objectRef<FeedEvent>('AuditFeedEvent').implement({
  description: 'An audit event exactly as hashed: every field the hash covers, `at` in the hashed text form.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    id: t.exposeString('id'),
    orgId: t.exposeString('orgId'),
    at: t.exposeString('at', { description: 'ISO 8601 UTC with milliseconds, the exact text the hash covers.' }),
    type: t.exposeString('type'),
    actorType: t.exposeString('actorType'),
    actorId: t.exposeString('actorId', { nullable: true }),
    actor: t.exposeString('actor'),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    shareId: t.exposeString('shareId', { nullable: true }),
    documentId: t.exposeString('documentId', { nullable: true }),
    outcome: t.exposeString('outcome'),
    reason: t.exposeString('reason', { nullable: true }),
    details: t.field({ type: Json, resolve: (e) => e.details as never }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
  }),
});

const AuditExportPage = builder.objectRef<Awaited<ReturnType<typeof exportAuditPage>>>('AuditExportPage').implement({
  fields: (t) => ({
    // The page size is counted once, on auditExport, not again by the default list multiplier.
    events: t.field({ type: [FeedEventRef], complexity: { field: 1, multiplier: 1 }, resolve: (r) => r.events }),
    endSeq: t.exposeInt('endSeq', { description: 'Pass as `after` for the next page.' }),
    hasMore: t.exposeBoolean('hasMore'),
    through: t.exposeInt('through', { description: 'The chain head when this page was read.' }),
  }),
});

const EvidenceBundleRef = builder.objectRef<{ text: string; fileName: string; sha256: string; events: number }>('EvidenceBundle').implement({
  description: 'A signed evidence bundle (docs/COMPLIANCE-FEED.md). Save `bundle` byte for byte; `liaison audit verify-bundle` checks it offline.',
  fields: (t) => ({
    bundle: t.exposeString('text', { description: 'The bundle file: canonical JSON and one newline.' }),
    fileName: t.exposeString('fileName'),
    sha256: t.exposeString('sha256', { description: 'SHA-256 of the file, hex.' }),
    events: t.exposeInt('events'),
  }),
});

builder.queryFields((t) => ({
  auditExport: t.field({
    type: AuditExportPage,
    description: `Your organisation's audit trail after seq \`after\` (default 0), oldest first, up to \`first\` events (1–${MAX_EXPORT_PAGE}, default 200). Needs audit:read; every request is recorded (audit.export).`,
    args: { after: t.arg.int(), first: t.arg.int() },
    complexity: (args) => ({ field: 1, multiplier: Math.min(Math.max(args.first ?? 200, 1), MAX_EXPORT_PAGE) }),
    resolve: (_r, a, ctx) => exportAuditPage(ctx.principal, { after: a.after, first: a.first }),
  }),
}));

builder.mutationFields((t) => ({
  createEvidenceBundle: t.field({
    type: EvidenceBundleRef,
    // No authScopes here: the lib function checks audit:read itself and records the refusal.
    description: 'Signs an evidence bundle for one share or one guest (exactly one of the two). Needs audit:read; audited (audit.evidence_bundle), refusals too.',
    args: { shareId: t.arg.id(), guestId: t.arg.id() },
    resolve: (_r, a, ctx) => {
      if (Boolean(a.shareId) === Boolean(a.guestId)) throw new AppError('validation_failed', 'Give exactly one of shareId and guestId.');
      return createEvidenceBundleAs(ctx.principal, a.shareId ? { kind: 'share', id: String(a.shareId) } : { kind: 'guest', id: String(a.guestId) });
    },
  }),
}));
