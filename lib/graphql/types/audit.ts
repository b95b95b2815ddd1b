import { auditEventTypes, encodeCursor, listAuditEvents, type AuditQuery } from '../../audit/query';
import { verifyOwnAuditChain } from '../../audit/verify-org';
import type { Principal } from '../../auth/principal';
import type { AuditEvent as AuditEventRow } from '../../generated/prisma/client';
import { builder } from '../builder';
import { connectionType, pageArgs, pageComplexity, pageSize } from '../connection';
import { DateTime, Json } from './scalars';

export const AuditEvent = builder.objectRef<AuditEventRow>('AuditEvent').implement({
  description: 'One entry of the append-only, hash-chained audit trail.',
  fields: (t) => ({
    id: t.exposeID('id'),
    seq: t.exposeInt('seq', { description: 'Position in the organisation chain, from 1.' }),
    at: t.field({ type: DateTime, resolve: (e) => e.at }),
    type: t.exposeString('type', { description: 'e.g. document.upload, share.create, apikey.revoke.' }),
    actorType: t.exposeString('actorType', { description: 'staff, apikey, guest, system or anonymous.' }),
    actorId: t.exposeString('actorId', { nullable: true }),
    actor: t.exposeString('actor', { description: 'Who acted, as a readable label.' }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    shareId: t.exposeID('shareId', { nullable: true }),
    documentId: t.exposeID('documentId', { nullable: true }),
    outcome: t.exposeString('outcome', { description: 'success, failure or denied.' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why a failure or denial happened, as a stable code.' }),
    details: t.field({ type: Json, resolve: (e) => e.details }),
    hash: t.exposeString('hash', { description: 'SHA-256 of this event (RFC 8785 canonical JSON), hex.' }),
    prevHash: t.exposeString('prevHash', { description: 'hash of the previous event in the chain; 64 zeros for the first.' }),
  }),
});

export const AuditEventConnection = connectionType('AuditEvent', AuditEvent, { totalCount: true });

/** One page of listAuditEvents as an AuditEventConnection (auditEvents, Share.accessLog). */
export async function auditConnection(p: Principal, q: AuditQuery) {
  const page = await listAuditEvents(p, q);
  return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (e: AuditEventRow) => encodeCursor(e.seq), totalCount: page.totalCount };
}

const AuditBreak = builder.objectRef<{ id: string; seq: number; problem: string }>('AuditBreak').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    seq: t.exposeInt('seq'),
    problem: t.exposeString('problem'),
  }),
});

const AuditVerification = builder.objectRef<Awaited<ReturnType<typeof verifyOwnAuditChain>>>('AuditVerification').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    count: t.exposeInt('count', { description: 'Events verified before the end or the first break.' }),
    brokenAt: t.field({ type: AuditBreak, nullable: true, description: 'The first event that breaks the chain.', resolve: (r) => (r.ok ? null : r.brokenAt) }),
  }),
});

builder.queryFields((t) => ({
  auditEvents: t.field({
    type: AuditEventConnection,
    description: 'The audit trail, newest first. Needs audit:read, or shares:read together with shareId (that share\'s access log). `type` ending in "." matches a prefix.',
    // The domain makes the final decision between the two.
    authScopes: { $any: { 'audit:read': true, 'shares:read': true } },
    args: {
      shareId: t.arg.id({ required: false }),
      documentId: t.arg.id({ required: false }),
      type: t.arg.string({ required: false }),
      actor: t.arg.string({ required: false, description: 'Substring of the actor label.' }),
      outcome: t.arg.string({ required: false, description: 'success, failure or denied.' }),
      from: t.arg({ type: DateTime, required: false }),
      to: t.arg({ type: DateTime, required: false }),
      ...pageArgs(t.arg, 200),
    },
    complexity: pageComplexity(50, 200),
    resolve: (_r, a, ctx) =>
      auditConnection(ctx.principal, {
        shareId: a.shareId ?? undefined, documentId: a.documentId ?? undefined, type: a.type ?? undefined,
        actor: a.actor ?? undefined, from: a.from ?? undefined, to: a.to ?? undefined,
        // The domain's zod schema rejects any other value with validation_failed.
        outcome: (a.outcome ?? undefined) as AuditQuery['outcome'],
        first: pageSize(a.first, 200), after: a.after ?? undefined,
      }),
  }),
  auditEventTypes: t.stringList({
    description: 'Distinct event types recorded so far, for filters.',
    authScopes: { 'audit:read': true },
    resolve: (_r, _a, ctx) => auditEventTypes(ctx.principal),
  }),
  auditVerify: t.field({
    type: AuditVerification,
    description: "Recomputes your organisation's hash chain (as `liaison audit verify --org`).",
    authScopes: { 'audit:read': true },
    resolve: (_r, _a, ctx) => verifyOwnAuditChain(ctx.principal),
  }),
}));
