// DEVELOPMENT STAND-IN (feat/sso) for the lead's lib/guest/federated.ts: same interface. On `git merge
// main`, main's file replaces this one entirely.
import { guestCookieHeader } from '../http/guest-cookie';
import type { GuestRequest } from './facts';
import { openGuestSession } from './session';

export interface FederatedIdentity {
  providerId: string; partnerOrgId: string; subject: string; email: string;
  name: string | null; groups: string[]; mfa: boolean;
}

export async function signInFederatedGuest(_identity: FederatedIdentity, linkToken: string, request: GuestRequest): Promise<{ location: string; setCookie: string }> {
  const s = await openGuestSession({ link: linkToken }, request, { pendingTerms: true });
  return { location: `/s/${linkToken}`, setCookie: guestCookieHeader(linkToken, s.accessToken, s.expiresIn) };
}
