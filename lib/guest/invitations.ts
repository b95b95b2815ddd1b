// PLACEHOLDER so feat/guests-ui compiles before the lead's lib/guest/invitations.ts lands on main.
// On `git merge main`, main's file replaces this one entirely.
import type { Principal } from '../auth/principal';
import { AppError } from '../errors';

export interface InvitationView {
  id: string; shareId: string; email: string; state: 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';
  sentCount: number; lastSentAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null; createdAt: Date;
}

const pending = (): never => { throw new AppError('internal', 'Invitations are not available yet.'); };

export async function inviteGuests(_p: Principal, _shareId: string, _emails: string[], _message?: string | null): Promise<InvitationView[]> { return pending(); }
export async function resendInvitation(_p: Principal, _id: string): Promise<InvitationView> { return pending(); }
export async function revokeInvitation(_p: Principal, _id: string): Promise<InvitationView> { return pending(); }
export async function listInvitations(_p: Principal, _shareId: string): Promise<InvitationView[]> { return pending(); }
