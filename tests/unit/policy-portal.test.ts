import { describe, expect, it } from 'vitest';
import { decideAccess, decideAcrossGrants, grantNamesGuest, type GrantFacts, type GuestFacts, type RequestFacts, type SessionFacts } from '../../lib/policy';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

const grant = (o: Partial<GrantFacts> = {}): GrantFacts => ({
  kind: 'portal', id: 'grant_a', sessionAudience: 'portal:portal_1', orgId: 'org_a', state: 'ACTIVE', revokedAt: null, expiresAt: at(24 * HOUR),
  revocationEpoch: 0, passwordEpoch: 0, hasPassword: false, termsVersionId: null, allowedIpRanges: [], allowedCountries: [], allowedDevices: [],
  permission: 'VIEW', allowDownload: false, allowPrint: false, watermark: true, documentIds: ['doc_1'], tlpCeiling: 'AMBER',
  audience: 'GRANTEES', recipients: ['ann@counsel.example'], allowedDomains: [], partnerOrgId: null, groups: [], requireDevice: false,
  hosts: ['liaison.example', 'portal.client.example'], ...o,
});
const guest = (o: Partial<GuestFacts> = {}): GuestFacts => ({
  kind: 'EMAIL_VERIFIED', email: 'ann@counsel.example', disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: false, authMethod: 'code', invited: false, groups: [], ...o,
});
const session = (o: Partial<SessionFacts> = {}): SessionFacts => ({
  grant: 'portal:portal_1', shareEpoch: 0, passwordEpoch: 0, guestEpoch: 0, guestRevocationEpoch: 0, passwordVerified: true,
  acceptedTermsVersionIds: [], expiresAt: at(HOUR), revokedAt: null, host: 'portal.client.example', ...o,
});
const request = (o: Partial<RequestFacts> = {}): RequestFacts => ({ ip: '203.0.113.7', country: 'GB', device: 'desktop', now: NOW, host: 'portal.client.example', ...o });
const version = { id: 'ver_1', tlp: 'GREEN' as const, pages: 3 };

const one = (g: Partial<GrantFacts> = {}, o: { guest?: Partial<GuestFacts>; session?: Partial<SessionFacts>; request?: Partial<RequestFacts>; action?: 'view' | 'download' | 'list' } = {}) => {
  const d = decideAccess({ grant: grant(g), guest: guest(o.guest), session: session(o.session), request: request(o.request), action: o.action ?? 'view', documentId: 'doc_1', version });
  return d.allow ? 'allow' : d.reason;
};

describe('portal grants: who a grant names', () => {
  it('names a proved address or domain, never an anonymous link guest or an unproved address', () => {
    expect(grantNamesGuest(grant(), guest())).toBe(true);
    expect(grantNamesGuest(grant({ recipients: [], allowedDomains: ['counsel.example'] }), guest())).toBe(true);
    expect(grantNamesGuest(grant(), guest({ email: 'bob@counsel.example' }))).toBe(false);
    expect(grantNamesGuest(grant(), guest({ kind: 'ANONYMOUS', authMethod: 'link' }))).toBe(false);
    expect(grantNamesGuest(grant(), guest({ authMethod: 'link' }))).toBe(false);
    expect(grantNamesGuest(grant(), null)).toBe(false);
  });

  it('names a partner organisation\'s federated guests, narrowed by groups when the grant has them', () => {
    const fed = guest({ kind: 'FEDERATED', authMethod: 'sso', email: 'x@agency.example', partnerOrgId: 'partner_1', groups: ['liaison-officers'] });
    expect(grantNamesGuest(grant({ recipients: [], partnerOrgId: 'partner_1' }), fed)).toBe(true);
    expect(grantNamesGuest(grant({ recipients: [], partnerOrgId: 'partner_2' }), fed)).toBe(false);
    expect(grantNamesGuest(grant({ recipients: [], partnerOrgId: 'partner_1', groups: ['analysts'] }), fed)).toBe(false);
    expect(grantNamesGuest(grant({ recipients: [], partnerOrgId: 'partner_1', groups: ['liaison-officers'] }), fed)).toBe(true);
    expect(grantNamesGuest(grant({ recipients: [], groups: ['liaison-officers'] }), fed)).toBe(true);
    // Groups count only as an IdP asserted them: an email-verified guest claiming a group is not named.
    expect(grantNamesGuest(grant({ recipients: [], groups: ['liaison-officers'] }), guest({ groups: ['liaison-officers'] }))).toBe(false);
    // A partner grant does not name an email-verified guest of the partner's domain who skipped the IdP.
    expect(grantNamesGuest(grant({ recipients: [], partnerOrgId: 'partner_1' }), guest({ email: 'x@agency.example', partnerOrgId: 'partner_1' }))).toBe(false);
  });

  it('GRANTEES audience refuses a guest the grant does not name with email_required', () => {
    expect(one()).toBe('allow');
    expect(one({}, { guest: { email: 'eve@elsewhere.example' } })).toBe('email_required');
  });
});

