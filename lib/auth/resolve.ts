import { getToken } from 'next-auth/jwt';
import { AppError } from '../errors';
import type { RequestFacts } from '../audit/record';
import { verifyApiKey } from './api-keys';
import { nextAuthSecret, secureCookies } from './next-auth';
import type { Principal } from './principal';
import { ROLE_SCOPES, isScope } from './scopes';
import { findLiveSession } from './sessions';
import { isId } from '../http/ids';

export interface AuthHeaders { authorization?: string | null; cookie?: string | null }

/**
 * Authenticates a staff-side request: `Authorization: Bearer <API key>` (RFC 6750) or the console's
 * session cookie. A presented but bad bearer token is an error even when a cookie is also present.
 */
export async function resolvePrincipal(h: AuthHeaders, request: RequestFacts): Promise<Principal> {
  if (h.authorization) {
    const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(h.authorization.trim());
    if (!m) throw new AppError('invalid_token', 'Use Authorization: Bearer <API key>.');
    const key = await verifyApiKey(m[1]);
    return {
      kind: 'apikey', orgId: key.orgId, keyId: key.id, name: key.name, prefix: key.prefix,
      scopes: new Set(key.scopes.filter(isScope)), request,
    };
  }
  const staff = await staffFromCookie(h.cookie ?? null, request);
  if (!staff) throw new AppError('unauthenticated', 'Sign in or present an API key.');
  return staff;
}

/**
 * The staff member a console cookie stands for, or null (treated as signed out). The cookie must name
 * a live server-side session (`sid`) of its user: ended sessions, expired ones and those of disabled
 * users are refused here, so every console page, server action, API route, GraphQL request, upload
 * and socket stops at once when a session ends.
 */
export async function staffFromCookie(cookie: string | null, request: RequestFacts): Promise<Principal | null> {
  if (!cookie) return null;
  const token = await getToken({
    req: { headers: { cookie }, cookies: parseCookies(cookie) } as never,
    secret: nextAuthSecret(),
    secureCookie: secureCookies(),
  });
  // Cookies from before server-side sessions carry no sid: they are refused like any other dead one.
  if (!token || !isId(token.sub) || !isId(token.sid)) return null;
  const live = await findLiveSession(token.sid, token.sub);
  if (!live) return null;
  return {
    kind: 'staff', orgId: live.orgId, userId: live.userId, email: live.email, name: live.name, role: live.role,
    // A one-time password grants nothing but the means to replace it (changeOwnPassword needs no scope).
    scopes: new Set(live.mustChangePassword ? [] : ROLE_SCOPES[live.role]),
    request, sessionId: live.sessionId, mustChangePassword: live.mustChangePassword,
  };
}

function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
