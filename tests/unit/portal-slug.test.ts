import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESERVED_SLUGS, slugProblem, slugSchema, suggestSlug } from '../../lib/portals/slug';

const APP = path.join(import.meta.dirname, '../../app');

/**
 * The first URL segment of every route folder under app/: route groups "(console)" are expanded,
 * private folders ("_shared") and dynamic segments ("[token]") are not routes of their own.
 */
function topLevelRoutes(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('_') || e.name.startsWith('[')) continue;
    if (/^\(.+\)$/.test(e.name)) out.push(...topLevelRoutes(path.join(dir, e.name)));
    // A slug cannot hold a dot, so ".well-known" is guarded by reserving "well-known".
    else out.push(e.name.replace(/^\./, ''));
  }
  return out;
}

describe('portal slugs', () => {
  it('reserves every top-level route of the app', () => {
    const routes = topLevelRoutes(APP);
    // Sanity: the walk sees both plain folders and the console's route group.
    expect(routes).toEqual(expect.arrayContaining(['api', 'signin', 's', 'i', 'sso', 'shares', 'documents', 'guests', 'settings', 'audit', 'terms', 'portals', 'well-known']));
    const missing = routes.filter((r) => !RESERVED_SLUGS.has(r));
    expect(missing).toEqual([]);
  });

  it.each(['admin', 'login', 'logout', 'portal', 'static', 'assets', 'vendor', 'public', 'well-known', 'health', 'www', 'mail', 'help', 'support', 'unknown-host', 'p'])('refuses the reserved word %s', (word) => {
    expect(RESERVED_SLUGS.has(word)).toBe(true);
    if (word.length >= 3) expect(slugProblem(word)).toMatch(/reserved/);
  });

  it.each([
    ['ab', /3 to 48/],
    ['a'.repeat(49), /3 to 48/],
    ['Acme', /lower-case/],
    ['acme--counsel', /single hyphens/],
    ['-acme', /single hyphens/],
    ['acme-', /single hyphens/],
    ['acme_counsel', /single hyphens/],
    ['acmé', /single hyphens/],
  ])('refuses the malformed slug %s', (slug, message) => {
    expect(slugProblem(slug)).toMatch(message);
  });

  it('accepts plain slugs and lower-cases what staff type', () => {
    expect(slugProblem('acme-counsel-2026')).toBeNull();
    expect(slugSchema.parse(' Acme-Counsel ')).toBe('acme-counsel');
  });

  it('suggests a slug from a name', () => {
    expect(suggestSlug('Müller & Co. — External Counsel')).toBe('muller-co-external-counsel');
    expect(suggestSlug('Support')).toBe('support-portal');
    expect(suggestSlug('!!')).toBe('');
    expect(slugProblem(suggestSlug('A'.repeat(80)))).toBeNull();
  });
});
