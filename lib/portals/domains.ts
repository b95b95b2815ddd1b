import crypto from 'node:crypto';
import { prisma, type Tx } from '../db/client';
import { config } from '../config';
import { AppError } from '../errors';
import { recordAudit, type Actor, type RequestFacts } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { isId } from '../http/ids';
import { lookupTxt, type TxtLookup } from './dns-txt';
import { bustHostMap } from './host-map';
import { customHostname, txtName } from './hostname';

/*
 * Custom domains of portals. A claim (PortalDomain) is added with a random challenge; it serves the
 * portal only once the TXT record _liaison-challenge.<host> holds that challenge exactly. Several
 * portals, of one organisation or several, may claim a host, each with its own challenge, but only one
 * claim per host is verified at a time (a partial unique index). A newcomer wins only after the holder's
 * record is gone: verifying re-checks the holder first. A daily job re-checks every claim, and a
 * verified domain whose record disappeared stops serving at once.
 *
 * Who: administrators of the portal's organisation (the `admin` scope); anyone else gets forbidden,
 * and a portal or claim of another organisation is not_found.
 */

const MAX_DOMAINS_PER_PORTAL = 20;
// Marks a claim that served and then lost its record, so the console can say "lost" rather than
// "pending" (the schema keeps no separate flag). Kept across later failed checks until it verifies.
const LOST_PREFIX = 'Stopped serving: ';

export type DomainStatus = 'VERIFIED' | 'PENDING' | 'LOST';

export interface PortalDomainView {
  id: string; portalId: string; hostname: string; txtName: string; txtValue: string; verified: boolean; status: DomainStatus;
  verifiedAt: Date | null; lastCheckedAt: Date | null; lastError: string | null; createdAt: Date;
}

const COLUMNS = { id: true, portalId: true, orgId: true, hostname: true, challenge: true, verifiedAt: true, lastCheckedAt: true, lastError: true, createdAt: true } as const;
type Claim = { id: string; portalId: string; orgId: string; hostname: string; challenge: string; verifiedAt: Date | null; lastCheckedAt: Date | null; lastError: string | null; createdAt: Date };

const isLost = (c: Pick<Claim, 'verifiedAt' | 'lastError'>) => !c.verifiedAt && Boolean(c.lastError?.startsWith(LOST_PREFIX));

function view(c: Claim): PortalDomainView {
  return {
    id: c.id, portalId: c.portalId, hostname: c.hostname, txtName: txtName(c.hostname), txtValue: c.challenge, verified: Boolean(c.verifiedAt),
    status: c.verifiedAt ? 'VERIFIED' : isLost(c) ? 'LOST' : 'PENDING',
    // The marker is for status only; the reason reads better without it.
    verifiedAt: c.verifiedAt, lastCheckedAt: c.lastCheckedAt, lastError: isLost(c) ? c.lastError!.slice(LOST_PREFIX.length) : c.lastError, createdAt: c.createdAt,
  };
}

/** 24 random bytes: 32 base64url characters after the fixed prefix. */
const newChallenge = () => `liaison-site-verification=${crypto.randomBytes(24).toString('base64url')}`;

const SYSTEM: Actor = { type: 'system', id: null, label: 'domain check' };

async function findPortal(p: Principal, portalId: unknown, op: string) {
  const portal = isId(portalId) ? await prisma().portal.findFirst({ where: { id: portalId, orgId: p.orgId }, select: { id: true, slug: true, archivedAt: true } }) : null;
  if (!portal) {
    await recordAudit({ orgId: p.orgId, type: op, actor: actorOf(p), request: p.request, outcome: 'denied', reason: 'not_found', details: { portalId: typeof portalId === 'string' ? portalId.slice(0, 80) : null } });
    throw new AppError('not_found', 'No such portal.');
  }
  return portal;
}

