import { countPortalGrantAccess } from '../shares/access-counter';
import { decodeJwt } from 'jose';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { decideAcrossGrants, grantNamesGuest, type Action, type DeviceKeyFacts, type GuestFacts, type RequestProof, type RequestFacts, type SessionFacts } from '../policy';
import { verifyGuestToken } from '../tokens';
import type { ServingContext } from '../guest/access';
import { guestLabel, type GuestActor } from '../guest/audit';
import { sessionWithGuest, toGuestFacts, toRequestFacts, toSessionFacts, toVersionFacts, type GuestRequest, type ServedVersion } from '../guest/facts';
import { loadGuestExtras } from '../guest/guest-extras';
import { currentVersion } from '../guest/versions';
import { loadPortalGrants, type PortalGrantsLoaded } from './grant-facts';
import { requestDevice, type RequestDevice } from '../devices/request-device';
import { refuseGuest, touchGuestSession } from '../guest/refusal';
import { logServedRelease } from '../cfr/dissemination';
import type { PortalRow } from './portal-lookup';

export interface PortalGuestContext extends ServingContext {
  portal: PortalRow;
  loaded: PortalGrantsLoaded;
  /** The grants that allowed this request. */
  grantIds: string[];
  groups: string[];
  /** The facts of this decision, so per-entry decisions (the home page's list) reuse them. */
  facts: { guest: GuestFacts; session: SessionFacts; request: RequestFacts };
}

export interface PortalAuthorizeOptions {
  documentId?: string;
  page?: number;
  /** The device key proved with this request (checked by the caller), for device-bound grants. */
  deviceKey?: DeviceKeyFacts | null;
  /** What this request itself proves (terms accepted in it). */
  proof?: RequestProof;
  /** Do not audit a refusal (a probe by the portal's own pages, which then show the refusal). */
  quiet?: boolean;
  /** The portal's hosts, when the caller already loaded them (lib/http/portal-page.ts). */
  hosts?: readonly string[];
}

const invalid = () => new AppError('invalid_token', 'Your session is no longer valid. Sign in again.');

function claimedSession(token: string): string {
  try {
    const sid = decodeJwt(token).sid;
    if (typeof sid === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(sid)) return sid;
  } catch { /* fall through */ }
  throw invalid();
}

/**
 * The portal twin of authorizeGuest (lib/guest/access.ts): authenticates a portal session token (its
 * audience must be this portal, its key this organisation's, its session this portal's) and asks the
 * policy, across every grant of the portal that names the guest (decideAcrossGrants), whether this
 * request may do `action`. Refusals are audited with their reason and thrown as typed errors.
 */
export async function authorizePortalGuest(token: string | null, request: GuestRequest, action: Action, portal: PortalRow,
  opts: PortalAuthorizeOptions = {}): Promise<PortalGuestContext> {
  if (!token) throw new AppError('invalid_token', 'Sign in to open this portal.');
  const session = await loadPortalSession(claimedSession(token), portal.id);
  if (!session) throw invalid();
  const claims = await verifyGuestToken(token, { audience: `portal:${portal.id}`, orgId: portal.orgId });
  if (claims.sid !== session.id || claims.sub !== session.guestId) throw invalid();

  const loaded = await loadPortalGrants(portal, opts.hosts);
  const guest = await guestFactsOf(portal, session);
  // A device is proved only where a grant naming this guest asks for one: that costs a signature check.
  const device = loaded.grants.some((g) => g.requireDevice && grantNamesGuest(g, guest))
    ? await requestDevice(request, session.guestId, token, claims.jkt)
    : { facts: opts.deviceKey ?? null, failure: null };
  return decidePortalSession(portal, loaded, session, guest, request, action, opts, device);
}

type PortalSessionRow = Prisma.GuestSessionGetPayload<{ include: { guest: { select: typeof sessionWithGuest.guest.select & { groups: true } } } }>;

