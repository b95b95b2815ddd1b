import { z } from 'zod';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { idSchema, isId } from '../http/ids';
import { RULE_LABELS, type AlertRuleName } from './rules';

export const ALERT_STATES = ['OPEN', 'ACKNOWLEDGED', 'ALL'] as const;

export const listAlertsInput = z.object({
  state: z.enum(ALERT_STATES).default('OPEN'),
  first: z.coerce.number().int().min(1).max(100).default(50),
  after: idSchema.optional(),
});

const select = {
  id: true, rule: true, subject: true, guestId: true, shareId: true, windowStart: true, windowEnd: true, details: true, raisedAt: true,
  acknowledgedAt: true, acknowledgedByName: true,
} satisfies Prisma.AlertSelect;
type Row = Prisma.AlertGetPayload<{ select: typeof select }>;

export interface AlertView extends Omit<Row, 'details'> {
  ruleLabel: string;
  title: string;
  facts: Array<[string, string]>;
  details: Record<string, unknown>;
}

function view(a: Row): AlertView {
  const d = (a.details && typeof a.details === 'object' && !Array.isArray(a.details) ? a.details : {}) as Record<string, unknown>;
  const facts = Array.isArray(d.facts) ? (d.facts as unknown[]).filter((f): f is [string, string] => Array.isArray(f) && f.length === 2 && f.every((x) => typeof x === 'string')) : [];
  return { ...a, details: d, ruleLabel: RULE_LABELS[a.rule as AlertRuleName] ?? a.rule, title: typeof d.title === 'string' ? d.title : a.subject, facts };
}

const stateWhere = (s: (typeof ALERT_STATES)[number]): Prisma.AlertWhereInput =>
  s === 'OPEN' ? { acknowledgedAt: null } : s === 'ACKNOWLEDGED' ? { acknowledgedAt: { not: null } } : {};

/** The organisation's alerts, newest first (admins and auditors). */
export async function listAlerts(p: Principal, raw: unknown = {}) {
  authorize(p, 'audit:read');
  const q = listAlertsInput.parse(raw ?? {});
  const position = q.after ? await prisma().alert.findFirst({ where: { id: q.after, orgId: p.orgId }, select: { id: true, raisedAt: true } }) : null;
  if (q.after && !position) throw new AppError('validation_failed', 'The cursor does not name an alert of this list.');
  const rows = await prisma().alert.findMany({
    where: {
      orgId: p.orgId, ...stateWhere(q.state),
      ...(position ? { OR: [{ raisedAt: { lt: position.raisedAt } }, { raisedAt: position.raisedAt, id: { lt: position.id } }] } : {}),
    },
    orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
    take: q.first + 1,
    select,
  });
  const nodes = rows.slice(0, q.first).map(view);
  return { nodes, hasNextPage: rows.length > q.first, endCursor: nodes.length ? nodes[nodes.length - 1].id : null };
}

export async function alertCounts(p: Principal): Promise<{ open: number; acknowledged: number }> {
  authorize(p, 'audit:read');
  const [open, all] = await Promise.all([
    prisma().alert.count({ where: { orgId: p.orgId, acknowledgedAt: null } }),
    prisma().alert.count({ where: { orgId: p.orgId } }),
  ]);
  return { open, acknowledged: all - open };
}

const noteInput = z.string().trim().max(500).transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()).optional();

/** Marks an alert as looked at (admins), once; audited as `alert.acknowledge` with the optional note. */
export async function acknowledgeAlert(p: Principal, id: unknown, rawNote?: unknown): Promise<AlertView> {
  authorize(p, 'admin');
  const note = noteInput.parse(rawNote ?? undefined);
  if (!isId(id)) throw new AppError('not_found', 'No such alert.');
  return prisma().$transaction(async (tx) => {
    const a = await tx.alert.findFirst({ where: { id, orgId: p.orgId }, select: { id: true, rule: true, acknowledgedAt: true } });
    if (!a) throw new AppError('not_found', 'No such alert.');
    if (a.acknowledgedAt) throw new AppError('conflict', 'This alert was already acknowledged.');
    const row = await tx.alert.update({
      where: { id: a.id },
      data: { acknowledgedAt: new Date(), acknowledgedById: p.kind === 'staff' ? p.userId : p.keyId, acknowledgedByName: p.kind === 'staff' ? p.name : `API key ${p.name}` },
      select,
    });
    await recordAudit({ orgId: p.orgId, type: 'alert.acknowledge', actor: actorOf(p), request: p.request, reason: a.rule, details: { alertId: a.id, rule: a.rule, ...(note ? { note } : {}) } }, tx);
    return view(row);
  });
}
