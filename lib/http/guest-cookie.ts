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

/**
 * The address a code was just asked for on this link, so the next page can say where it went and send
 * it with the code. Scoped to the link's path, HttpOnly, ten minutes (a code's life).
 */
export const CODE_EMAIL_COOKIE = 'liaison_code_email';

export function codeEmailCookieHeader(token: string, email: string | null): string {
  if (!isLinkToken(token)) throw new Error('bad link token');
  return `${CODE_EMAIL_COOKIE}=${email ? encodeURIComponent(email) : ''}; Path=/s/${token}; Max-Age=${email ? 600 : 0}; HttpOnly; Secure; SameSite=Lax`;
}

/** The address from that cookie, only if it still reads as one (it is shown back to the guest). */
export function readCodeEmail(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const v = decodeURIComponent(raw);
    return /^[^\s@<>"]{1,64}@[a-z0-9.-]{1,253}$/.test(v) ? v : null;
  } catch { return null; }
}

/** A cookie's value from a Cookie header (route handlers, which get the raw header). */
export function cookieFrom(header: string | null, name: string): string | null {
  const m = new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(header ?? '');
  return m ? m[1] : null;
}
