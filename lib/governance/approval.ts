import { z } from 'zod';
import { prisma, type Tx } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, can, type Principal } from '../auth/principal';
import { enqueueMail } from '../mail/enqueue';
import { log } from '../log';
import { endShareSessions } from '../shares/revocation';
import { createInvitationsTx } from '../guest/invitations';
import { reevaluatePortalSockets } from '../realtime/revocation';
import { markedDocuments, type MarkedDocument } from './tlp';
import { criminalIntelDocs, releaseApprovedGrantTx } from '../cfr/sharing';

/**
 * Two-person approval (segregation of duties; docs/CLASSIFICATION.md). A share or portal grant whose
 * material needs it is created PENDING and serves nothing (the policy's approval_pending) until an
 * administrator other than the one who asked approves it. A refusal revokes the grant for good.
 */

/** Why a grant needs a second administrator's approval: TLP:RED, or criminal intelligence (28 CFR Part 23). */
export const APPROVAL_REASONS = ['tlp_red', 'criminal_intelligence'] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];

export const APPROVAL_REASON_TEXT: Record<ApprovalReason, string> = {
  tlp_red: 'TLP:RED material',
  criminal_intelligence: 'Criminal intelligence (28 CFR Part 23)',
};

/** Pure: the reasons these documents (with their current marking, and whether each is criminal intelligence) give. */
export function approvalReasonsFor(docs: readonly Pick<MarkedDocument, 'tlp'>[], criminalIntel = false): ApprovalReason[] {
  const reasons: ApprovalReason[] = [];
  if (docs.some((d) => d.tlp === 'RED')) reasons.push('tlp_red');
  if (criminalIntel) reasons.push('criminal_intelligence');
  return reasons;
}

/**
 * THE question: does a grant over these documents need two-person approval, and why? An empty list
 * means no. Every path that creates a grant or widens who it reaches asks it (shares, portal grants,
 * new recipients, documents added to a portal's sections).
 */
export async function approvalRequired(db: Tx, orgId: string, documentIds: readonly string[]): Promise<ApprovalReason[]> {
  if (!documentIds.length) return [];
  // One after the other: db may be an interactive transaction, whose one connection runs one query at a time.
  const marked = await markedDocuments(db, orgId, documentIds);
  const cji = await criminalIntelDocs(orgId, documentIds, db);
  return approvalReasonsFor(marked, cji.some((d) => !d.purged));
}

export type GrantRef = { kind: 'share'; id: string } | { kind: 'portal'; id: string };

const requesterOf = (p: Principal) => ({ id: p.kind === 'staff' ? p.userId : null, label: p.kind === 'staff' ? p.email : `API key ${p.name} (${p.prefix})` });

/**
 * Puts a grant in PENDING and opens a request for it, inside the caller's transaction (so a grant is
 * never live for a moment before it is pending). Audited as approval.request; every other active
 * administrator is mailed through the mail queue, in the same transaction.
 */
export async function requestApprovalTx(tx: Tx, p: Principal, ref: GrantRef, reasons: readonly ApprovalReason[], mail: { subject: string; recipients: string[] }): Promise<string> {
  const where = ref.kind === 'share' ? { shareId: ref.id } : { portalGrantId: ref.id };
  if (ref.kind === 'share') await tx.share.update({ where: { id: ref.id }, data: { approvalState: 'PENDING' } });
  else await tx.portalGrant.update({ where: { id: ref.id }, data: { approvalState: 'PENDING' } });
  const who = requesterOf(p);
  // A grant already waiting keeps its one open request, now with the newest reasons and requester.
  const open = await tx.grantApprovalRequest.findFirst({ where: { ...where, state: 'PENDING' }, select: { id: true } });
  const data = { reasons: [...reasons], requestedById: who.id, requestedBy: who.label };
  const req = open
    ? await tx.grantApprovalRequest.update({ where: { id: open.id }, data })
    : await tx.grantApprovalRequest.create({ data: { orgId: p.orgId, ...where, ...data } });
  await recordAudit({
    orgId: p.orgId, type: 'approval.request', actor: actorOf(p), request: p.request, shareId: ref.kind === 'share' ? ref.id : null,
    details: { requestId: req.id, kind: ref.kind, grantId: ref.id, reasons: [...reasons] },
  }, tx);
  const admins = await tx.staffUser.findMany({ where: { orgId: p.orgId, role: 'ADMIN', disabledAt: null, ...(who.id ? { id: { not: who.id } } : {}) }, select: { email: true, name: true } });
  for (const a of admins) {
    await enqueueMail({
      orgId: p.orgId, to: { name: a.name, address: a.email }, template: 'approval_requested', dedupeKey: `approval:${req.id}:${a.email}`,
      data: {
        requestId: req.id, what: ref.kind === 'share' ? 'share' : 'portal grant', subject: mail.subject.slice(0, 300), requestedBy: who.label,
        reasons: reasons.map((r) => APPROVAL_REASON_TEXT[r]), recipients: mail.recipients.slice(0, 50), at: req.createdAt,
      },
    }, tx);
  }
  if (!admins.length) log.warn({ orgId: p.orgId, requestId: req.id }, 'approval requested, but no other administrator to ask');
  return req.id;
}

