import { isLinkToken } from '../guest/link';

/** One cookie per share link, scoped to that link's path, so sessions of two shares never mix. */
export const GUEST_COOKIE = 'liaison_guest';

export function guestCookieHeader(token: string, value: string, maxAgeSeconds: number): string {
  if (!isLinkToken(token)) throw new Error('bad link token');
  // Secure is honoured on http://localhost by browsers, so it is always set. Lax lets the guest's
  // first click from an email carry the cookie; cross-site POSTs still go without it.
  return `${GUEST_COOKIE}=${value}; Path=/s/${token}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Lax`;
}

export const clearGuestCookieHeader = (token: string) => guestCookieHeader(token, '', 0);
