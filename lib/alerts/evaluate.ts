import { prisma } from '../db/client';
import { log } from '../log';
import { raiseAlert, type AlertDraft } from './raise';
import { anyEnabled, normaliseRules, type AlertRules } from './rules';

/** Events read per organisation and run; a busier trail is caught up over the next runs. */
export const EVALUATE_BATCH = 2000;
const MINUTE = 60_000;
const DAY = 86_400_000;

interface Ev { seq: number; at: Date; type: string; actorType: string; actorId: string | null; actor: string; ip: string | null; shareId: string | null; outcome: string; details: unknown }

const country = (details: unknown) => {
  const c = (details as { country?: unknown } | null)?.country;
  return typeof c === 'string' && /^[A-Z]{2}$/.test(c) ? c : null;
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** The fixed window an event falls in: one alert per rule and subject in each. */
const bucket = (at: Date, ms: number) => Math.floor(at.getTime() / ms);

/*
 * The rules, each a question asked of the audit trail about one new event. Counts include the event
 * itself and everything before it in the window (by seq, so two events in the same millisecond are
 * still counted in order).
 */

async function downloads(orgId: string, e: Ev, r: AlertRules['downloads']): Promise<AlertDraft | null> {
  if (e.type !== 'guest.download' || e.outcome !== 'success' || !e.actorId) return null;
  const since = new Date(e.at.getTime() - r.minutes * MINUTE);
  const n = await prisma().auditEvent.count({ where: { orgId, type: 'guest.download', outcome: 'success', actorId: e.actorId, seq: { lte: e.seq }, at: { gt: since } } });
  if (n <= r.count) return null;
  const win = bucket(e.at, r.minutes * MINUTE);
  return {
    rule: 'downloads', dedupeKey: `downloads:${e.actorId}:${r.minutes}:${win}`, subject: e.actor, guestId: e.actorId, shareId: e.shareId,
    windowStart: since, windowEnd: e.at,
    title: `${e.actor} downloaded ${plural(n, 'document')} in ${plural(r.minutes, 'minute')}`,
    facts: [['Downloads', String(n)], ['Threshold', `more than ${r.count} in ${plural(r.minutes, 'minute')}`]],
    details: { downloads: n, threshold: r.count, minutes: r.minutes },
  };
}

async function newCountry(orgId: string, e: Ev): Promise<AlertDraft | null> {
  const c = e.type === 'guest.session' && e.outcome === 'success' && e.actorId ? country(e.details) : null;
  if (!c) return null;
  const [row] = await prisma().$queryRaw<Array<{ same: bigint; known: bigint; countries: string[] | null }>>`
    SELECT count(*) FILTER (WHERE details->>'country' = ${c}) AS same,
           count(*) FILTER (WHERE details->>'country' IS NOT NULL) AS known,
           array_agg(DISTINCT details->>'country') FILTER (WHERE details->>'country' IS NOT NULL) AS countries
    FROM "AuditEvent"
    WHERE "orgId" = ${orgId} AND type = 'guest.session' AND outcome = 'success' AND "actorId" = ${e.actorId} AND seq < ${e.seq}`;
  // A guest's first located session sets where they are from; only a later, different one is news.
  if (!row || Number(row.known) === 0 || Number(row.same) > 0) return null;
  const before = (row.countries ?? []).sort();
  return {
    rule: 'new_country', dedupeKey: `new_country:${e.actorId}:${c}`, subject: e.actor, guestId: e.actorId, shareId: e.shareId,
    windowStart: e.at, windowEnd: e.at,
    title: `${e.actor} opened a session from ${c}, a country not seen for them before`,
    facts: [['Country', c], ['Seen before', before.join(', ')], ...(e.ip ? [['IP address', e.ip] as [string, string]] : [])],
    details: { country: c, knownCountries: before, ip: e.ip },
  };
}

async function shareRefusals(orgId: string, e: Ev, r: AlertRules['shareRefusals']): Promise<AlertDraft | null> {
  if (e.outcome !== 'denied' || !e.shareId) return null;
  const since = new Date(e.at.getTime() - r.minutes * MINUTE);
  const n = await prisma().auditEvent.count({ where: { orgId, shareId: e.shareId, outcome: 'denied', seq: { lte: e.seq }, at: { gt: since } } });
  if (n <= r.count) return null;
  const win = bucket(e.at, r.minutes * MINUTE);
  return {
    rule: 'share_refusals', dedupeKey: `share_refusals:${e.shareId}:${r.minutes}:${win}`, subject: `share ${e.shareId}`, guestId: null, shareId: e.shareId,
    windowStart: since, windowEnd: e.at,
    title: `${plural(n, 'refusal')} on share ${e.shareId} in ${plural(r.minutes, 'minute')}`,
    facts: [['Refusals', String(n)], ['Latest reason', e.type + (e.ip ? ` from ${e.ip}` : '')], ['Threshold', `more than ${r.count} in ${plural(r.minutes, 'minute')}`]],
    details: { refusals: n, threshold: r.count, minutes: r.minutes },
  };
}

async function guestIps(orgId: string, e: Ev, r: AlertRules['guestIps']): Promise<AlertDraft | null> {
  if (e.actorType !== 'guest' || !e.actorId || !e.ip) return null;
  const dayStart = new Date(bucket(e.at, DAY) * DAY);
  const rows = await prisma().auditEvent.findMany({
    where: { orgId, actorType: 'guest', actorId: e.actorId, ip: { not: null }, seq: { lte: e.seq }, at: { gte: dayStart } },
    distinct: ['ip'], select: { ip: true }, take: r.count + 1,
  });
  if (rows.length <= r.count) return null;
  const day = dayStart.toISOString().slice(0, 10);
  return {
    rule: 'guest_ips', dedupeKey: `guest_ips:${e.actorId}:${day}`, subject: e.actor, guestId: e.actorId, shareId: e.shareId,
    windowStart: dayStart, windowEnd: e.at,
    title: `${e.actor} used more than ${plural(r.count, 'IP address', 'IP addresses')} on ${day}`,
    facts: [['Day (UTC)', day], ['Addresses', rows.map((x) => x.ip).join(', ')], ['Threshold', `more than ${r.count} a day`]],
    details: { day, addresses: rows.map((x) => x.ip), threshold: r.count },
  };
}

/**
 * Reads one organisation's audit trail from where the last run stopped and raises what the enabled
 * rules see. The position advances only past events fully evaluated: if raising an alert fails (the
 * audit trail or the database unavailable), the next run starts at that event again, and the alerts
 * already raised for earlier events are not raised twice (dedupe key).
 */
export async function evaluateOrg(orgId: string): Promise<number> {
  const s = await prisma().alertSettings.findUnique({ where: { orgId }, select: { rules: true, lastSeq: true } });
  if (!s) return 0;
  const rules = normaliseRules(s.rules);
  if (!anyEnabled(rules)) return 0;
  // Read the end of the trail first: everything up to it is committed (the chain commits in seq order
  // under its lock), so nothing appended meanwhile is passed over.
  const head = (await prisma().auditEvent.findFirst({ where: { orgId }, orderBy: { seq: 'desc' }, select: { seq: true } }))?.seq ?? 0;
  if (head <= s.lastSeq) return 0;
  const events: Ev[] = await prisma().auditEvent.findMany({
    where: { orgId, seq: { gt: s.lastSeq, lte: head }, OR: [{ actorType: { in: ['guest', 'anonymous'] } }, { outcome: 'denied' }] },
    orderBy: { seq: 'asc' }, take: EVALUATE_BATCH,
    select: { seq: true, at: true, type: true, actorType: true, actorId: true, actor: true, ip: true, shareId: true, outcome: true, details: true },
  });
  // A full batch may stop short of the head; otherwise every event up to it has been looked at.
  const end = events.length < EVALUATE_BATCH ? head : events[events.length - 1].seq;
  let raised = 0;
  let done = s.lastSeq;
  // A guest seen from the same address again in this batch cannot add an address: skip the query.
  const seenIp = new Set<string>();
  try {
    for (const e of events) {
      const checks: Array<Promise<AlertDraft | null>> = [];
      if (rules.downloads.enabled) checks.push(downloads(orgId, e, rules.downloads));
      if (rules.newCountry.enabled) checks.push(newCountry(orgId, e));
      if (rules.shareRefusals.enabled) checks.push(shareRefusals(orgId, e, rules.shareRefusals));
      if (rules.guestIps.enabled && e.actorId && e.ip) {
        const key = `${e.actorId}|${e.at.toISOString().slice(0, 10)}|${e.ip}`;
        if (!seenIp.has(key)) { seenIp.add(key); checks.push(guestIps(orgId, e, rules.guestIps)); }
      }
      for (const draft of await Promise.all(checks)) if (draft && await raiseAlert(orgId, draft)) raised++;
      done = e.seq;
    }
    done = end;
  } finally {
    // Only forward, and only from where this run started (a concurrent run may have gone further).
    if (done > s.lastSeq) await prisma().alertSettings.updateMany({ where: { orgId, lastSeq: s.lastSeq }, data: { lastSeq: done } });
  }
  return raised;
}

/** The scheduled job: every organisation with a rule turned on. */
export async function evaluateAlerts(): Promise<number> {
  const orgs = await prisma().alertSettings.findMany({ select: { orgId: true, rules: true } });
  let n = 0;
  for (const o of orgs) {
    if (!anyEnabled(normaliseRules(o.rules))) continue;
    try {
      n += await evaluateOrg(o.orgId);
    } catch (e) {
      log.error({ err: e, orgId: o.orgId }, 'anomaly alert evaluation failed; the next run starts where it stopped');
    }
  }
  return n;
}
