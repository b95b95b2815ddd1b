import { getToken } from 'next-auth/jwt';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import type { RequestFacts } from '../audit/record';
import { verifyApiKey } from './api-keys';
import { nextAuthSecret, secureCookies } from './next-auth';
import type { Principal } from './principal';
import { ROLE_SCOPES, isScope } from './scopes';

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

export async function staffFromCookie(cookie: string | null, request: RequestFacts): Promise<Principal | null> {
  if (!cookie) return null;
  const token = await getToken({
    req: { headers: { cookie }, cookies: parseCookies(cookie) } as never,
    secret: nextAuthSecret(),
    secureCookie: secureCookies(),
  });
  if (!token?.sub) return null;
  const user = await prisma().staffUser.findUnique({ where: { id: token.sub } });
  if (!user || user.disabledAt) return null;
  return { kind: 'staff', orgId: user.orgId, userId: user.id, email: user.email, name: user.name, role: user.role, scopes: new Set(ROLE_SCOPES[user.role]), request };
}

function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
