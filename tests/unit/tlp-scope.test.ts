import { describe, expect, it } from 'vitest';
import { releaseProblem, tlpScope, type PartnerScopeFacts } from '../../lib/policy/tlp-scope';
import { decideAccess, type GrantFacts, type GuestFacts } from '../../lib/policy';

const P: PartnerScopeFacts[] = [
  { id: 'p1', domains: ['counsel.example', 'counsel.co.example'], tlpCeiling: 'GREEN' },
  { id: 'p2', domains: ['agency.example'], tlpCeiling: null },
];

describe('tlpScope', () => {
  it('the ceiling is the lowest of the organisation and every partner reached, by address, domain or name', () => {
    expect(tlpScope('RED', P, { link: false, recipients: ['a@counsel.example'], domains: [] }).ceiling).toBe('GREEN');
    expect(tlpScope('RED', P, { link: false, recipients: [], domains: ['counsel.co.example'] }).ceiling).toBe('GREEN');
    expect(tlpScope('RED', P, { link: false, recipients: [], domains: [], partnerOrgId: 'p1' }).ceiling).toBe('GREEN');
    // A partner without a ceiling of its own takes the organisation's; an outsider changes nothing.
    expect(tlpScope('AMBER', P, { link: false, recipients: ['a@agency.example', 'z@else.example'], domains: [] }).ceiling).toBe('AMBER');
    expect(tlpScope('CLEAR', P, { link: false, recipients: ['a@agency.example'], domains: [] }).ceiling).toBe('CLEAR');
    // A partner's ceiling never raises the organisation's.
    expect(tlpScope('CLEAR', P, { link: false, recipients: ['a@counsel.example'], domains: [] }).ceiling).toBe('CLEAR');
  });

  it('names one organisation only when everyone reached is of one partner and it is not an open link', () => {
    const named = (r: Parameters<typeof tlpScope>[2]) => tlpScope('RED', P, r).namedOrg?.id ?? null;
    expect(named({ link: false, recipients: ['a@counsel.example'], domains: ['counsel.co.example'] })).toBe('p1');
    expect(named({ link: false, recipients: [], domains: [], partnerOrgId: 'p2', groups: ['g'] })).toBe('p2');
    expect(named({ link: true, recipients: ['a@counsel.example'], domains: [] })).toBeNull();
    expect(named({ link: false, recipients: ['a@counsel.example', 'b@agency.example'], domains: [] })).toBeNull();
    expect(named({ link: false, recipients: ['a@counsel.example', 'z@else.example'], domains: [] })).toBeNull();
    expect(named({ link: false, recipients: ['a@counsel.example'], domains: [], partnerOrgId: 'p2' })).toBeNull();
    expect(named({ link: false, recipients: [], domains: [] })).toBeNull();
  });

  it('named-only: addresses and nothing else', () => {
    const only = (r: Parameters<typeof tlpScope>[2]) => tlpScope('RED', P, r).namedOnly;
    expect(only({ link: false, recipients: ['a@x.example'], domains: [] })).toBe(true);
    expect(only({ link: true, recipients: ['a@x.example'], domains: [] })).toBe(false);
    expect(only({ link: false, recipients: ['a@x.example'], domains: ['x.example'] })).toBe(false);
    expect(only({ link: false, recipients: ['a@x.example'], domains: [], partnerOrgId: 'p2' })).toBe(false);
    expect(only({ link: false, recipients: ['a@x.example'], domains: [], groups: ['g'] })).toBe(false);
    expect(only({ link: false, recipients: [], domains: [] })).toBe(false);
  });

  it('releaseProblem gives the first rule a marking breaks', () => {
    const wide = { ceiling: 'RED' as const, namedOrg: null, namedOnly: false };
    const strict = { ceiling: 'RED' as const, namedOrg: { id: 'p1', domains: ['counsel.example'] }, namedOnly: true };
    expect(releaseProblem({ ...strict, ceiling: 'AMBER' }, true, 'RED')).toBe('above_ceiling');
    expect(releaseProblem(wide, true, 'AMBER')).toBeNull();
    expect(releaseProblem(wide, true, 'AMBER_STRICT')).toBe('amber_strict_outside_org');
    expect(releaseProblem(strict, true, 'AMBER_STRICT')).toBeNull();
    expect(releaseProblem({ ...wide, namedOrg: strict.namedOrg }, true, 'RED')).toBe('red_not_named');
    expect(releaseProblem(strict, false, 'RED')).toBe('red_not_approved');
    expect(releaseProblem(strict, true, 'RED')).toBeNull();
  });
});

