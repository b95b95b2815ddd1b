import { decodeJwt } from 'jose';
import { AppError } from '../errors';
import { decideAccess, type Action, type DeviceKeyFacts, type GrantFacts, type GuestFacts, type Obligations, type RequestFacts, type RequestProof, type SessionFacts } from '../policy';
import { verifyGuestToken } from '../tokens';
import { toGuestFacts, toRequestFacts, toSessionFacts, toShareFacts, toVersionFacts, type GuestRequest, type ServedVersion, type ShareRow } from './facts';
import { guestLabel, type GuestActor } from './audit';
import { countShareAccess } from '../shares/access-counter';
import { loadSessionWithShare, type LoadedContext } from './context-loader';
import { refuseGuest, touchGuestSession } from './refusal';
import { requestDevice, type RequestDevice } from '../devices/request-device';
import { logServedRelease } from '../cfr/dissemination';

/** What serving a page image, the viewer or a download needs, whether the guest came by a share or a portal. */
export interface ServingContext {
  orgId: string;
  sessionId: string;
  guestId: string;
  email: string | null;
  identity: string;
  obligations: Obligations;
  request: GuestRequest;
  /** The version the policy decided on, when the action was about a document: serve exactly this one. */
  version: ServedVersion | null;
  /** The guest as the audit trail names them (with the share, or the portal and the grants that allowed). */
  actor: GuestActor;
  /** What watermarks stamp as the way the copy came: the share id, or `via` ("portal <slug>"). */
  mark: { shareId: string; via?: string };
  /** Counts an access of the share (portals count theirs from the trail). */
  countAccess(at?: Date): void;
  /** A portal session: page timing is recorded for its analytics. */
  portalId?: string | null;
}

export interface GuestContext extends ServingContext {
  share: ShareRow;
  /** Every shared document's current version, when asked for with `allVersions` (a list). */
  versions?: ServedVersion[];
  /** The facts of this decision, so per-entry decisions (list) reuse them instead of reloading. */
  facts: { grant: GrantFacts; guest: GuestFacts; session: SessionFacts; request: RequestFacts };
}

const invalid = () => new AppError('invalid_token', 'The access token is invalid.');

/** The session a token names, read before verification only to load it (and its share) in one query. */
function claimedSession(token: string): string {
  try {
    const sid = decodeJwt(token).sid;
    if (typeof sid === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(sid)) return sid;
  } catch { /* fall through */ }
  throw invalid();
}

/** Which share a token claims to be for, read before verification only to pick the expected audience. */
function claimedShare(token: string): string {
  try {
    const aud = decodeJwt(token).aud;
    const m = typeof aud === 'string' ? /^share:([A-Za-z0-9_-]{1,64})$/.exec(aud) : null;
    if (m) return m[1];
  } catch { /* fall through */ }
  throw invalid();
}

export interface AuthorizeOptions {
  /** The document the action is about; its current version is loaded and decided on. */
  documentId?: string;
  /** The 1-based page of a page-image request (action view). */
  page?: number;
  /** Binds a browser request to the share in its URL, so a token for share A is refused on share B. */
  expectedShareId?: string;
  /** The share, when the route already loaded it from the link. */
  share?: ShareRow;
  /** What this request itself proves (terms accepted in it). */
  proof?: RequestProof;
  /** Load every shared document's current version with the session (a list), in the same round trip. */
  allVersions?: boolean;
}

/**
 * Authenticates a guest token and asks the policy function whether this request may do `action`.
 * Refusals are audited and thrown as typed errors.
 */
export async function authorizeGuest(token: string | null, request: GuestRequest, action: Action, opts: AuthorizeOptions = {}): Promise<GuestContext> {
  if (!token) throw new AppError('invalid_token', 'An access token is required.');
  const shareId = opts.share?.id ?? opts.expectedShareId ?? claimedShare(token);
  // One round trip: the session, its guest and, unless the route already has it, its share — looked up by
  // the session the token names, before verification, because the share's organisation decides which keys
  // may have signed it. Nothing is used until the signature, audience and organisation check out.
  const loaded = await loadSessionWithShare(claimedSession(token), opts.documentId ?? null, { allVersions: opts.allVersions && !opts.share });
  const session = loaded?.session ?? null;
  const share = opts.share ?? loaded?.share ?? null;
  if (!session || !share || share.id !== shareId || session.shareId !== shareId) throw invalid();
  const claims = await verifyGuestToken(token, { audience: `share:${shareId}`, orgId: share.orgId });
  if (claims.sid !== session.id || session.guestId !== claims.sub || session.shareId !== shareId) throw invalid();
  const device = share.requireDevice ? await requestDevice(request, session.guestId, token, claims.jkt) : { facts: null, failure: null };
  return decideForSession(loaded!, share, request, action, opts, device);
}

