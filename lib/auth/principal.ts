import type { StaffRole } from '../generated/prisma/enums';
import { AppError } from '../errors';
import type { Actor, RequestFacts } from '../audit/record';
import type { Scope } from './scopes';

/** Who is calling, after authentication. Every staff-side domain function takes one. */
export type Principal =
  | {
    kind: 'staff'; orgId: string; userId: string; email: string; name: string; role: StaffRole; scopes: ReadonlySet<Scope>; request: RequestFacts;
    /** The console session (StaffSession row) the request came with, when it came with one. */
    sessionId?: string;
    /** A one-time password is still in use: no scope is granted until its owner sets a new password. */
    mustChangePassword?: boolean;
  }
  | { kind: 'apikey'; orgId: string; keyId: string; name: string; prefix: string; scopes: ReadonlySet<Scope>; request: RequestFacts };

export function actorOf(p: Principal): Actor {
  return p.kind === 'staff'
    ? { type: 'staff', id: p.userId, label: p.email }
    : { type: 'apikey', id: p.keyId, label: `api key ${p.name} (${p.prefix})` };
}

/** The single authorisation check for staff-side operations. */
export function authorize(p: Principal, scope: Scope): void {
  if (p.scopes.has(scope)) return;
  if (p.kind === 'apikey') throw new AppError('insufficient_scope', `This API key lacks the ${scope} scope.`);
  throw new AppError('forbidden', 'Your role does not allow this action.');
}

export const can = (p: Principal, scope: Scope) => p.scopes.has(scope);
