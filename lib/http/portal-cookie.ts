/**
 * The portal session cookie. One per portal and host: on the console host it is scoped to the
 * portal's path (/p/<slug>), on the portal's own domain to "/"; it carries no Domain attribute, so it
 * is never sent to another host, and the session behind it is bound to the host it was opened on.
 */
export const PORTAL_COOKIE = 'liaison_portal';

/** The address a code was just sent to, shown on the next step of the sign-in form (ten minutes). */
export const PORTAL_CODE_EMAIL_COOKIE = 'liaison_portal_email';

const pathOf = (basePath: string) => (basePath === '' ? '/' : basePath);

export function portalCookieHeader(basePath: string, value: string, maxAgeSeconds: number): string {
  if (basePath !== '' && !/^\/p\/[a-z0-9-]{3,48}$/.test(basePath)) throw new Error('bad portal path');
  return `${PORTAL_COOKIE}=${value}; Path=${pathOf(basePath)}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Lax`;
}

export function portalCodeEmailCookieHeader(basePath: string, email: string | null): string {
  if (basePath !== '' && !/^\/p\/[a-z0-9-]{3,48}$/.test(basePath)) throw new Error('bad portal path');
  return `${PORTAL_CODE_EMAIL_COOKIE}=${email ? encodeURIComponent(email) : ''}; Path=${pathOf(basePath)}; Max-Age=${email ? 600 : 0}; HttpOnly; Secure; SameSite=Lax`;
}
