import { prisma } from '../db/client';
import { refusalError, type Action, type DenyReason } from '../policy';
import { auditGuest, type GuestActor } from './audit';
import type { GuestRequest, ServedVersion } from './facts';
import { ssoUrlForGuest } from './sso-link';

export interface RefusalFacts {
  orgId: string; action: Action; actor: GuestActor; request: GuestRequest; reason: DenyReason;
  sessionId: string; email: string | null; documentId: string | null; page?: number | null;
  version: ServedVersion | null; deviceFailure?: string | null; audit?: boolean;
  /** The request authenticated with a token (the default): a revoked or expired grant answers invalid_token. */
  tokenPresented?: boolean;
}

/**
 * A refused guest request, whatever the grant (share or portal): audited with its reason (and the
 * version, page and device check that led to it), then thrown as the typed error, with where a
 * partner's people sign in when that is the reason.
 */
export async function refuseGuest(r: RefusalFacts): Promise<never> {
  if (r.audit !== false) {
    await auditGuest(r.orgId, `guest.${r.action}`, r.actor, r.request, {
      documentId: r.documentId, outcome: 'denied', reason: r.reason,
      details: {
        sessionId: r.sessionId, ...(r.page != null ? { page: r.page } : {}), ...(r.version ? { versionId: r.version.id, tlp: r.version.tlp } : {}),
        ...(r.reason === 'device_denied' && r.deviceFailure ? { device: r.deviceFailure } : {}),
      },
    });
  }
  const ssoUrl = r.reason === 'sso_required' ? await ssoUrlForGuest({ orgId: r.orgId }, r.email) : undefined;
  throw refusalError(r.reason, { tokenPresented: r.tokenPresented ?? true, ssoUrl });
}

/** Marks a session seen, at most once a minute (a write per request would cost more than it tells). */
export async function touchGuestSession(session: { id: string; lastSeenAt: Date }): Promise<void> {
  if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
    await prisma().guestSession.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
}
