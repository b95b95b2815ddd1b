import { z } from 'zod';

/**
 * Words an organisation's slug may not be: first path segments the app serves itself, or will (a slug
 * names portals at /p/<slug> and may appear in paths and host names later), and names that would
 * mislead (admin, root, system). Single letters such as `s` and `p` are already too short.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin', 'administrator', 'api', 'app', 'assets', 'audit', 'auth', 'console', 'dashboard', 'docs', 'documents',
  'graphql', 'health', 'help', 'i', 'invite', 'invitations', 'liaison', 'login', 'logout', 'me', 'new', 'null',
  'org', 'orgs', 'organisation', 'organisations', 'organization', 'organizations', 'p', 'portal', 'portals',
  'public', 'root', 's', 'security', 'settings', 'shares', 'signin', 'signout', 'signup', 'socket-io', 'sso',
  'static', 'status', 'support', 'system', 'terms', 'undefined', 'well-known', 'www',
]);

export const SLUG_MIN = 2;
export const SLUG_MAX = 48;

// Lowercase letters, digits and single inner hyphens: safe in a path, a host label and a file name.
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const slugSchema = z.string()
  .min(SLUG_MIN, `Slugs are ${SLUG_MIN} to ${SLUG_MAX} characters.`)
  .max(SLUG_MAX, `Slugs are ${SLUG_MIN} to ${SLUG_MAX} characters.`)
  .regex(SLUG_PATTERN, 'Slugs are lowercase letters, digits and hyphens, starting and ending with a letter or digit.')
  .refine((s) => !RESERVED_SLUGS.has(s), { message: 'This slug is reserved; choose another.' });
