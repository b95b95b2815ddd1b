import { stringify } from 'csv-stringify/sync';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError, toAppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, can, type Principal } from '../auth/principal';
import { ROLE_SCOPES } from '../auth/scopes';
import { isId } from '../http/ids';
import { after, invalidCursor } from '../db/keyset';
import { log } from '../log';
import { enqueueMail } from '../mail/enqueue';
import { consoleLink } from '../webhooks/emit';
import { neutralizeFormula } from '../portals/analytics-csv';
import { applyToGrant, type ActionOptions } from './actions';
import { allMatching, authorizeReview, describeRows } from './grants';
import { decideItemInput, startCampaignInput, type GrantKind } from './input';

const DAY = 86_400_000;
/** A campaign covers at most this many grants (the page's performance target is 10,000). */
export const MAX_CAMPAIGN_ITEMS = 20_000;

export type CampaignRow = Prisma.ReviewCampaignGetPayload<object>;
export type ItemRow = Prisma.ReviewItemGetPayload<object>;

export interface CampaignView extends CampaignRow { decided: number; pending: number; createdByName: string | null; sponsorName: string | null }

const staffNames = async (orgId: string, ids: (string | null | undefined)[]) => new Map((await prisma().staffUser.findMany({
  where: { orgId, id: { in: [...new Set(ids.filter((x): x is string => !!x))] } }, select: { id: true, name: true, email: true },
})).map((s) => [s.id, s.name || s.email]));

async function views(orgId: string, rows: CampaignRow[]): Promise<CampaignView[]> {
  const ids = rows.map((c) => c.id);
  const [counts, names] = await Promise.all([
    ids.length ? prisma().reviewItem.groupBy({ by: ['campaignId'], where: { campaignId: { in: ids }, decidedAt: { not: null } }, _count: { _all: true } }) : [],
    staffNames(orgId, rows.flatMap((c) => [c.createdById, c.sponsorId])),
  ]);
  const decided = new Map(counts.map((c) => [c.campaignId, c._count._all]));
  return rows.map((c) => ({
    ...c, decided: decided.get(c.id) ?? 0, pending: c.itemCount - (decided.get(c.id) ?? 0),
    createdByName: names.get(c.createdById) ?? null, sponsorName: c.sponsorId ? names.get(c.sponsorId) ?? null : null,
  }));
}

/**
 * Starts a review over the grants the scope's filters match now. Each item goes to its owner (who
 * created the share or grant, or approved the device); the sponsor, when named, may decide every item,
 * and decides those without an owner; without a sponsor the admin who starts it decides those.
 */
export async function startCampaign(p: Principal, raw: unknown): Promise<CampaignView> {
  authorize(p, 'admin');
  if (p.kind !== 'staff') throw new AppError('forbidden', 'A review campaign is started by a person: it needs someone to decide what has no owner.');
  const input = startCampaignInput.parse(raw);
  const now = new Date();
  if (input.deadline.getTime() <= now.getTime() + 60 * 60_000) throw new AppError('validation_failed', 'deadline: at least an hour from now.');
  if (input.deadline.getTime() > now.getTime() + 365 * DAY) throw new AppError('validation_failed', 'deadline: within a year.');
  const sponsorId = input.sponsorId ?? null;
  if (sponsorId && !(await prisma().staffUser.findFirst({ where: { id: sponsorId, orgId: p.orgId, disabledAt: null }, select: { id: true } }))) {
    throw new AppError('not_found', 'sponsorId: no such active staff member.');
  }
  const rows = await allMatching(p.orgId, input.scope, MAX_CAMPAIGN_ITEMS + 1);
  if (rows.length > MAX_CAMPAIGN_ITEMS) throw new AppError('validation_failed', `The scope matches more than ${MAX_CAMPAIGN_ITEMS} grants: narrow it.`);
  if (!rows.length) throw new AppError('validation_failed', 'The scope matches no active grant: nothing to review.');
  const described = await describeRows(p.orgId, rows);
  const id = await prisma().$transaction(async (tx) => {
    const c = await tx.reviewCampaign.create({
      data: { orgId: p.orgId, name: input.name, scope: input.scope, createdById: p.userId, sponsorId, deadline: input.deadline, autoRevoke: input.autoRevoke, itemCount: described.length },
    });
    await tx.reviewItem.createMany({
      data: described.map((g) => ({
        campaignId: c.id, orgId: p.orgId, kind: g.kind, grantId: g.id, label: `${g.label} — ${g.who}`.slice(0, 500),
        ownerId: g.ownerId, sponsorId: sponsorId ?? (g.ownerId ? null : p.userId),
        classification: g.classification, expiresAt: g.expiresAt, lastActivityAt: g.lastActivityAt, accessCount: g.accessCount,
      })),
    });
    await recordAudit({
      orgId: p.orgId, type: 'review.campaign.start', actor: actorOf(p), request: p.request,
      details: { campaignId: c.id, name: c.name, scope: input.scope, deadline: c.deadline.toISOString(), sponsorId, autoRevoke: c.autoRevoke, items: described.length },
    }, tx);
    return c.id;
  });
  return getCampaign(p, id);
}

