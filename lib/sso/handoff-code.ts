import { prisma } from '../db/client';
import { AppError } from '../errors';
import { randomToken, sha256Hex } from '../crypto/secrets';
import { failureLimiter, takeAttempt } from '../auth/throttle';
import { auditGuest } from '../guest/audit';
import type { GuestRequest } from '../guest/facts';
import { verifyDeviceProof } from '../devices/dpop';
import type { OpeningDevice } from '../devices/open-device';

/**
 * The one-time code of a partner's single sign-on whose session does not open where the IdP answered
 * (the console host's callback): a portal sign-in started on the portal's custom domain (handed to that
 * host), or a sign-in into a device-bound share or portal, which opens on a page of the same host that
 * first proves the browser's device key (docs/DEVICES.md, "Partner single sign-on").
 *
 * The code is 256 random bits; only its SHA-256 is stored. It is good once (of concurrent redemptions
 * exactly one wins), for HANDOFF_TTL_MS, for the share or portal and the host it was issued for; anything
 * else burns it and is refused. A code issued for a device-bound sign-in needs a valid device proof with
 * its redemption (POST, the URL posted to); without one it is refused device_denied, burnt as well.
 */
export const HANDOFF_TTL_MS = 60_000;

/** Per client address, taken before a code is looked up; a redeemed code gives its point back. */
const redeemsPerClient = () => failureLimiter('portal-sso-handoff', 30, 10 * 60);

const CODE = /^[A-Za-z0-9_-]{43}$/;

export const isHandoffCode = (v: unknown): v is string => typeof v === 'string' && CODE.test(v);

/** The refusal every failed redemption gets: the guest signs in again, nothing says why the code failed. */
const refused = () => new AppError('invalid_token', 'This sign-in link has expired or was already used. Sign in again.');

export type HandoffTarget = { portalId: string; shareId?: undefined } | { shareId: string; portalId?: undefined };

/** Records a code for the guest the IdP has just vouched for; returns the code (shown only in the URL it is sent to). */
export async function issueHandoffCode(args: {
  orgId: string; target: HandoffTarget; host: string; guestId: string; groups: string[]; providerId: string; device: boolean;
}): Promise<{ code: string; id: string }> {
  const code = randomToken(32);
  const row = await prisma().portalSsoHandoff.create({
    data: {
      codeHash: sha256Hex(code), orgId: args.orgId, portalId: args.target.portalId ?? null, shareId: args.target.shareId ?? null,
      host: args.host, guestId: args.guestId, groups: args.groups, providerId: args.providerId, device: args.device,
      expiresAt: new Date(Date.now() + HANDOFF_TTL_MS),
    },
    select: { id: true },
  });
  return { code, id: row.id };
}

/**
 * Takes a code presented on `request.host` for `target`: used up first, then checked; every refusal is
 * audited as `auditType` with its reason (replayed, expired, other_portal / other_share, other_host,
 * device_denied with the proof's own reason in details.check) and answered invalid_token, or
 * device_denied for a missing or bad proof. The device proof is verified here, once (its jti is spent),
 * and handed on for the session to be bound to.
 */
export async function takeHandoffCode(rawCode: unknown, target: HandoffTarget, request: GuestRequest, auditType: 'portal.sso.complete' | 'guest.sso.complete') {
  const attempt = await takeAttempt([[redeemsPerClient(), request.ip ?? 'unknown']]);
  if (!isHandoffCode(rawCode)) throw refused();
  const row = await prisma().portalSsoHandoff.findUnique({ where: { codeHash: sha256Hex(rawCode) }, include: { guest: true } });
  // An unknown code names no organisation, so there is no trail to write it to; the limiter above counts it.
  if (!row) throw refused();
  const now = new Date();
  // Used up first, whatever follows: of two redemptions one wins, and a misdirected code cannot be tried again.
  const { count } = await prisma().portalSsoHandoff.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  const wrongTarget = target.portalId !== undefined ? (row.portalId !== target.portalId ? 'other_portal' : null) : (row.shareId !== target.shareId ? 'other_share' : null);
  let reason = count !== 1 ? 'replayed'
    : row.expiresAt.getTime() <= now.getTime() ? 'expired'
      : wrongTarget ? wrongTarget
        : row.host !== request.host ? 'other_host'
          : null;
  const who = { guestId: row.guestId, email: row.guest.email, shareId: row.shareId, portalId: row.portalId };
  const details: Record<string, unknown> = {
    handoffId: row.id, host: request.host ?? null, issuedFor: row.host, ...(row.device ? { device: true } : {}),
    ...(wrongTarget ? { presentedTo: target.portalId ?? target.shareId } : {}),
  };
  let opening: OpeningDevice = { proof: null };
  if (!reason && (row.device || request.proof?.value)) {
    const p = request.proof;
    const r = p?.value ? await verifyDeviceProof({ proof: p.value, method: p.method, url: p.url, accessToken: null }) : { ok: false as const, reason: 'missing' as const };
    if (r.ok) {
      opening = { proof: r };
      details.deviceKey = r.thumbprint;
    } else if (row.device) {
      reason = 'device_denied';
      details.check = r.reason;
    }
  }
  if (reason) {
    await auditGuest(row.orgId, auditType, who, request, { outcome: 'denied', reason, details });
    if (reason === 'device_denied') throw new AppError('device_denied', 'This browser could not prove its device key. Sign in again from a browser that can hold one.');
    throw refused();
  }
  await auditGuest(row.orgId, auditType, who, request, { details });
  await attempt.succeeded();
  return { row, opening };
}