describe('portal grants: hosts, sessions and devices', () => {
  it('a request to a host the grant is not served on is not_found, before anything else', () => {
    expect(one({}, { request: { host: 'portal.other-org.example' } })).toBe('not_found');
    expect(one({ state: 'REVOKED' }, { request: { host: 'portal.other-org.example' } })).toBe('not_found');
    expect(one({}, { request: { host: null } })).toBe('not_found');
  });

  it('a session opened on one host is refused on another host of the same portal (invalid_token)', () => {
    expect(one({}, { request: { host: 'liaison.example' } })).toBe('invalid_token');
    expect(one({}, { session: { host: 'liaison.example' }, request: { host: 'liaison.example' } })).toBe('allow');
  });

  it('a session of another portal, or a share session, is refused', () => {
    expect(one({}, { session: { grant: 'portal:portal_2' } })).toBe('invalid_token');
    expect(one({}, { session: { grant: 'share:grant_a' } })).toBe('invalid_token');
    // The portal's revocation epoch travels as the grant's revocationEpoch and the session's shareEpoch.
    expect(one({ revocationEpoch: 1 }, { session: { shareEpoch: 0 } })).toBe('invalid_token');
    expect(one({ revocationEpoch: 1 }, { session: { shareEpoch: 1 } })).toBe('allow');
  });

  it('requireDevice needs an approved device key proved on the request', () => {
    expect(one({ requireDevice: true })).toBe('device_denied');
    expect(one({ requireDevice: true }, { request: { deviceKey: { status: 'PENDING' } } })).toBe('device_denied');
    expect(one({ requireDevice: true }, { request: { deviceKey: { status: 'REVOKED' } } })).toBe('device_denied');
    expect(one({ requireDevice: true }, { request: { deviceKey: { status: 'APPROVED' } } })).toBe('allow');
    expect(one({ requireDevice: null as unknown as boolean })).toBe('device_denied'); // unreadable: required
  });
});

describe('decideAcrossGrants', () => {
  const base = { guest: guest(), session: session(), request: request(), action: 'view' as const, documentId: 'doc_1', version };

  it('allows when any grant naming the guest allows, with the strictest obligations of the allowing grants', () => {
    const d = decideAcrossGrants([
      grant({ id: 'g1', watermark: false, allowPrint: true }),
      grant({ id: 'g2', watermark: true, allowPrint: true }),
      grant({ id: 'g3', state: 'REVOKED', watermark: false }),
    ], base);
    expect(d).toMatchObject({ allow: true, obligations: { watermark: true, allowPrint: true }, grantIds: ['g1', 'g2'] });
    const print = decideAcrossGrants([grant({ id: 'g1', allowPrint: true }), grant({ id: 'g2', allowPrint: false })], base);
    expect(print).toMatchObject({ allow: true, obligations: { allowPrint: false } });
  });

  it('a download needs a grant that allows downloads; the one that does decides the obligations', () => {
    const d = decideAcrossGrants([grant({ id: 'view', watermark: false }), grant({ id: 'dl', allowDownload: true, watermark: true })], { ...base, action: 'download' });
    expect(d).toMatchObject({ allow: true, grantIds: ['dl'], obligations: { watermark: true } });
    expect(decideAcrossGrants([grant({ id: 'view' })], { ...base, action: 'download' })).toEqual({ allow: false, reason: 'download_not_allowed' });
  });

  it('a document in no grant that names the guest is not_found, even if another guest\'s grant has it', () => {
    expect(decideAcrossGrants([grant({ documentIds: ['doc_2'] })], base)).toEqual({ allow: false, reason: 'not_found' });
    expect(decideAcrossGrants([grant({ recipients: ['other@counsel.example'] })], base)).toEqual({ allow: false, reason: 'not_found' });
    expect(decideAcrossGrants([], base)).toEqual({ allow: false, reason: 'not_found' });
  });

  it('a guest no grant names is email_required on open and list', () => {
    expect(decideAcrossGrants([grant({ recipients: [] })], { ...base, action: 'list', documentId: null })).toEqual({ allow: false, reason: 'email_required' });
    expect(decideAcrossGrants([grant()], { ...base, guest: null, session: null, action: 'open', documentId: null })).toEqual({ allow: false, reason: 'email_required' });
  });

  it('refuses with the reason of the grant that got furthest', () => {
    const d = decideAcrossGrants([grant({ id: 'r', state: 'REVOKED' }), grant({ id: 't', tlpCeiling: 'CLEAR' })], base);
    expect(d).toEqual({ allow: false, reason: 'tlp_denied' });
    expect(decideAcrossGrants([grant({ state: 'REVOKED' })], base)).toEqual({ allow: false, reason: 'revoked' });
    expect(decideAcrossGrants([grant({ expiresAt: at(-1) })], base)).toEqual({ allow: false, reason: 'expired' });
  });
});