export interface SessionAuthorizeOptions {
  documentId?: string;
  page?: number;
  /**
   * The device key proved when this connection was authenticated, as it stands now (approved, pending,
   * revoked), or null when none was proved. Only read when the share requires a device.
   */
  deviceKey?: DeviceKeyFacts | null;
}

/**
 * The policy's decision for a session already authenticated on a long-lived connection (a socket, whose
 * handshake ran authorizeGuest): the session, guest and share are loaded by the session id, with live
 * facts, so revoking, expiring, narrowing or a new password stop the next event, without the short
 * handshake token having to be valid still. Refusals are audited and thrown with their own reason
 * (revoked, expired...), not folded into invalid_token: the caller tells the guest why the socket ends.
 */
export async function authorizeGuestSession(sessionId: string, shareId: string, request: GuestRequest, action: Action, opts: SessionAuthorizeOptions = {}): Promise<GuestContext> {
  const loaded = await loadSessionWithShare(sessionId, opts.documentId ?? null);
  if (!loaded || loaded.share.id !== shareId || loaded.session.shareId !== shareId) throw invalid();
  const device: RequestDevice = loaded.share.requireDevice
    ? { facts: opts.deviceKey ?? null, failure: opts.deviceKey ? (opts.deviceKey.status === 'APPROVED' ? null : opts.deviceKey.status.toLowerCase()) : 'missing' }
    : { facts: null, failure: null };
  return decideForSession(loaded, loaded.share, request, action, opts, device, { tokenPresented: false });
}

/** The decision proper, once the session is known to be the caller's: shared by the token and session paths. */
async function decideForSession(loaded: LoadedContext, share: ShareRow, request: GuestRequest, action: Action,
  opts: { documentId?: string; page?: number; proof?: RequestProof }, device: RequestDevice, refusal: { tokenPresented?: boolean } = {}): Promise<GuestContext> {
  const { session } = loaded;
  const shareId = share.id;
  const inShare = opts.documentId != null && share.documents.some((d) => d.documentId === opts.documentId);
  // Loaded with the session, for the session's share (checked by the caller to be this share).
  const version = inShare ? loaded.version ?? null : null;
  const extras = loaded.extras ?? { partnerSso: false, invited: false };
  const facts = {
    grant: toShareFacts(share), guest: toGuestFacts(session.guest, session.authMethod, extras),
    session: toSessionFacts(session), request: { ...(await toRequestFacts(request)), deviceKey: device.facts },
  };
  const decision = decideAccess({ ...facts, action, documentId: opts.documentId ?? null, version: toVersionFacts(version), page: opts.page ?? null, proof: opts.proof });
  const who = { guestId: session.guestId, email: session.guest.email, shareId };
  if (!decision.allow) {
    return refuseGuest({
      orgId: share.orgId, action, actor: who, request, reason: decision.reason, sessionId: session.id, email: session.guest.email,
      documentId: inShare ? opts.documentId! : null, page: opts.page, version, deviceFailure: device.failure, tokenPresented: refusal.tokenPresented,
    });
  }
  // Criminal intelligence: the release is logged before anything is served (lib/cfr/dissemination.ts).
  await logServedRelease(action, version, { orgId: share.orgId, sessionId: session.id, guestId: session.guestId, email: session.guest.email }, { shareId });
  await touchGuestSession(session);
  return {
    share, orgId: share.orgId, sessionId: session.id, guestId: session.guestId, email: session.guest.email, identity: guestLabel(who),
    obligations: decision.obligations, request, version, facts, versions: loaded.versions,
    actor: who, mark: { shareId }, countAccess: (at?: Date) => countShareAccess(shareId, at),
  };
}

/** Token from `Authorization: Bearer`. Tokens in query strings are refused outright (docs/API.md). */
export function bearerToken(headers: { get(n: string): string | null }, url: string): string | null {
  const q = new URL(url, 'http://x').searchParams;
  if (q.has('access_token') || q.has('token')) throw new AppError('invalid_token', 'Tokens are not accepted in the query string; use the Authorization header.');
  const h = headers.get('authorization');
  if (!h) return null;
  const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(h.trim());
  if (!m) throw new AppError('invalid_token', 'Use Authorization: Bearer <access_token>.');
  return m[1];
}