const loadPortalSession = (sessionId: string, portalId: string) => prisma().guestSession.findFirst({
  where: { id: sessionId, portalId },
  include: { guest: { select: { ...sessionWithGuest.guest.select, groups: true } } },
});

async function guestFactsOf(portal: PortalRow, session: PortalSessionRow): Promise<GuestFacts> {
  const extras = await loadGuestExtras(portal.orgId, '', { id: session.guestId, email: session.guest.email });
  return toGuestFacts(session.guest, session.authMethod, { partnerSso: extras.partnerSso, invited: false });
}

/**
 * authorizePortalGuest for a session already authenticated on a long-lived connection (a socket whose
 * handshake ran authorizePortalGuest): loaded by session id with live facts, so a revoked grant, an
 * archived portal (epoch), a disabled guest or a removed device stop the next event even after the
 * short handshake token has expired. `deviceKey` is the device proved at the handshake as it stands now.
 * Refusals keep their own reason (revoked, expired...), audited.
 */
export async function authorizePortalGuestSession(sessionId: string, portal: PortalRow, request: GuestRequest, action: Action,
  opts: PortalAuthorizeOptions = {}): Promise<PortalGuestContext> {
  const session = await loadPortalSession(sessionId, portal.id);
  if (!session) throw invalid();
  const loaded = await loadPortalGrants(portal, opts.hosts);
  const guest = await guestFactsOf(portal, session);
  const key = opts.deviceKey ?? null;
  const device = { facts: key, failure: key ? (key.status === 'APPROVED' ? null : key.status.toLowerCase()) : 'missing' };
  return decidePortalSession(portal, loaded, session, guest, request, action, opts, device, { tokenPresented: false });
}

async function decidePortalSession(portal: PortalRow, loaded: PortalGrantsLoaded, session: PortalSessionRow, guest: GuestFacts, request: GuestRequest,
  action: Action, opts: PortalAuthorizeOptions, device: RequestDevice, refusal: { tokenPresented?: boolean } = {}): Promise<PortalGuestContext> {
  const inPortal = opts.documentId != null && loaded.sections.some((s) => s.documentIds.includes(opts.documentId!));
  const version: ServedVersion | null = inPortal ? await currentVersion(portal.orgId, opts.documentId!) : null;
  const facts = {
    guest, session: toSessionFacts(session),
    request: { ...(await toRequestFacts(request)), deviceKey: device.facts },
  };
  const decision = decideAcrossGrants(loaded.grants, {
    ...facts, action, documentId: opts.documentId ?? null, version: toVersionFacts(version), page: opts.page ?? null, proof: opts.proof,
  });
  const actor: GuestActor = { guestId: session.guestId, email: session.guest.email, shareId: null, portalId: portal.id, grantIds: decision.grantIds };
  if (!decision.allow) {
    return refuseGuest({
      orgId: portal.orgId, action, actor, request, reason: decision.reason, sessionId: session.id, email: session.guest.email,
      documentId: inPortal ? opts.documentId! : null, page: opts.page, version, deviceFailure: device.failure, audit: !opts.quiet,
      tokenPresented: refusal.tokenPresented,
    });
  }
  // Criminal intelligence: the release is logged before anything is served (lib/cfr/dissemination.ts).
  if (inPortal) await logServedRelease(action, version, { orgId: portal.orgId, sessionId: session.id, guestId: session.guestId, email: session.guest.email }, { portalId: portal.id, portalGrantIds: decision.grantIds });
  await touchGuestSession(session);
  return {
    portal, loaded, grantIds: decision.grantIds, groups: session.guest.groups, facts,
    orgId: portal.orgId, sessionId: session.id, guestId: session.guestId, email: session.guest.email,
    identity: guestLabel({ email: session.guest.email, shareId: null, guestId: session.guestId }),
    obligations: decision.obligations, request, version: inPortal ? version : null, actor,
    mark: { shareId: portal.id, via: `portal ${portal.slug}` }, countAccess: (at?: Date) => countPortalGrantAccess(decision.grantIds, at), portalId: portal.id,
  };
}
