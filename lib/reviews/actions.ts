import { ZodError } from 'zod';
import { prisma } from '../db/client';
import { AppError, toAppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { enqueueMail } from '../mail/enqueue';
import { log } from '../log';
import { revokeShare, updateShare } from '../shares/service';
import { revokePortalAccess, updatePortalGrant } from '../portals/grants';
import { disableGuest, extendGuest, revokeGuestSession } from '../guest/admin';
import { revokeDevice } from '../devices/registry';
import { bulkActionInput, type BulkActionInput, type BulkActionName, type GrantKind, type GrantRef } from './input';
import { describeRows } from './grants';

export interface ActionOptions { expiresAt?: Date; permission?: 'VIEW' | 'COMMENT' | 'EDIT'; reason?: string | null }
export type ItemOutcome = 'done' | 'not_applicable' | 'failed';
export interface ItemResult { kind: GrantKind; id: string; outcome: ItemOutcome; error: string | null }

/** What each kind of grant can have done to it: shares, portal grants and guest accounts have a term; only the first two a permission. */
const APPLICABLE: Record<BulkActionName, ReadonlySet<GrantKind>> = {
  revoke: new Set(['share', 'portal_grant', 'guest', 'session', 'device']),
  extend: new Set(['share', 'portal_grant', 'guest']),
  permission: new Set(['share', 'portal_grant']),
};

export const actionApplies = (action: BulkActionName, kind: GrantKind) => APPLICABLE[action].has(kind);

/**
 * Carries out one action on one grant through the function the rest of Liaison uses for it, so
 * revocation ends sessions and closes sockets, narrowing re-decides live viewers, and each is audited
 * by that function as it always is: revokeShare, updateShare, revokePortalAccess, updatePortalGrant,
 * disableGuest (a guest account: locked out of everything), extendGuest, revokeGuestSession, revokeDevice.
 */
export async function applyToGrant(p: Principal, ref: GrantRef, action: BulkActionName, o: ActionOptions): Promise<void> {
  if (!actionApplies(action, ref.kind)) throw new AppError('validation_failed', `A ${ref.kind.replace('_', ' ')} cannot be ${action === 'extend' ? 'extended' : 'given a permission'}.`);
  switch (action) {
    case 'revoke':
      switch (ref.kind) {
        case 'share': await revokeShare(p, ref.id, o.reason); return;
        case 'portal_grant': await revokePortalAccess(p, ref.id, o.reason); return;
        case 'guest': await disableGuest(p, ref.id, o.reason ?? undefined); return;
        case 'session': await revokeGuestSession(p, ref.id); return;
        case 'device': await revokeDevice(p, ref.id); return;
      }
      return;
    case 'extend':
    case 'permission': {
      // A guest account has a term but no permission (APPLICABLE let only extend through).
      if (ref.kind === 'guest') { await extendGuest(p, ref.id, o.expiresAt, o.reason); return; }
      const change = action === 'extend' ? { expiresAt: o.expiresAt } : { permission: o.permission };
      if (ref.kind === 'share') await updateShare(p, ref.id, change);
      else await updatePortalGrant(p, ref.id, change);
      return;
    }
  }
}

/** Lower-case addresses of the guests a grant reaches by name (for notices). */
export async function addresseesOf(orgId: string, refs: GrantRef[]): Promise<Map<string, string[]>> {
  const ids = (k: GrantKind) => refs.filter((r) => r.kind === k).map((r) => r.id);
  const db = prisma();
  const [shares, grants, guests, sessions, devices] = await Promise.all([
    db.shareRecipient.findMany({ where: { shareId: { in: ids('share') }, share: { orgId } }, select: { shareId: true, email: true } }),
    db.portalGrant.findMany({ where: { id: { in: ids('portal_grant') }, orgId }, select: { id: true, emails: true } }),
    db.guest.findMany({ where: { id: { in: ids('guest') }, orgId }, select: { id: true, email: true } }),
    db.guestSession.findMany({ where: { id: { in: ids('session') }, guest: { orgId } }, select: { id: true, guest: { select: { email: true } } } }),
    db.guestDevice.findMany({ where: { id: { in: ids('device') }, orgId }, select: { id: true, guest: { select: { email: true } } } }),
  ]);
  const out = new Map<string, string[]>();
  const add = (key: string, email: string | null | undefined) => {
    if (!email) return;
    const list = out.get(key) ?? [];
    if (!list.includes(email.toLowerCase())) list.push(email.toLowerCase());
    out.set(key, list);
  };
  for (const r of shares) add(`share:${r.shareId}`, r.email);
  for (const g of grants) for (const e of g.emails) add(`portal_grant:${g.id}`, e);
  for (const g of guests) add(`guest:${g.id}`, g.email);
  for (const s of sessions) add(`session:${s.id}`, s.guest.email);
  for (const d of devices) add(`device:${d.id}`, d.guest.email);
  return out;
}

/** Queues the notice of an action to every guest it named (through the mail queue). Returns how many were queued. */
export async function sendNotices(orgId: string, done: { ref: GrantRef; what: string }[], action: BulkActionName, o: ActionOptions & { message: string }): Promise<number> {
  const to = await addresseesOf(orgId, done.map((d) => d.ref));
  let queued = 0;
  for (const { ref, what } of done) {
    for (const address of to.get(`${ref.kind}:${ref.id}`) ?? []) {
      try {
        await enqueueMail({
          orgId, to: address, template: 'access_review_notice',
          data: { what, change: action === 'revoke' ? 'revoked' : action === 'extend' ? 'extended' : 'permission', expiresAt: o.expiresAt ?? null, permission: o.permission ?? null, message: o.message },
        });
        queued++;
      } catch (e) {
        // An address the mail layer refuses (a malformed old recipient) must not stop the others.
        log.warn({ err: (e as Error).message, kind: ref.kind, id: ref.id }, 'access review notice not queued');
      }
    }
  }
  return queued;
}

export interface BulkResult { action: BulkActionName; results: ItemResult[]; done: number; failed: number; notApplicable: number; noticesQueued: number }

type BulkOptions = Pick<BulkActionInput, 'action' | 'expiresAt' | 'permission' | 'reason' | 'notice'>;

/**
 * One batch of a bulk action: each item through applyToGrant, one at a time, each succeeding or failing
 * on its own (a grant revoked meanwhile, or one outside the organisation, is reported, not fatal); then,
 * when asked, a notice to the affected guests; then one review.bulk event with what was asked, `extra`
 * (how the items were chosen), and what happened to each item.
 */
export async function runBulkBatch(p: Principal, input: BulkOptions, items: readonly GrantRef[], extra: Record<string, unknown> = {}): Promise<{ results: ItemResult[]; noticesQueued: number }> {
  // Labels as the grants read before the action, for the notices.
  const labels = new Map((await describeRows(p.orgId, items.map((r) => ({ kind: r.kind, id: r.id, createdAt: new Date(0), expiresAt: null, lastActivityAt: null, accessCount: null, classification: null, ownerId: null, partnerOrgId: null }))))
    .map((g) => [`${g.kind}:${g.id}`, g.label]));
  const opts: ActionOptions = { expiresAt: input.expiresAt, permission: input.permission, reason: input.reason || null };
  const results: ItemResult[] = [];
  for (const ref of items) {
    if (!actionApplies(input.action, ref.kind)) { results.push({ kind: ref.kind, id: ref.id, outcome: 'not_applicable', error: null }); continue; }
    try {
      await applyToGrant(p, ref, input.action, opts);
      results.push({ kind: ref.kind, id: ref.id, outcome: 'done', error: null });
    } catch (e) {
      const err = e instanceof ZodError ? new AppError('validation_failed', e.issues.map((i) => i.message).join('; ')) : toAppError(e);
      if (err.code === 'database_unavailable' || err.code === 'audit_unavailable') throw err;
      results.push({ kind: ref.kind, id: ref.id, outcome: 'failed', error: `${err.code}: ${err.message}` });
    }
  }
  const done = results.filter((r) => r.outcome === 'done');
  const noticesQueued = input.notice !== undefined
    ? await sendNotices(p.orgId, done.map((r) => ({ ref: { kind: r.kind, id: r.id }, what: labels.get(`${r.kind}:${r.id}`) ?? 'your access' })), input.action, { ...opts, message: input.notice })
    : 0;
  await recordAudit({
    orgId: p.orgId, type: 'review.bulk', actor: actorOf(p), request: p.request, reason: opts.reason ?? null,
    details: {
      action: input.action, expiresAt: input.expiresAt?.toISOString(), permission: input.permission, notice: input.notice !== undefined, noticesQueued, ...extra,
      items: results.map((r) => ({ kind: r.kind, id: r.id, outcome: r.outcome, ...(r.error ? { error: r.error } : {}) })),
    },
  });
  return { results, noticesQueued };
}

export const summarize = (action: BulkActionName, results: ItemResult[], noticesQueued: number): BulkResult => ({
  action, results, done: results.filter((r) => r.outcome === 'done').length, failed: results.filter((r) => r.outcome === 'failed').length,
  notApplicable: results.filter((r) => r.outcome === 'not_applicable').length, noticesQueued,
});

/** A bulk action of the access-review page (admins) on the rows selected: one batch, one review.bulk event. */
export async function bulkAction(p: Principal, raw: unknown): Promise<BulkResult> {
  authorize(p, 'admin');
  const input = bulkActionInput.parse(raw);
  const seen = new Set<string>();
  const items = input.items.filter((r) => !seen.has(`${r.kind}:${r.id}`) && seen.add(`${r.kind}:${r.id}`));
  const { results, noticesQueued } = await runBulkBatch(p, input, items);
  return summarize(input.action, results, noticesQueued);
}
