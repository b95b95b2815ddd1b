import { describe, expect, it } from 'vitest';
import { criminalIntelGrantProblem, criminalIntelGuestAllowed, decideAccess, decideAcrossGrants, type Action, type GrantFacts, type GuestFacts } from '../../lib/policy';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const LE = { partnerIds: ['po_police'], domains: ['police.example'] };
const NTK = 'Case 24-117: assigned detectives.';

const grant = (o: Partial<GrantFacts> = {}): GrantFacts => ({
  kind: 'share', id: 'share_a', orgId: 'org_a', state: 'ACTIVE', revokedAt: null, expiresAt: new Date(NOW.getTime() + 86_400_000),
  revocationEpoch: 0, passwordEpoch: 0, hasPassword: false, termsVersionId: null, allowedIpRanges: [], allowedCountries: [], allowedDevices: [],
  permission: 'VIEW', allowDownload: true, allowPrint: false, watermark: true, documentIds: ['doc_1'], tlpCeiling: 'AMBER',
  audience: 'VERIFIED_EMAIL', recipients: ['det@police.example'], allowedDomains: [], needToKnow: NTK, lawEnforcement: LE, ...o,
});
const detective: GuestFacts = { kind: 'EMAIL_VERIFIED', email: 'det@police.example', disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: false, authMethod: 'code', invited: false };
const session = { grant: 'share:share_a', shareEpoch: 0, passwordEpoch: 0, guestEpoch: 0, guestRevocationEpoch: 0, passwordVerified: true, acceptedTermsVersionIds: [], expiresAt: new Date(NOW.getTime() + 3_600_000), revokedAt: null };
const request = { ip: '203.0.113.7', country: 'GB', device: 'desktop' as const, now: NOW };
const CI = { id: 'ver_1', tlp: 'AMBER' as const, pages: 3, criminalIntel: { purged: false } };

const decide = (g: GrantFacts, guest: GuestFacts = detective, action: Action = 'view', version: typeof CI | { id: string; tlp: 'AMBER'; pages: number; criminalIntel?: null } = CI) =>
  decideAccess({ grant: g, guest, session, request, action, documentId: 'doc_1', version });
const reasonOf = (d: ReturnType<typeof decideAccess>) => (d.allow ? 'allow' : d.reason);

describe('criminal intelligence in the policy', () => {
  it('allows a law-enforcement guest under a grant with a statement, for every content action', () => {
    for (const action of ['list', 'view', 'download'] as Action[]) expect(reasonOf(decide(grant(), detective, action)), action).toBe('allow');
  });

  it('refuses each way the grant can fall short', () => {
    const cases: [string, Partial<GrantFacts>][] = [
      ['no statement', { needToKnow: null }],
      ['a blank statement', { needToKnow: '  \n ' }],
      ['anyone with the link', { audience: 'ANYONE_WITH_LINK' }],
      ['a whole domain', { allowedDomains: ['police.example'] }],
      ['an outsider among the recipients', { recipients: ['det@police.example', 'eve@acme.example'] }],
      ['no law-enforcement partner now', { lawEnforcement: { partnerIds: [], domains: [] } }],
      ['law-enforcement facts not loaded', { lawEnforcement: undefined }],
      ['a partner that is not law enforcement', { audience: 'GRANTEES', partnerOrgId: 'po_acme' }],
      ['groups without a partner', { audience: 'GRANTEES', groups: ['analysts'] }],
    ];
    for (const [name, o] of cases) {
      expect(criminalIntelGrantProblem(grant(o)), name).not.toBeNull();
      expect(reasonOf(decide(grant(o))), name).toBe('cji_not_permitted');
    }
    // A grant that names nobody is refused when it is made (no guest could reach it anyway).
    expect(criminalIntelGrantProblem(grant({ audience: 'GRANTEES', recipients: [] }))).toBe('names nobody');
  });

  it('refuses a guest who is not of a law-enforcement partner, even under a good grant', () => {
    const g = grant({ audience: 'GRANTEES', recipients: [], partnerOrgId: 'po_police', kind: 'portal', sessionAudience: 'share:share_a' });
    expect(criminalIntelGrantProblem(g)).toBeNull();
    const federated: GuestFacts = { ...detective, kind: 'FEDERATED', email: 'a@elsewhere.example', authMethod: 'sso', partnerOrgId: 'po_police' };
    expect(reasonOf(decide(g, federated))).toBe('allow');
    // The guest rule on its own (the audience usually refuses such a guest first): defence in depth.
    expect(criminalIntelGuestAllowed(g, { ...federated, partnerOrgId: 'po_acme' })).toBe(false);
    expect(criminalIntelGuestAllowed(g, federated)).toBe(true);
    expect(criminalIntelGuestAllowed(g, detective)).toBe(true);
    expect(criminalIntelGuestAllowed(g, { ...detective, authMethod: 'link' })).toBe(false);
    expect(criminalIntelGuestAllowed(g, null)).toBe(false);
    // An address in the domain, but not proved (a link guest claims nothing).
    expect(reasonOf(decide(grant({ audience: 'ANYONE_WITH_LINK' }), { ...detective, kind: 'ANONYMOUS', authMethod: 'link' }))).toBe('cji_not_permitted');
  });

  it('a purged record is not found; an unmarked document is not concerned; open and manage are not content', () => {
    expect(reasonOf(decide(grant(), detective, 'view', { ...CI, criminalIntel: { purged: true } }))).toBe('not_found');
    expect(reasonOf(decide(grant({ needToKnow: null, audience: 'ANYONE_WITH_LINK' }), detective, 'view', { id: 'ver_1', tlp: 'AMBER', pages: 3, criminalIntel: null }))).toBe('allow');
    expect(reasonOf(decideAccess({ grant: grant({ needToKnow: null }), guest: detective, session, request, action: 'list' }))).toBe('allow');
  });

  it('comes after the TLP check, before the action check', () => {
    expect(reasonOf(decide(grant({ needToKnow: null, tlpCeiling: 'GREEN' })))).toBe('tlp_denied');
    expect(reasonOf(decide(grant({ needToKnow: null, allowDownload: false }), detective, 'download'))).toBe('cji_not_permitted');
  });

  it('across portal grants: allowed only by a grant that meets the rule', () => {
    const portal = (o: Partial<GrantFacts>) => grant({ kind: 'portal', audience: 'GRANTEES', sessionAudience: 'share:share_a', ...o });
    const good = portal({ id: 'g_good' });
    const bad = portal({ id: 'g_bad', needToKnow: null });
    const d = decideAcrossGrants([bad, good], { guest: detective, session, request, action: 'view', documentId: 'doc_1', version: CI });
    expect(d.allow && d.grantIds).toEqual(['g_good']);
    expect(reasonOf(decideAcrossGrants([bad], { guest: detective, session, request, action: 'view', documentId: 'doc_1', version: CI }))).toBe('cji_not_permitted');
  });
});