/**
 * Closes a grant's open request because the grant was revoked while it waited (inside the revocation's
 * transaction): the request becomes WITHDRAWN, never decided, so the queue holds nothing that can no
 * longer be approved, and the grant's own approval state says the same. Audited as approval.withdraw
 * with who revoked it and why. Does nothing for a grant with no open request.
 */
export async function withdrawApprovalTx(tx: Tx, p: Principal, ref: GrantRef, reason: string | null): Promise<string[]> {
  const where = { orgId: p.orgId, state: 'PENDING' as const, ...(ref.kind === 'share' ? { shareId: ref.id } : { portalGrantId: ref.id }) };
  if (ref.kind === 'share') await tx.share.updateMany({ where: { id: ref.id, approvalState: 'PENDING' }, data: { approvalState: 'WITHDRAWN' } });
  else await tx.portalGrant.updateMany({ where: { id: ref.id, approvalState: 'PENDING' }, data: { approvalState: 'WITHDRAWN' } });
  const open = await tx.grantApprovalRequest.findMany({ where, select: { id: true, reasons: true, requestedBy: true } });
  if (!open.length) return [];
  const who = requesterOf(p);
  const note = `Withdrawn: the grant was revoked${reason ? ` (${reason.replace(/[.\s]+$/, '')})` : ''}.`.slice(0, 1000);
  await tx.grantApprovalRequest.updateMany({ where: { id: { in: open.map((r) => r.id) }, state: 'PENDING' }, data: { state: 'WITHDRAWN', decidedById: who.id, decidedBy: who.label, decidedAt: new Date(), note } });
  for (const r of open) {
    await recordAudit({
      orgId: p.orgId, type: 'approval.withdraw', actor: actorOf(p), request: p.request, shareId: ref.kind === 'share' ? ref.id : null, reason,
      details: { requestId: r.id, kind: ref.kind, grantId: ref.id, reasons: r.reasons, requestedBy: r.requestedBy },
    }, tx);
  }
  return open.map((r) => r.id);
}

