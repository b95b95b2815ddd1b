import { describe, expect, it } from 'vitest';
import { CHECK_ORDER, decideAccess, explainAccess, type AccessInput, type GrantFacts } from '../../lib/policy';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;

const grant = (o: Partial<GrantFacts> = {}): GrantFacts => ({
  kind: 'share', audience: 'ANYONE_WITH_LINK', recipients: [], allowedDomains: [],
  id: 'share_a', orgId: 'org_a', state: 'ACTIVE', revokedAt: null, expiresAt: at(24 * HOUR),
  revocationEpoch: 3, passwordEpoch: 2, hasPassword: false, termsVersionId: null,
  allowedIpRanges: [], allowedCountries: [], allowedDevices: [],
  permission: 'VIEW', allowDownload: false, allowPrint: false, watermark: true,
  documentIds: ['doc_1'], tlpCeiling: 'AMBER', ...o,
});

const base = (g: Partial<GrantFacts> = {}, o: Partial<AccessInput> = {}): AccessInput => ({
  grant: grant(g),
  guest: { kind: 'ANONYMOUS', email: null, disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: false, authMethod: 'link', invited: false },
  session: { grant: 'share:share_a', shareEpoch: 3, passwordEpoch: 2, guestEpoch: 1, guestRevocationEpoch: 1, passwordVerified: true, acceptedTermsVersionIds: [], expiresAt: at(HOUR), revokedAt: null },
  request: { ip: '203.0.113.7', country: 'GB', device: 'desktop', now: NOW },
  action: 'view', documentId: 'doc_1', version: { id: 'v1', tlp: 'GREEN', pages: 3 }, ...o,
});

describe('explainAccess: every check, from the same list as decideAccess', () => {
  it('lists every check in the order decideAccess runs them, all passed when allowed', () => {
    const e = explainAccess(base());
    expect(e.decision).toEqual(decideAccess(base()));
    expect(e.checks.map((c) => c.name)).toEqual([...CHECK_ORDER]);
    expect(e.checks.every((c) => c.passed && c.reason === null && !c.decisive)).toBe(true);
  });

  it('reports each failing check and marks the first one decisive: it is the answer decideAccess gives', () => {
    const input = base({ state: 'REVOKED', revokedAt: NOW, allowedCountries: ['FR'], tlpCeiling: 'CLEAR' }, { action: 'download' });
    const e = explainAccess(input);
    const d = decideAccess(input);
    expect(d).toEqual({ allow: false, reason: 'revoked' });
    expect(e.decision).toEqual(d);
    expect(e.checks.filter((c) => !c.passed).map((c) => [c.name, c.reason])).toEqual([
      ['revoked', 'revoked'], ['geo', 'geo_denied'], ['tlp', 'tlp_denied'], ['action', 'download_not_allowed'],
    ]);
    expect(e.checks.filter((c) => c.decisive).map((c) => c.name)).toEqual(['revoked']);
  });

  it('agrees with decideAccess on many combinations of facts', () => {
    const variants: Array<[Partial<GrantFacts>, Partial<AccessInput>]> = [
      [{ expiresAt: NOW }, {}], [{ hasPassword: true }, {}], [{ termsVersionId: 't1' }, {}], [{ allowedIpRanges: ['10.0.0.0/8'] }, {}],
      [{ allowedDevices: ['mobile'] }, {}], [{ requireDevice: true }, {}], [{ audience: 'VERIFIED_EMAIL' }, {}], [{ audience: 'INVITED' }, {}],
      [{}, { documentId: 'doc_9' }], [{}, { session: null }], [{}, { action: 'edit' }], [{ permission: 'EDIT' }, { action: 'edit' }],
      [{ allowDownload: true }, { action: 'download' }], [{ hosts: ['a.example'] }, {}], [{}, { version: { id: 'v2', tlp: 'RED', pages: 1 } }],
    ];
    for (const [g, o] of variants) {
      const input = base(g, o);
      const d = decideAccess(input);
      const e = explainAccess(input);
      expect(e.decision).toEqual(d);
      const decisive = e.checks.filter((c) => c.decisive);
      if (d.allow) expect(decisive).toEqual([]);
      else expect(decisive.map((c) => c.reason)).toEqual([d.reason]);
    }
  });

  it('without a grant the only check is the grant itself: not_found', () => {
    expect(explainAccess({ ...base(), grant: null })).toEqual({
      decision: { allow: false, reason: 'not_found' }, checks: [{ name: 'grant', passed: false, reason: 'not_found', decisive: true }],
    });
  });
});
