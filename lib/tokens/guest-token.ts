import crypto from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { config } from '../config';
import { AppError, toAppError } from '../errors';
import { CLOCK_SKEW_SECONDS, MAX_TOKEN_TTL_SECONDS, TOKEN_ALG, TOKEN_TYP } from './constants';
import { currentSigningKey, verificationKey } from './signing-keys';

/** A token is bound to one context: a share (link access) or a portal. */
export type GuestAudience = `share:${string}` | `portal:${string}`;
export const shareAudience = (shareId: string): GuestAudience => `share:${shareId}`;
export const portalAudience = (portalId: string): GuestAudience => `portal:${portalId}`;

const AUDIENCE = /^(share|portal):[A-Za-z0-9_-]{1,128}$/;
const ID = /^[A-Za-z0-9_-]{1,128}$/;
// Far above anything we issue (about 1 KB); refusing early keeps junk from reaching the parser.
const MAX_TOKEN_CHARS = 4096;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface GuestTokenClaims {
  /** Guest id. */
  sub: string;
  /** Guest session id: what the token authenticates. Revocation is the policy's job, via the session. */
  sid: string;
}

/**
 * What a token says about where it may be used, for checks that run before any database work (proxy.ts,
 * defence in depth; the policy decides every request again with live facts): the host the session was
 * opened on, and the network and country conditions of the grant(s) as they were at sign-in.
 */
export interface GuestTokenConditions {
  host?: string | null;
  /** Allowed CIDR ranges; absent when any address may use the grant (or the list is too long to carry). */
  ip?: string[];
  /** Allowed ISO country codes; absent when any country may. */
  cc?: string[];
  /** RFC 7638 thumbprint of the device key the session is bound to (RFC 9449 cnf.jkt). */
  jkt?: string;
}

/** Conditions longer than this are left to the policy rather than carried in every cookie. */
const MAX_CONDITION_ITEMS = 32;

export interface VerifiedGuestToken extends GuestTokenClaims {
  aud: GuestAudience;
  jti: string;
  /** The device key the session is bound to (cnf.jkt), when it was opened with one. */
  jkt: string | null;
  kid: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * Signs an RS256 access token (compact JWS) for a guest session with the current signing key of
 * `orgId`, the organisation that owns the share or portal named by the audience.
 */
export async function signGuestToken(
  claims: GuestTokenClaims,
  opts: { audience: GuestAudience; ttlSeconds: number; orgId: string; now?: Date; conditions?: GuestTokenConditions },
): Promise<string> {
  // Programming errors, not client errors: fail loudly rather than issue an odd token.
  if (!AUDIENCE.test(opts.audience)) throw new Error(`signGuestToken: bad audience ${JSON.stringify(opts.audience)}`);
  if (typeof opts.orgId !== 'string' || !ID.test(opts.orgId)) throw new Error('signGuestToken: orgId must be an organisation id');
  if (!ID.test(claims.sub) || !ID.test(claims.sid)) throw new Error('signGuestToken: sub and sid must be ids');
  if (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds < 1 || opts.ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
    throw new Error(`signGuestToken: ttlSeconds must be an integer from 1 to ${MAX_TOKEN_TTL_SECONDS}`);
  }
  const key = await currentSigningKey(opts.orgId);
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const exp = iat + opts.ttlSeconds;
  const c = opts.conditions ?? {};
  const cnd = {
    ...(c.ip?.length && c.ip.length <= MAX_CONDITION_ITEMS ? { ip: c.ip } : {}),
    ...(c.cc?.length && c.cc.length <= MAX_CONDITION_ITEMS ? { cc: c.cc } : {}),
  };
  return new SignJWT({
    sid: claims.sid,
    ...(c.host ? { host: c.host } : {}),
    ...(Object.keys(cnd).length ? { cnd } : {}),
    ...(c.jkt ? { cnf: { jkt: c.jkt } } : {}),
  })
    .setProtectedHeader({ alg: TOKEN_ALG, typ: TOKEN_TYP, kid: key.kid })
    .setIssuer(config().publicUrl)
    .setAudience(opts.audience)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}

/** Carries a failure of our own key store (database down) past jose, so it is not reported as a bad token. */
class KeyStoreError extends Error {}

const invalid = (message: string, cause?: unknown) => new AppError('invalid_token', message, { cause });

/**
 * Verifies a guest token for one audience of organisation `orgId` (the owner of that share or portal,
 * from the database, never from the token). Every way a token can be wrong (alg none or HMAC, unknown or
 * retired kid, a key of another organisation, bad signature, wrong typ, iss or aud, expired, not yet
 * valid, missing claims) becomes AppError('invalid_token'). A database outage while looking up the key
 * is not the token's fault and surfaces as database_unavailable instead.
 */
export async function verifyGuestToken(token: string, opts: { audience: GuestAudience; orgId: string; now?: Date }): Promise<VerifiedGuestToken> {
  const now = opts.now ?? new Date();
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !COMPACT_JWS.test(token)) throw invalid('The access token is malformed.');
  // The expected audience often comes from a URL; an id we never issue cannot match any of our tokens.
  if (typeof opts.audience !== 'string' || !AUDIENCE.test(opts.audience)) throw invalid('The access token is invalid.');
  if (typeof opts.orgId !== 'string' || !ID.test(opts.orgId)) throw invalid('The access token is invalid.');

  const getKey: JWTVerifyGetKey<CryptoKey> = async (header) => {
    // jose has already refused any alg outside `algorithms`; the key must still be one of ours.
    if (typeof header.kid !== 'string') throw invalid('The access token names no key.');
    let found: Awaited<ReturnType<typeof verificationKey>>;
    try {
      found = await verificationKey(header.kid, now);
    } catch (e) {
      throw new KeyStoreError('signing key lookup failed', { cause: e });
    }
    if (!found) throw invalid('The access token was signed by an unknown or retired key.');
    // Each organisation's keys verify only its own tokens: a key of organisation B never vouches for a
    // share of A. Keys without an organisation are the instance-wide ones from before, until they retire.
    if (found.orgId !== null && found.orgId !== opts.orgId) throw invalid('The access token was not signed by this organisation.');
    return found.key;
  };

  try {
    const { payload, protectedHeader } = await jwtVerify(token, getKey, {
      algorithms: [TOKEN_ALG],
      typ: TOKEN_TYP,
      issuer: config().publicUrl,
      audience: opts.audience,
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: MAX_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS,
      requiredClaims: ['iss', 'aud', 'sub', 'sid', 'jti', 'iat', 'nbf', 'exp'],
    });
    const { sub, sid, aud, jti, iat, exp } = payload;
    // We only ever issue a single audience string; an array here is not one of our tokens.
    if (typeof aud !== 'string' || typeof sub !== 'string' || !ID.test(sub) || typeof sid !== 'string' || !ID.test(sid) || typeof jti !== 'string') {
      throw invalid('The access token is invalid.');
    }
    return {
      sub, sid, jti, aud: aud as GuestAudience, kid: protectedHeader.kid as string,
      jkt: typeof (payload.cnf as { jkt?: unknown } | undefined)?.jkt === 'string' ? (payload.cnf as { jkt: string }).jkt : null,
      issuedAt: new Date((iat as number) * 1000), expiresAt: new Date((exp as number) * 1000),
    };
  } catch (e) {
    if (e instanceof KeyStoreError) throw toAppError(e.cause);
    if (e instanceof AppError) throw e;
    if (e instanceof errors.JWTExpired) throw invalid('The access token has expired.', e);
    throw invalid('The access token is invalid.', e);
  }
}