export const decisionInput = z.object({
  decision: z.enum(['approve', 'refuse']),
  note: z.string().trim().max(1000).optional(),
}).superRefine((v, ctx) => {
  if (v.decision === 'refuse' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why the grant is refused.' });
});

/**
 * Approves or refuses an open request. Only a signed-in administrator (not an API key) who neither
 * created the grant nor asked for the approval may approve; a request already decided cannot be decided
 * again (409); a refused grant is revoked and never serves. Refused attempts are audited as denied.
 */
export async function decideApproval(p: Principal, requestId: string, raw: unknown) {
  const input = decisionInput.parse(raw);
  const type = input.decision === 'approve' ? 'approval.approve' : 'approval.refuse';
  const deny = async (code: 'forbidden' | 'conflict' | 'not_found', reason: string, message: string, shareId: string | null = null): Promise<never> => {
    await recordAudit({ orgId: p.orgId, type, actor: actorOf(p), request: p.request, shareId, outcome: 'denied', reason, details: { requestId: requestId.slice(0, 80) } });
    throw new AppError(code, message);
  };
  if (!can(p, 'admin') || p.kind !== 'staff') return deny('forbidden', 'not_an_admin', 'Only an administrator signed in to the console may decide approvals.');
  const req = await prisma().grantApprovalRequest.findFirst({
    where: { id: requestId, orgId: p.orgId },
    include: { share: { select: { createdById: true, state: true } }, portalGrant: { select: { createdById: true, state: true, portalId: true } } },
  });
  if (!req) return deny('not_found', 'not_found', 'No such approval request.');
  const grantCreator = req.share?.createdById ?? req.portalGrant?.createdById ?? null;
  if (input.decision === 'approve' && (req.requestedById === p.userId || grantCreator === p.userId)) {
    return deny('forbidden', 'own_request', 'You created this grant or asked for its approval: another administrator must approve it.', req.shareId);
  }
  if (req.state === 'WITHDRAWN') return deny('conflict', 'withdrawn', 'The grant was revoked while it waited, so this request was withdrawn: there is nothing to decide.', req.shareId);
  if (req.state !== 'PENDING') return deny('conflict', 'already_decided', `This request was already ${req.state === 'APPROVED' ? 'approved' : 'refused'}.`, req.shareId);
  if ((req.share ?? req.portalGrant)?.state === 'REVOKED' && input.decision === 'approve') {
    return deny('conflict', 'grant_revoked', 'The grant was revoked meanwhile; there is nothing to approve.', req.shareId);
  }
  const decidedAt = new Date();
  const note = input.note || null;
  await prisma().$transaction(async (tx) => {
    // Only one decision wins, however many arrive at once.
    const { count } = await tx.grantApprovalRequest.updateMany({
      where: { id: req.id, state: 'PENDING' },
      data: { state: input.decision === 'approve' ? 'APPROVED' : 'REFUSED', decidedById: p.userId, decidedBy: p.email, decidedAt, note },
    });
    if (!count) throw new AppError('conflict', 'This request was already decided.');
    const revoke = { state: 'REVOKED' as const, revokedAt: decidedAt, revokedReason: `Approval refused: ${note}`.slice(0, 500) };
    if (req.shareId) {
      const s = await tx.share.update({
        where: { id: req.shareId }, data: input.decision === 'approve' ? { approvalState: 'APPROVED' } : { approvalState: 'REFUSED', ...revoke, revocationEpoch: { increment: 1 } },
        include: { recipients: { select: { email: true } }, createdBy: { select: { id: true, name: true } } },
      });
      // Criminal intelligence is released now: the dissemination log records it, approved by this administrator.
      if (input.decision === 'approve') await releaseApprovedGrantTx(tx, p, { kind: 'share', id: s.id });
      // An invited audience's invitations were held back while it waited: they go out now, from its creator.
      if (input.decision === 'approve' && s.audience === 'INVITED') {
        await createInvitationsTx(tx, s, s.recipients.map((r) => r.email), { id: s.createdBy?.id ?? null, name: s.createdBy?.name ?? req.requestedBy }, s.message, p);
      }
    } else if (req.portalGrantId) {
      await tx.portalGrant.update({ where: { id: req.portalGrantId }, data: input.decision === 'approve' ? { approvalState: 'APPROVED' } : { approvalState: 'REFUSED', ...revoke } });
      if (input.decision === 'approve') await releaseApprovedGrantTx(tx, p, { kind: 'portal', id: req.portalGrantId });
    }
    await recordAudit({
      orgId: p.orgId, type, actor: actorOf(p), request: p.request, shareId: req.shareId, reason: note,
      details: { requestId: req.id, kind: req.shareId ? 'share' : 'portal', grantId: req.shareId ?? req.portalGrantId, reasons: req.reasons, requestedBy: req.requestedBy },
    }, tx);
  });
  if (input.decision === 'refuse') {
    if (req.shareId) await endShareSessions(req.shareId, 'revoked');
    else if (req.portalGrant) void reevaluatePortalSockets(req.portalGrant.portalId);
  }
  return getApproval(p, req.id);
}

export const listApprovalsInput = z.object({
  state: z.enum(['PENDING', 'APPROVED', 'REFUSED', 'WITHDRAWN']).optional(),
  first: z.number().int().min(1).max(200).default(50),
});

const approvalInclude = {
  share: { select: { id: true, audience: true, allowedDomains: true, createdById: true, recipients: { select: { email: true } }, documents: { select: { document: { select: { id: true, title: true } } } } } },
  portalGrant: { select: { id: true, portalId: true, createdById: true, emails: true, domains: true, groups: true, partnerOrg: { select: { name: true } }, portal: { select: { name: true } } } },
} as const;

type Row = NonNullable<Awaited<ReturnType<typeof loadRow>>>;
const loadRow = (orgId: string, id: string) => prisma().grantApprovalRequest.findFirst({ where: { id, orgId }, include: approvalInclude });

export interface ApprovalView {
  id: string; kind: 'share' | 'portal'; grantId: string; portalId: string | null; subject: string; reach: string[];
  reasons: string[]; state: 'PENDING' | 'APPROVED' | 'REFUSED' | 'WITHDRAWN' | 'NONE'; requestedBy: string; createdAt: Date;
  decidedBy: string | null; decidedAt: Date | null; note: string | null;
  /** Whether the caller may approve it (another administrator than its creator and requester, while pending). */
  canApprove: boolean;
}

function view(p: Principal, r: Row): ApprovalView {
  const s = r.share;
  const g = r.portalGrant;
  const creator = s?.createdById ?? g?.createdById ?? null;
  const me = p.kind === 'staff' ? p.userId : null;
  return {
    id: r.id, kind: s ? 'share' : 'portal', grantId: (s?.id ?? g?.id)!, portalId: g?.portalId ?? null,
    subject: s ? s.documents.map((d) => d.document.title).join(', ') || 'No documents' : g?.portal.name ?? 'Portal',
    reach: s
      ? [...(s.audience === 'ANYONE_WITH_LINK' ? ['Anyone with the link'] : []), ...s.recipients.map((x) => x.email), ...s.allowedDomains.map((d) => `@${d}`)]
      : [...(g?.emails ?? []), ...(g?.domains ?? []).map((d) => `@${d}`), ...(g?.partnerOrg ? [`Partner ${g.partnerOrg.name}`] : []), ...(g?.groups ?? []).map((x) => `Group ${x}`)],
    reasons: r.reasons, state: r.state, requestedBy: r.requestedBy, createdAt: r.createdAt, decidedBy: r.decidedBy, decidedAt: r.decidedAt, note: r.note,
    canApprove: r.state === 'PENDING' && me != null && can(p, 'admin') && r.requestedById !== me && creator !== me,
  };
}

function authorizeRead(p: Principal) {
  if (!can(p, 'admin') && !can(p, 'audit:read')) throw new AppError(p.kind === 'apikey' ? 'insufficient_scope' : 'forbidden', 'Approvals are for administrators and auditors.');
}

/** Approval requests of the organisation, open ones first (oldest first), then decided ones (newest first). */
export async function listApprovals(p: Principal, raw: unknown = {}): Promise<ApprovalView[]> {
  authorizeRead(p);
  const q = listApprovalsInput.parse(raw ?? {});
  const rows = await prisma().grantApprovalRequest.findMany({
    where: { orgId: p.orgId, ...(q.state ? { state: q.state } : {}) },
    include: approvalInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.first,
  });
  const views = rows.map((r) => view(p, r));
  return [...views.filter((v) => v.state === 'PENDING').reverse(), ...views.filter((v) => v.state !== 'PENDING')];
}

export async function getApproval(p: Principal, id: string): Promise<ApprovalView> {
  authorizeRead(p);
  const r = await loadRow(p.orgId, id);
  if (!r) throw new AppError('not_found', 'No such approval request.');
  return view(p, r);
}

/** The newest request of a grant, for its page (null when it never needed one). */
export async function approvalOfGrant(p: Principal, ref: GrantRef): Promise<ApprovalView | null> {
  if (!can(p, ref.kind === 'share' ? 'shares:read' : 'portals:read')) throw new AppError('forbidden', 'Your role does not allow this action.');
  const r = await prisma().grantApprovalRequest.findFirst({
    where: { orgId: p.orgId, ...(ref.kind === 'share' ? { shareId: ref.id } : { portalGrantId: ref.id }) },
    include: approvalInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return r ? view(p, r) : null;
}