async function findClaim(p: Principal, id: unknown, op: string): Promise<Claim> {
  const claim = isId(id) ? await prisma().portalDomain.findFirst({ where: { id, orgId: p.orgId }, select: COLUMNS }) : null;
  if (!claim) {
    await recordAudit({ orgId: p.orgId, type: op, actor: actorOf(p), request: p.request, outcome: 'denied', reason: 'not_found', details: { domainId: typeof id === 'string' ? id.slice(0, 80) : null } });
    throw new AppError('not_found', 'No such domain.');
  }
  return claim;
}

const details = (c: Pick<Claim, 'id' | 'portalId' | 'hostname'>) => ({ domainId: c.id, portalId: c.portalId, hostname: c.hostname });

/** The portal's domain claims, oldest first. */
export async function listPortalDomains(p: Principal, portalId: unknown): Promise<PortalDomainView[]> {
  authorize(p, 'admin');
  const portal = await findPortal(p, portalId, 'portal.domain.list');
  const rows = await prisma().portalDomain.findMany({ where: { portalId: portal.id, orgId: p.orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: COLUMNS });
  return rows.map(view);
}

/** Claims a host for a portal and returns the TXT record to create. Nothing serves until it is verified. */
export async function addPortalDomain(p: Principal, portalId: unknown, rawHostname: unknown): Promise<PortalDomainView> {
  authorize(p, 'admin');
  const portal = await findPortal(p, portalId, 'portal.domain.add');
  if (portal.archivedAt) throw new AppError('conflict', 'This portal is archived; restore it before adding domains.');
  const hostname = customHostname(rawHostname, config().publicUrl);
  const mine = await prisma().portalDomain.findMany({ where: { portalId: portal.id }, select: { hostname: true } });
  if (mine.some((d) => d.hostname === hostname)) throw new AppError('conflict', `hostname: ${hostname} is already a domain of this portal.`);
  if (mine.length >= MAX_DOMAINS_PER_PORTAL) throw new AppError('conflict', `A portal can have at most ${MAX_DOMAINS_PER_PORTAL} domains; remove one first.`);
  try {
    const claim = await prisma().$transaction(async (tx) => {
      const c = await tx.portalDomain.create({ data: { portalId: portal.id, orgId: p.orgId, hostname, challenge: newChallenge() }, select: COLUMNS });
      await recordAudit({ orgId: p.orgId, type: 'portal.domain.add', actor: actorOf(p), request: p.request, details: { ...details(c), txtName: txtName(hostname) } }, tx);
      return c;
    });
    return view(claim);
  } catch (e) {
    // Two simultaneous adds of the same host to one portal: the (portalId, hostname) unique index.
    if (isUniqueViolation(e)) throw new AppError('conflict', `hostname: ${hostname} is already a domain of this portal.`);
    throw e;
  }
}

/** Stops serving a host and forgets the claim (its TXT record can be deleted afterwards). */
export async function removePortalDomain(p: Principal, id: unknown): Promise<{ id: string }> {
  authorize(p, 'admin');
  const claim = await findClaim(p, id, 'portal.domain.remove');
  await prisma().$transaction(async (tx) => {
    await tx.portalDomain.delete({ where: { id: claim.id } });
    await recordAudit({ orgId: p.orgId, type: 'portal.domain.remove', actor: actorOf(p), request: p.request, details: { ...details(claim), wasVerified: Boolean(claim.verifiedAt) } }, tx);
  });
  bustHostMap(claim.hostname);
  return { id: claim.id };
}

/**
 * Looks the TXT record up now and verifies the claim when one record equals its challenge. A failed
 * check is not an error: the claim comes back unverified with lastError saying why (no such name,
 * no matching value, timeout, held by another portal), and a claim that was verified stops serving.
 */
export async function verifyPortalDomain(p: Principal, id: unknown): Promise<PortalDomainView> {
  authorize(p, 'admin');
  const claim = await findClaim(p, id, 'portal.domain.verify');
  const updated = await checkClaim(claim, await lookupTxt(txtName(claim.hostname)), { actor: actorOf(p), request: p.request, auditAttempt: true });
  return view(updated);
}

interface CheckOptions { actor: Actor; request?: RequestFacts; /** Audit every attempt (staff), not only changes (daily job). */ auditAttempt: boolean }

/** Applies one lookup's result to one claim: verify, keep, or unverify it. The core of verify and the daily job. */
async function checkClaim(claim: Claim, found: TxtLookup, o: CheckOptions, now = new Date()): Promise<Claim> {
  const name = txtName(claim.hostname);
  let failure: { reason: string; message: string } | null = null;
  if (!found.ok) failure = { reason: found.code, message: found.message };
  else if (!found.records.includes(claim.challenge)) {
    failure = { reason: 'mismatch', message: found.records.length
      ? `${name} has ${found.records.length === 1 ? 'a TXT record' : `${found.records.length} TXT records`}, but none equals this domain's value exactly. Check for typos, quotes or spaces.`
      : `${name} has no TXT record. Create it, then verify again.` };
  }

  if (!failure && !claim.verifiedAt) {
    // Another claim may hold the host. It keeps it while its own challenge is still published.
    const holder = await prisma().portalDomain.findFirst({ where: { hostname: claim.hostname, verifiedAt: { not: null }, NOT: { id: claim.id } }, select: COLUMNS });
    if (holder && found.ok && found.records.includes(holder.challenge)) {
      failure = { reason: 'held_elsewhere', message: `${claim.hostname} is verified for another portal. It can be verified here once that portal's TXT value is removed from ${name}.` };
    } else if (holder) {
      await loseClaim(holder, { reason: 'record_missing', message: `the TXT record no longer holds this domain's value (another portal verified ${claim.hostname}).` }, now);
    }
  }

  if (failure) {
    const lost = Boolean(claim.verifiedAt) || isLost(claim);
    const lastError = (lost ? LOST_PREFIX : '') + failure.message;
    const updated = await prisma().$transaction(async (tx) => {
      const c = await writeIfUnchanged(tx, claim, { verifiedAt: null, lastCheckedAt: now, lastError });
      if (!c) return null;
      if (o.auditAttempt) await recordAudit({ orgId: claim.orgId, type: 'portal.domain.verify', actor: o.actor, request: o.request, outcome: 'failure', reason: failure.reason, details: { ...details(claim), txtName: name, error: failure.message } }, tx);
      if (claim.verifiedAt) await recordAudit({ orgId: claim.orgId, type: 'portal.domain.unverified', actor: o.actor, request: o.request, reason: failure.reason, details: { ...details(claim), error: failure.message } }, tx);
      return c;
    });
    if (!updated) return current(claim);
    if (claim.verifiedAt) bustHostMap(claim.hostname);
    return updated;
  }

  try {
    const updated = await prisma().$transaction(async (tx) => {
      const c = await writeIfUnchanged(tx, claim, { verifiedAt: claim.verifiedAt ?? now, lastCheckedAt: now, lastError: null });
      if (!c) return null;
      if (o.auditAttempt || !claim.verifiedAt) await recordAudit({ orgId: claim.orgId, type: 'portal.domain.verify', actor: o.actor, request: o.request, details: { ...details(claim), txtName: name, newlyVerified: !claim.verifiedAt } }, tx);
      return c;
    });
    if (!updated) return current(claim);
    bustHostMap(claim.hostname);
    return updated;
  } catch (e) {
    // Another claim on the host was verified between our check and our write: the index kept one.
    if (!isUniqueViolation(e)) throw e;
    const message = `${claim.hostname} was verified for another portal at the same moment. Verify again in a minute.`;
    return prisma().$transaction(async (tx) => {
      const c = await tx.portalDomain.update({ where: { id: claim.id }, data: { lastCheckedAt: now, lastError: message }, select: COLUMNS });
      if (o.auditAttempt) await recordAudit({ orgId: claim.orgId, type: 'portal.domain.verify', actor: o.actor, request: o.request, outcome: 'failure', reason: 'held_elsewhere', details: { ...details(claim), txtName: name, error: message } }, tx);
      return c;
    });
  }
}

/** Unverifies a claim whose record is gone (system action, audited in the claim's own organisation). */
async function loseClaim(claim: Claim, why: { reason: string; message: string }, now: Date) {
  await prisma().$transaction(async (tx) => {
    if (!(await writeIfUnchanged(tx, claim, { verifiedAt: null, lastCheckedAt: now, lastError: LOST_PREFIX + why.message }))) return;
    await recordAudit({ orgId: claim.orgId, type: 'portal.domain.unverified', actor: SYSTEM, reason: why.reason, details: { ...details(claim), error: why.message } }, tx);
  });
  bustHostMap(claim.hostname);
}

/**
 * Writes a check's outcome only if the claim is still as it was read: a lookup takes seconds, and in
 * the meantime an administrator may have verified or removed it. Null when it changed (nothing written).
 */
async function writeIfUnchanged(tx: Tx, claim: Claim, data: { verifiedAt: Date | null; lastCheckedAt: Date; lastError: string | null }): Promise<Claim | null> {
  const { count } = await tx.portalDomain.updateMany({ where: { id: claim.id, verifiedAt: claim.verifiedAt }, data });
  return count ? tx.portalDomain.findUniqueOrThrow({ where: { id: claim.id }, select: COLUMNS }) : null;
}

/** The claim as it is now (as read, if it has just been removed). */
const current = async (claim: Claim): Promise<Claim> => (await prisma().portalDomain.findUnique({ where: { id: claim.id }, select: COLUMNS })) ?? claim;

function isUniqueViolation(e: unknown): boolean {
  const o = e as { code?: unknown; message?: unknown; cause?: unknown };
  if (o?.code === 'P2002' || o?.code === '23505') return true;
  return typeof o?.message === 'string' && /Unique constraint|duplicate key/i.test(o.message);
}

// Shorter than the job's 24-hour interval, so every claim is still looked up once a day.
const RECHECK_AFTER_MS = 20 * 3_600_000;

/**
 * The daily re-check: every claim not checked in the last 20 hours is looked up again (one lookup per host). Verified claims whose
 * record is gone stop serving; pending claims whose record has appeared are verified (when no other
 * claim still holds the host). Only changes are audited, not each unchanged check.
 */
export async function recheckPortalDomains(opts: { now?: Date; orgId?: string } = {}): Promise<{ checked: number; verified: number; unverified: number }> {
  const now = opts.now ?? new Date();
  const result = { checked: 0, verified: 0, unverified: 0 };
  const lookups = new Map<string, Promise<TxtLookup>>();
  let cursor: string | undefined;
  for (;;) {
    const batch = await prisma().portalDomain.findMany({
      where: {
        // One organisation's claims only: an administrator's "check all now", and tests sharing a database.
        ...(opts.orgId ? { orgId: opts.orgId } : {}),
        // Claims checked within the last hours (just verified by hand, say) wait for the next run.
        OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: new Date(now.getTime() - RECHECK_AFTER_MS) } }],
      },
      orderBy: { id: 'asc' }, take: 200, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}), select: COLUMNS,
    });
    if (!batch.length) break;
    cursor = batch[batch.length - 1].id;
    for (const stale of batch) {
      // Re-read: an earlier claim of the same host may have just changed this one.
      const claim = await prisma().portalDomain.findUnique({ where: { id: stale.id }, select: COLUMNS });
      if (!claim) continue;
      let found = lookups.get(claim.hostname);
      if (!found) lookups.set(claim.hostname, (found = lookupTxt(txtName(claim.hostname))));
      const after = await checkClaim(claim, await found, { actor: SYSTEM, auditAttempt: false }, now);
      result.checked++;
      if (!claim.verifiedAt && after.verifiedAt) result.verified++;
      if (claim.verifiedAt && !after.verifiedAt) result.unverified++;
    }
  }
  return result;
}