/** Campaigns the caller may see: all of them for admins and auditors, otherwise those with an item for them. */
export async function listCampaigns(p: Principal): Promise<CampaignView[]> {
  const me = p.kind === 'staff' ? p.userId : null;
  const all = can(p, 'admin') || can(p, 'audit:read');
  if (!all && !me) authorize(p, 'admin');
  const rows = await prisma().reviewCampaign.findMany({
    where: { orgId: p.orgId, ...(all ? {} : { items: { some: { OR: [{ ownerId: me }, { sponsorId: me }] } } }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200,
  });
  return views(p.orgId, rows);
}

async function loadCampaign(p: Principal, id: unknown): Promise<CampaignRow> {
  const c = isId(id) ? await prisma().reviewCampaign.findFirst({ where: { id, orgId: p.orgId } }) : null;
  if (!c) throw new AppError('not_found', 'No such review campaign.');
  const me = p.kind === 'staff' ? p.userId : null;
  if (can(p, 'admin') || can(p, 'audit:read')) return c;
  if (me && c.sponsorId === me) return c;
  if (me && await prisma().reviewItem.findFirst({ where: { campaignId: c.id, OR: [{ ownerId: me }, { sponsorId: me }] }, select: { id: true } })) return c;
  throw new AppError('not_found', 'No such review campaign.');
}

export async function getCampaign(p: Principal, id: unknown): Promise<CampaignView> {
  return (await views(p.orgId, [await loadCampaign(p, id)]))[0];
}

export interface ItemView extends ItemRow { ownerName: string | null; sponsorName: string | null; decidedByName: string | null; mayDecide: boolean }
export interface ItemPage { nodes: ItemView[]; hasNextPage: boolean; endCursor: string | null }

/** May this person decide this item: its owner, or its (or the campaign's) sponsor, while the campaign is open and it is undecided. */
export const mayDecide = (p: Principal, c: Pick<CampaignRow, 'state' | 'sponsorId'>, i: Pick<ItemRow, 'ownerId' | 'sponsorId' | 'decidedAt'>) =>
  p.kind === 'staff' && c.state === 'OPEN' && i.decidedAt == null && (i.ownerId === p.userId || i.sponsorId === p.userId || c.sponsorId === p.userId);

/**
 * A campaign's items, oldest first (keyset). Admins and auditors see every item; owners and sponsors
 * theirs (a sponsor named on the campaign sees all). `pending` leaves out decided items, `mine` keeps
 * only those the caller may decide.
 */
export async function listCampaignItems(p: Principal, campaignId: unknown, raw: { first?: number; after?: string | null; pending?: boolean; mine?: boolean } = {}): Promise<ItemPage> {
  const c = await loadCampaign(p, campaignId);
  const first = Math.min(Math.max(Number.isInteger(raw.first) ? raw.first! : 50, 1), 200);
  const me = p.kind === 'staff' ? p.userId : '';
  const seesAll = can(p, 'admin') || can(p, 'audit:read') || c.sponsorId === me;
  const position = raw.after ? (isId(raw.after) ? await prisma().reviewItem.findFirst({ where: { id: raw.after, campaignId: c.id }, select: { id: true, createdAt: true } }) : null) : null;
  if (raw.after && !position) throw invalidCursor();
  const mine: Prisma.ReviewItemWhereInput = c.sponsorId === me ? {} : { OR: [{ ownerId: me }, { sponsorId: me }] };
  const rows = await prisma().reviewItem.findMany({
    where: {
      campaignId: c.id, ...(raw.pending ? { decidedAt: null } : {}), ...((raw.mine || !seesAll) ? mine : {}),
      ...(position ? { AND: [after(position)] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: first + 1,
  });
  const page = rows.slice(0, first);
  const names = await staffNames(p.orgId, page.flatMap((i) => [i.ownerId, i.sponsorId, i.decidedById]));
  return {
    nodes: page.map((i) => ({
      ...i, ownerName: i.ownerId ? names.get(i.ownerId) ?? null : null, sponsorName: (i.sponsorId ?? c.sponsorId) ? names.get((i.sponsorId ?? c.sponsorId)!) ?? null : null,
      decidedByName: i.decidedById ? names.get(i.decidedById) ?? null : null, mayDecide: mayDecide(p, c, i),
    })),
    hasNextPage: rows.length > first, endCursor: page.length ? page[page.length - 1].id : null,
  };
}

/**
 * One decision on one item, by its owner or sponsor only, once. KEEP changes nothing; REVOKE and
 * CHANGE go through the same functions as everywhere else (lib/reviews/actions.ts), under the decider's
 * own rights. The decision is recorded (and audited as review.decision) only when the action succeeded;
 * an attempt by anyone else, or a second decision, is refused and audited as denied.
 */
export async function decideItem(p: Principal, itemId: unknown, raw: unknown): Promise<ItemView> {
  const input = decideItemInput.parse(raw);
  const item = isId(itemId) ? await prisma().reviewItem.findFirst({ where: { id: itemId, orgId: p.orgId }, include: { campaign: true } }) : null;
  const refuse = async (reason: string, err: AppError): Promise<never> => {
    await recordAudit({ orgId: p.orgId, type: 'review.decision', actor: actorOf(p), request: p.request, outcome: 'denied', reason, details: { itemId: isId(itemId) ? itemId : null, campaignId: item?.campaignId ?? null, decision: input.decision } });
    throw err;
  };
  if (!item) return refuse('not_found', new AppError('not_found', 'No such review item.'));
  const c = item.campaign;
  if (c.state !== 'OPEN') return refuse('closed', new AppError('conflict', 'This review campaign is closed.'));
  if (item.decidedAt) return refuse('already_decided', new AppError('conflict', 'This item has already been decided.'));
  if (!mayDecide(p, c, item)) return refuse('not_reviewer', new AppError('forbidden', 'Only the owner of this grant or the review\'s sponsor may decide it.'));
  const ref = { kind: item.kind as GrantKind, id: item.grantId };
  const opts: ActionOptions = { expiresAt: input.expiresAt, permission: input.permission, reason: `Access review “${c.name}”: ${input.reason}`.slice(0, 500) };
  if (input.decision === 'REVOKE') await applyToGrant(p, ref, 'revoke', opts);
  if (input.decision === 'CHANGE') {
    if (input.expiresAt) await applyToGrant(p, ref, 'extend', opts);
    if (input.permission) await applyToGrant(p, ref, 'permission', opts);
  }
  const change = input.decision === 'CHANGE' ? { ...(input.expiresAt ? { expiresAt: input.expiresAt.toISOString() } : {}), ...(input.permission ? { permission: input.permission } : {}) } : undefined;
  const won = await prisma().$transaction(async (tx) => {
    const r = await tx.reviewItem.updateMany({
      where: { id: item.id, decidedAt: null },
      data: { decision: input.decision, reason: input.reason, change, decidedById: p.kind === 'staff' ? p.userId : null, decidedAt: new Date() },
    });
    if (!r.count) return false;
    await recordAudit({
      orgId: p.orgId, type: 'review.decision', actor: actorOf(p), request: p.request, reason: input.reason, shareId: ref.kind === 'share' ? ref.id : null,
      details: { campaignId: c.id, itemId: item.id, kind: ref.kind, grantId: ref.id, decision: input.decision, ...(change ? { change } : {}) },
    }, tx);
    return true;
  });
  // Two people deciding at once: the action of the second was the same kind of idempotent change; only one decision stands.
  if (!won) return refuse('already_decided', new AppError('conflict', 'This item has already been decided.'));
  const fresh = await prisma().reviewItem.findUniqueOrThrow({ where: { id: item.id } });
  const names = await staffNames(p.orgId, [fresh.ownerId, fresh.sponsorId, fresh.decidedById]);
  return { ...fresh, ownerName: fresh.ownerId ? names.get(fresh.ownerId) ?? null : null, sponsorName: fresh.sponsorId ? names.get(fresh.sponsorId) ?? null : null, decidedByName: fresh.decidedById ? names.get(fresh.decidedById) ?? null : null, mayDecide: false };
}

/** The staff member whose rights an automatic revocation uses: the campaign's creator if still an active admin, else another active admin. */
async function actingAdmin(c: CampaignRow): Promise<Principal | null> {
  const admins = await prisma().staffUser.findMany({ where: { orgId: c.orgId, role: 'ADMIN', disabledAt: null }, select: { id: true, email: true, name: true, role: true }, orderBy: { createdAt: 'asc' } });
  const u = admins.find((a) => a.id === c.createdById) ?? admins[0];
  if (!u) return null;
  return { kind: 'staff', orgId: c.orgId, userId: u.id, email: u.email, name: u.name, role: u.role, scopes: new Set(ROLE_SCOPES[u.role]), request: { ip: null, userAgent: 'liaison access-review deadline' } };
}

const SYSTEM = { type: 'system' as const, id: null, label: 'access review deadline' };

/**
 * Closes every open campaign whose deadline has passed. Undecided items are revoked (autoRevoke) under
 * an administrator's rights, through the same functions as a person's decision, and recorded as
 * automatic REVOKE decisions (review.decision by the system); with autoRevoke off they stay undecided.
 * A grant that is already gone counts as revoked. Returns the number of items revoked.
 */
export async function closeDueCampaigns(now = new Date()): Promise<number> {
  const due = await prisma().reviewCampaign.findMany({ where: { state: 'OPEN', deadline: { lte: now } }, take: 50 });
  let revoked = 0;
  for (const c of due) {
    const admin = c.autoRevoke ? await actingAdmin(c) : null;
    const pending = await prisma().reviewItem.findMany({ where: { campaignId: c.id, decidedAt: null }, orderBy: { id: 'asc' } });
    let failed = 0;
    if (c.autoRevoke) {
      for (const item of pending) {
        const ref = { kind: item.kind as GrantKind, id: item.grantId };
        let error: string | null = admin ? null : 'no active administrator to act for the review';
        if (admin) {
          try {
            await applyToGrant(admin, ref, 'revoke', { reason: `Access review “${c.name}”: not decided by the deadline` });
          } catch (e) {
            const err = toAppError(e);
            if (err.code !== 'not_found') error = `${err.code}: ${err.message}`;
          }
        }
        if (error) {
          failed++;
          await recordAudit({ orgId: c.orgId, type: 'review.decision', actor: SYSTEM, outcome: 'failure', reason: error, details: { campaignId: c.id, itemId: item.id, kind: ref.kind, grantId: ref.id, decision: 'REVOKE', automatic: true } });
          continue;
        }
        await prisma().$transaction(async (tx) => {
          const r = await tx.reviewItem.updateMany({ where: { id: item.id, decidedAt: null }, data: { decision: 'REVOKE', reason: 'Not decided by the deadline', automatic: true, decidedAt: now } });
          if (r.count) {
            await recordAudit({ orgId: c.orgId, type: 'review.decision', actor: SYSTEM, reason: 'not decided by the deadline', shareId: ref.kind === 'share' ? ref.id : null, details: { campaignId: c.id, itemId: item.id, kind: ref.kind, grantId: ref.id, decision: 'REVOKE', automatic: true, actingAs: admin?.kind === 'staff' ? admin.userId : null } }, tx);
            revoked++;
          }
        });
      }
    }
    await prisma().$transaction(async (tx) => {
      const r = await tx.reviewCampaign.updateMany({ where: { id: c.id, state: 'OPEN' }, data: { state: 'CLOSED', closedAt: now } });
      if (r.count) await recordAudit({ orgId: c.orgId, type: 'review.campaign.close', actor: SYSTEM, details: { campaignId: c.id, undecided: pending.length, autoRevoke: c.autoRevoke, failed } }, tx);
    });
    log.info({ campaignId: c.id, undecided: pending.length, failed }, 'access review closed at its deadline');
  }
  return revoked;
}

/**
 * Reminds each owner and sponsor of an open campaign of their undecided items: at most once a day per
 * person and campaign (the mail's dedupe key holds the day), through the mail queue.
 */
export async function sendReviewReminders(now = new Date()): Promise<number> {
  const open = await prisma().reviewCampaign.findMany({ where: { state: 'OPEN', deadline: { gt: now } }, take: 200 });
  let sent = 0;
  for (const c of open) {
    const pending = await prisma().reviewItem.groupBy({ by: ['ownerId', 'sponsorId'], where: { campaignId: c.id, decidedAt: null }, _count: { _all: true } });
    const perPerson = new Map<string, number>();
    for (const g of pending) {
      for (const who of new Set([g.ownerId, g.sponsorId ?? c.sponsorId].filter((x): x is string => !!x))) perPerson.set(who, (perPerson.get(who) ?? 0) + g._count._all);
    }
    if (!perPerson.size) continue;
    const people = await prisma().staffUser.findMany({ where: { orgId: c.orgId, id: { in: [...perPerson.keys()] }, disabledAt: null }, select: { id: true, name: true, email: true } });
    const day = now.toISOString().slice(0, 10);
    for (const u of people) {
      try {
        const r = await enqueueMail({
          orgId: c.orgId, to: { name: u.name, address: u.email }, template: 'access_review_reminder', dedupeKey: `review-reminder:${c.id}:${u.id}:${day}`,
          data: { campaignName: c.name, pending: perPerson.get(u.id)!, deadline: c.deadline, autoRevoke: c.autoRevoke, url: consoleLink(`/reviews/campaigns/${c.id}`) },
        });
        if (!r.duplicate) sent++;
      } catch (e) {
        log.error({ err: e, campaignId: c.id }, 'access review reminder could not be queued');
      }
    }
    await prisma().reviewItem.updateMany({ where: { campaignId: c.id, decidedAt: null }, data: { lastRemindedAt: now } });
  }
  return sent;
}

export const CAMPAIGN_CSV_COLUMNS = ['item_id', 'kind', 'grant_id', 'grant', 'classification', 'owner', 'sponsor', 'expires_at', 'last_activity_at', 'access_count', 'decision', 'automatic', 'change', 'reason', 'decided_by', 'decided_at'] as const;

/**
 * A campaign's results as CSV (RFC 4180, CRLF, BOM; formula-like cells neutralised as in the
 * analytics export), for admins and auditors. Audited as review.campaign.export.
 */
export async function campaignCsv(p: Principal, id: unknown): Promise<{ fileName: string; body: string }> {
  authorizeReview(p);
  const c = await loadCampaign(p, id);
  const items = await prisma().reviewItem.findMany({ where: { campaignId: c.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const names = await staffNames(p.orgId, items.flatMap((i) => [i.ownerId, i.sponsorId ?? c.sponsorId, i.decidedById]));
  const iso = (d: Date | null) => (d ? d.toISOString() : '');
  const rows = items.map((i) => [
    i.id, i.kind, i.grantId, i.label, i.classification ?? '', i.ownerId ? names.get(i.ownerId) ?? i.ownerId : '',
    (i.sponsorId ?? c.sponsorId) ? names.get((i.sponsorId ?? c.sponsorId)!) ?? '' : '', iso(i.expiresAt), iso(i.lastActivityAt), i.accessCount == null ? '' : String(i.accessCount),
    i.decision ?? (c.state === 'CLOSED' ? 'UNDECIDED' : 'PENDING'), i.automatic ? 'yes' : 'no', i.change ? JSON.stringify(i.change) : '', i.reason ?? '',
    i.decidedById ? names.get(i.decidedById) ?? i.decidedById : i.automatic ? 'system (deadline)' : '', iso(i.decidedAt),
  ].map((cell) => neutralizeFormula(cell)));
  const body = '\uFEFF' + stringify([[...CAMPAIGN_CSV_COLUMNS], ...rows], { record_delimiter: 'windows', quoted_match: /\r/ });
  await recordAudit({ orgId: p.orgId, type: 'review.campaign.export', actor: actorOf(p), request: p.request, details: { campaignId: c.id, items: items.length } });
  const slug = c.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'review';
  return { fileName: `access-review-${slug}-${c.createdAt.toISOString().slice(0, 10)}.csv`, body };
}