describe('decideAccess: AMBER+STRICT and RED look at the guest too', () => {
  const NOW = new Date('2026-06-01T12:00:00Z');
  const grant = (o: Partial<GrantFacts> = {}): GrantFacts => ({
    kind: 'share', id: 's', orgId: 'o', state: 'ACTIVE', revokedAt: null, expiresAt: new Date(NOW.getTime() + 3_600_000), revocationEpoch: 0, passwordEpoch: 0,
    hasPassword: false, termsVersionId: null, allowedIpRanges: [], allowedCountries: [], allowedDevices: [], permission: 'VIEW', allowDownload: true,
    allowPrint: false, watermark: true, documentIds: ['d'], tlpCeiling: 'RED',
    // The audience check is not what is tested here: with a link audience every guest reaches the TLP check.
    audience: 'ANYONE_WITH_LINK', recipients: ['ann@counsel.example'], allowedDomains: [],
    namedOrg: { id: 'p1', domains: ['counsel.example'] }, namedOnly: true, approval: 'APPROVED', ...o,
  });
  const guest = (o: Partial<GuestFacts> = {}): GuestFacts => ({ kind: 'EMAIL_VERIFIED', email: 'ann@counsel.example', disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: false, authMethod: 'code', invited: false, ...o });
  const decide = (tlp: 'AMBER_STRICT' | 'RED', g: Partial<GrantFacts>, gu: Partial<GuestFacts> = {}, action: 'view' | 'list' | 'open' = 'view') => {
    const d = decideAccess({
      grant: grant(g), guest: guest(gu), action, documentId: action === 'open' ? undefined : 'd', version: { id: 'v', tlp, pages: 1 },
      session: { grant: 'share:s', shareEpoch: 0, passwordEpoch: 0, guestEpoch: 0, guestRevocationEpoch: 0, passwordVerified: true, acceptedTermsVersionIds: [], expiresAt: new Date(NOW.getTime() + 60_000), revokedAt: null },
      request: { ip: '203.0.113.1', country: null, device: 'desktop', now: NOW },
    });
    return d.allow ? 'allow' : d.reason;
  };

  it('AMBER+STRICT: only to a guest of the named organisation', () => {
    expect(decide('AMBER_STRICT', {})).toBe('allow');
    expect(decide('AMBER_STRICT', { namedOrg: null })).toBe('tlp_denied');
    expect(decide('AMBER_STRICT', {}, { email: 'eve@agency.example' })).toBe('tlp_denied');
    expect(decide('AMBER_STRICT', {}, { kind: 'FEDERATED', authMethod: 'sso', email: 'x@idp.example', partnerOrgId: 'p1' })).toBe('allow');
    expect(decide('AMBER_STRICT', {}, { kind: 'FEDERATED', authMethod: 'sso', email: 'x@idp.example', partnerOrgId: 'p2' })).toBe('tlp_denied');
    expect(decide('AMBER_STRICT', {}, { kind: 'ANONYMOUS', email: null, authMethod: 'link' })).toBe('tlp_denied');
  });

  it('RED: an approved, named-only grant, to a guest who proved a named address', () => {
    expect(decide('RED', {})).toBe('allow');
    expect(decide('RED', { approval: 'NONE' })).toBe('tlp_denied');
    expect(decide('RED', { approval: undefined })).toBe('tlp_denied');
    expect(decide('RED', { namedOnly: false })).toBe('tlp_denied');
    expect(decide('RED', {}, { email: 'bob@counsel.example' })).toBe('tlp_denied');
    expect(decide('RED', {}, { authMethod: 'link' })).toBe('tlp_denied');
  });

  it('approval_pending holds on every action, before the session; REFUSED never serves', () => {
    for (const action of ['open', 'list', 'view'] as const) expect(decide('RED', { approval: 'PENDING' }, {}, action)).toBe('approval_pending');
    expect(decide('RED', { approval: 'REFUSED' })).toBe('revoked');
    expect(decide('RED', { approval: 'PENDING', state: 'REVOKED' })).toBe('revoked');
  });
});
