import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleUrlIds } from '../../app/(console)/_shared/ids';
import { firstInvalidId } from '../../lib/http/staff-ids';

const consoleDir = path.join(import.meta.dirname, '..', '..', 'app', '(console)');

/** Every console page route, as its URL pattern (route groups and private folders left out). */
function pageRoutes(dir = consoleDir, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    if (e.name.startsWith('_')) continue;
    const seg = /^\(.*\)$/.test(e.name) ? prefix : `${prefix}/${e.name}`;
    if (fs.existsSync(path.join(dir, e.name, 'page.tsx'))) out.push(seg);
    out.push(...pageRoutes(path.join(dir, e.name), seg));
  }
  return out;
}

describe('console pages: ids in the URL', () => {
  it('knows every console page with a [param] segment, so the layout can refuse a malformed one with a real 404', () => {
    const dynamic = pageRoutes().filter((r) => /\[[^\]]+\]/.test(r));
    expect(dynamic.length).toBeGreaterThanOrEqual(2);
    for (const route of dynamic) {
      const url = route.replace(/\[[^\]]+\]/g, '%00');
      const found = consoleUrlIds(url);
      expect(found, `${route} is missing from CONSOLE_ID_ROUTES`).not.toBeNull();
      expect(firstInvalidId(found!.ids), route).toMatchObject({ raw: '\u0000' });
      // A well-formed id passes.
      expect(firstInvalidId(consoleUrlIds(route.replace(/\[[^\]]+\]/g, 'cmx0abc123'))!.ids), route).toBeNull();
    }
  });

  it('reads ids in query strings the way the pages do: first value, trimmed, empty means absent', () => {
    expect(consoleUrlIds('/audit?document=%00')).toEqual({ where: 'page /audit', ids: { documentId: '\u0000', shareId: undefined } });
    expect(consoleUrlIds('/audit?document=&share=%20abc%20')).toEqual({ where: 'page /audit', ids: { documentId: undefined, shareId: 'abc' } });
    expect(consoleUrlIds('/shares/new?documentId=a&documentId=%2F')!.ids).toEqual({ documentId: 'a' });
    expect(consoleUrlIds('/shares/new')!.where).toBe('page /shares/new');
    expect(consoleUrlIds('/shares?after=..%2Fx')!.ids).toEqual({ cursor: '../x' });
    expect(consoleUrlIds('/documents/%25C3%2528')!.ids).toEqual({ documentId: '%C3%28' });
    expect(consoleUrlIds('/settings/account')).toBeNull();
    expect(consoleUrlIds('/')).toBeNull();
  });
});
