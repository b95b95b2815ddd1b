import { failureLimiter, type ThrottleCheck } from '../auth/throttle';
import { recordAudit } from '../audit/record';
import { sha256Hex } from '../crypto/secrets';
import { log } from '../log';
import { prisma } from '../db/client';
import { loadShareByTokenHash } from './context-loader';

/**
 * Wrong email codes against one address on one link, counted from every client together: after 10 in
 * 15 minutes the address is refused 429 before anything else is done: no share lookup, no query, no
 * hash. A flood of guesses (100 a second from as many addresses in the benchmark) then costs a counter
 * lookup each, and other guests are not slowed (docs/BENCHMARKS.md, "Guest API"). The code's own limit
 * of 5 tries still holds underneath.
 */
export const wrongCodesPerAddress = () => failureLimiter('code-wrong-address', 10, 15 * 60);
export const floodKey = (linkToken: string, email: string): ThrottleCheck[] => [[wrongCodesPerAddress(), `${sha256Hex(linkToken).slice(0, 32)}:${email}`]];

/**
 * Refusals of a flood are recorded, but not one audit write per request (that would make the flood a
 * load on the audit trail): each link and address gets one `guest.session` event per 10 seconds with how
 * many attempts were refused, from how many client addresses, and when the first and last came.
 */
interface Tally { linkToken: string; email: string; count: number; clients: Set<string>; first: Date; last: Date }
const tallies = new Map<string, Tally>();
let timer: NodeJS.Timeout | null = null;
export const FLOOD_FLUSH_MS = 10_000;

export function tallyFloodRefusal(linkToken: string, email: string, ip: string | null): void {
  const key = `${linkToken}:${email}`;
  const now = new Date();
  const t = tallies.get(key) ?? { linkToken, email, count: 0, clients: new Set<string>(), first: now, last: now };
  t.count++;
  if (t.clients.size < 1000) t.clients.add(ip ?? 'unknown');
  t.last = now;
  tallies.set(key, t);
  timer ??= setTimeout(() => { timer = null; void flushFloodTallies(); }, FLOOD_FLUSH_MS);
  timer.unref?.();
}

export async function flushFloodTallies(): Promise<number> {
  const batch = [...tallies.values()];
  tallies.clear();
  let n = 0;
  for (const t of batch) {
    try {
      const details = { email: t.email, method: 'code', attempts: t.count, clients: t.clients.size, from: t.first.toISOString(), to: t.last.toISOString() };
      // A portal's codes are counted under "portal:<portalId>" (lib/portals/open.ts), a share's under its link.
      const portalId = /^portal:([A-Za-z0-9_-]{1,64})$/.exec(t.linkToken)?.[1];
      if (portalId) {
        const portal = await prisma().portal.findUnique({ where: { id: portalId }, select: { id: true, orgId: true } });
        if (!portal) continue;
        await recordAudit({
          orgId: portal.orgId, type: 'guest.session', outcome: 'denied', reason: 'rate_limited',
          actor: { type: 'anonymous', id: null, label: t.email }, request: { ip: null, userAgent: null }, details: { portalId: portal.id, ...details },
        });
        n++;
        continue;
      }
      const share = await loadShareByTokenHash(sha256Hex(t.linkToken));
      if (!share) continue;
      await recordAudit({
        orgId: share.orgId, type: 'guest.session', shareId: share.id, outcome: 'denied', reason: 'rate_limited',
        actor: { type: 'anonymous', id: null, label: t.email }, request: { ip: null, userAgent: null },
        details,
      });
      n++;
    } catch (err) {
      log.error({ err }, 'code flood tally not recorded');
    }
  }
  return n;
}
