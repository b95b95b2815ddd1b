import { z } from 'zod';

/**
 * Portal slugs. A portal is served at /p/<slug> on the console host, and the slug appears in links
 * staff send out, so it is plain: lower-case a-z and 0-9 in words joined by single hyphens.
 */
export const SLUG_MIN = 3;
export const SLUG_MAX = 48;
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Words a portal may not take. Every top-level route of the app is here (tests/unit/portal-slug.test.ts
 * derives them from app/ and fails when a new one is missing), so that a slug can never be mistaken for,
 * or later shadow, a console page or an API; the rest are words a visitor could take for the service's
 * own pages, or that a future route is likely to want.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  // app/ and app/(console)/ top-level routes
  'api', 'i', 'p', 's', 'signin', 'sso', 'audit', 'documents', 'guests', 'portals', 'settings', 'shares', 'terms',
  'approvals', 'alerts', 'trace', 'criminal-intelligence', 'reviews',
  // the service's own words and likely future routes
  'admin', 'administrator', 'login', 'logout', 'signout', 'signup', 'register', 'account', 'auth', 'oauth', 'saml', 'oidc',
  'portal', 'static', 'assets', 'vendor', 'public', 'well-known', 'health', 'status', 'www', 'mail', 'email', 'smtp',
  'help', 'support', 'docs', 'unknown-host', 'liaison', 'console', 'dashboard', 'root', 'system', 'security',
  'graphql', 'socket-io', 'jwks', 'robots', 'favicon', 'next', 'preview', 'invite', 'invitations', 'null', 'undefined',
]);

/** Why a slug is not acceptable, in words staff can act on; null when it is fine. */
export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN || slug.length > SLUG_MAX) return `A slug has ${SLUG_MIN} to ${SLUG_MAX} characters.`;
  if (!SLUG_PATTERN.test(slug)) return 'A slug uses lower-case letters a-z, digits and single hyphens between them.';
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved for Liaison's own pages. Choose another slug.`;
  return null;
}

export const slugSchema = z.string().trim().toLowerCase().superRefine((s, ctx) => {
  const problem = slugProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A slug suggested from a portal's name ("Müller & Co. — Counsel" → "muller-co-counsel"). */
export function suggestSlug(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, SLUG_MAX).replace(/-+$/, '');
  if (base.length < SLUG_MIN) return '';
  return RESERVED_SLUGS.has(base) ? `${base}-portal` : base;
}
