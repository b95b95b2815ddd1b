import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ACTIONS, CHECK_ORDER, decideAccess, POLICY_DENY_REASONS, REASONS, refusalError,
  type AccessInput, type Action, type DenyReason, type GuestFacts, type RequestFacts, type SessionFacts, type ShareFacts, type SharePermission, type VersionFacts,
} from '../../lib/policy';
import { ERROR_STATUS } from '../../lib/errors';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;

const share = (o: Partial<ShareFacts> = {}): ShareFacts => ({
  kind: 'share', audience: 'ANYONE_WITH_LINK', recipients: [], allowedDomains: [],
  id: 'share_a', orgId: 'org_a', state: 'ACTIVE', revokedAt: null, expiresAt: at(24 * HOUR),
  revocationEpoch: 3, passwordEpoch: 2, hasPassword: false, termsVersionId: null,
  allowedIpRanges: [], allowedCountries: [], allowedDevices: [],
  permission: 'VIEW', allowDownload: false, allowPrint: false, watermark: true,
  documentIds: ['doc_1', 'doc_2'], tlpCeiling: 'AMBER', ...o,
});

const session = (o: Partial<SessionFacts> = {}): SessionFacts => ({
  grant: 'share:share_a', shareEpoch: 3, passwordEpoch: 2, guestEpoch: 1, guestRevocationEpoch: 1,
  passwordVerified: true, acceptedTermsVersionIds: [], expiresAt: at(HOUR), revokedAt: null, ...o,
});

const guest = (o: Partial<GuestFacts> = {}): GuestFacts => ({
  kind: 'ANONYMOUS', email: null, disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: false, authMethod: 'link', invited: false, ...o,
});

const request = (o: Partial<RequestFacts> = {}): RequestFacts => ({ ip: '203.0.113.7', country: 'GB', device: 'desktop', now: NOW, ...o });

type Over = { share?: Partial<ShareFacts> | null; guest?: Partial<GuestFacts> | null; session?: Partial<SessionFacts> | null; request?: Partial<RequestFacts>; version?: Partial<VersionFacts> | null } & Partial<Pick<AccessInput, 'action' | 'documentId' | 'proof' | 'page'>>;
function input(o: Over = {}): AccessInput {
  return {
    grant: o.share === null ? null : share(o.share),
    guest: o.guest === null ? null : guest(o.guest),
    session: o.session === null ? null : session(o.session),
    request: request(o.request),
    action: o.action ?? 'view',
    documentId: o.documentId,
    // The current version of the document, as the loader passes it; null means there is none.
    version: o.version === null ? null : { id: 'ver_1', tlp: 'GREEN', pages: 12, ...o.version },
    page: o.page,
    proof: o.proof,
  };
}
const decide = (o: Over = {}) => decideAccess(input(o));
const reason = (o: Over = {}) => {
  const d = decide(o);
  return d.allow ? 'allow' : d.reason;
};

const NON_OPEN: Action[] = ACTIONS.filter((a) => a !== 'open');
// Actions a share can be configured to allow; manage_share never is.
const grantable = { permission: 'EDIT', allowDownload: true } as const;

afterEach(() => { vi.useRealTimers(); });

describe('decideAccess: allow and obligations', () => {
  it('allows a valid session to view, and passes the watermark and print obligations through', () => {
    expect(decide()).toEqual({ allow: true, obligations: { watermark: true, allowPrint: false } });
    expect(decide({ share: { watermark: false, allowPrint: true } })).toEqual({ allow: true, obligations: { watermark: false, allowPrint: true } });
  });

  it('allows open without a session when nothing else is required', () => {
    expect(reason({ action: 'open', session: null })).toBe('allow');
  });

  it.each(['open', 'list', 'view'] as const)('%s needs no permission beyond VIEW and no download right', (action) => {
    expect(reason({ action, share: { permission: 'VIEW', allowDownload: false } })).toBe('allow');
  });

  it('reads the clock only from the request facts (pure)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2099-01-01T00:00:00Z')); // far past the share's expiry
    expect(reason()).toBe('allow');
    vi.setSystemTime(new Date('2000-01-01T00:00:00Z'));
    expect(reason({ request: { now: at(48 * HOUR) } })).toBe('expired');
  });

  it('does not mutate its input', () => {
    const i = input({ share: { allowedIpRanges: ['203.0.113.0/24'], allowedCountries: ['gb'] }, documentId: 'doc_1' });
    const snapshot = structuredClone(i);
    Object.freeze(i.grant); Object.freeze(i.guest); Object.freeze(i.session); Object.freeze(i.request);
    decideAccess(i);
    expect(i).toEqual(snapshot);
  });

  it('fails closed on sloppy facts: watermark unless explicitly off, print only when explicitly on', () => {
    const d = decideAccess({ ...input(), grant: { ...share(), watermark: undefined as unknown as boolean, allowPrint: 'yes' as unknown as boolean } });
    expect(d).toEqual({ allow: true, obligations: { watermark: true, allowPrint: false } });
  });
});

describe('1. not_found', () => {
  it('refuses when there is no share', () => {
    expect(reason({ share: null })).toBe('not_found');
    expect(reason({ share: null, action: 'open', session: null })).toBe('not_found');
  });

  it.each(ACTIONS)('a document outside the share is not_found for %s, never forbidden', (action) => {
    expect(reason({ action, documentId: 'doc_of_another_org', share: grantable })).toBe('not_found');
  });

  it('a document of another share is not_found even on a revoked, expired share with a dead session', () => {
    expect(reason({ documentId: 'doc_x', share: { state: 'REVOKED', revokedAt: at(-HOUR), expiresAt: at(-HOUR) }, session: { revokedAt: at(-1) } })).toBe('not_found');
  });

  it('a document outside the share is not_found before manage_share is forbidden', () => {
    expect(reason({ action: 'manage_share', documentId: 'doc_x' })).toBe('not_found');
    expect(reason({ action: 'manage_share', documentId: 'doc_1' })).toBe('forbidden');
  });

  it('an empty document id is not_found, and a document in the share is fine', () => {
    expect(reason({ documentId: '' })).toBe('not_found');
    expect(reason({ documentId: 'doc_2' })).toBe('allow');
    expect(reason({ documentId: null })).toBe('allow');
  });

  it('fails closed when the document list is missing', () => {
    expect(decideAccess({ ...input({ documentId: 'doc_1' }), grant: { ...share(), documentIds: undefined as unknown as string[] } })).toEqual({ allow: false, reason: 'not_found' });
  });
});

describe('2. revoked', () => {
  it('refuses a revoked share', () => {
    expect(reason({ share: { state: 'REVOKED', revokedAt: at(-1000) } })).toBe('revoked');
  });

  it('refuses when revokedAt is set even if the state still says ACTIVE', () => {
    expect(reason({ share: { state: 'ACTIVE', revokedAt: at(-1000) } })).toBe('revoked');
  });

  it('refuses when the state is REVOKED without a revokedAt, or is unknown', () => {
    expect(reason({ share: { state: 'REVOKED', revokedAt: null } })).toBe('revoked');
    expect(reason({ share: { state: 'SUSPENDED' as 'ACTIVE' } })).toBe('revoked');
  });

  it('a revocation recorded for a later instant still counts (revocation is immediate)', () => {
    expect(reason({ share: { revokedAt: at(HOUR) } })).toBe('revoked');
  });

  it('revoked AND expired answers revoked', () => {
    expect(reason({ share: { state: 'REVOKED', revokedAt: at(-2 * HOUR), expiresAt: at(-HOUR) } })).toBe('revoked');
  });

  it('revoked comes before an invalid session, the network and the password', () => {
    expect(reason({
      share: { state: 'REVOKED', revokedAt: at(-1), hasPassword: true, allowedIpRanges: ['10.0.0.0/8'], revocationEpoch: 4 },
      session: { shareEpoch: 3, passwordVerified: false },
    })).toBe('revoked');
  });
});

describe('3. expired', () => {
  it('refuses a share past its expiry', () => {
    expect(reason({ share: { expiresAt: at(-1000) } })).toBe('expired');
  });

  it('treats expiresAt exactly now as expired, and one millisecond later as live', () => {
    expect(reason({ share: { expiresAt: at(0) } })).toBe('expired');
    expect(reason({ share: { expiresAt: at(1) } })).toBe('allow');
  });

  it('fails closed on an invalid expiry or an invalid clock', () => {
    expect(reason({ share: { expiresAt: new Date(Number.NaN) } })).toBe('expired');
    expect(reason({ request: { now: new Date('garbage') } })).toBe('expired');
    expect(reason({ share: { expiresAt: null as unknown as Date } })).toBe('expired');
  });

  it('expired comes before an invalid session and every later rule', () => {
    expect(reason({ share: { expiresAt: at(-1), hasPassword: true, termsVersionId: 'tv1', allowedCountries: ['FR'] }, session: { revokedAt: at(-1) } })).toBe('expired');
  });
});

describe('4. invalid_token (session validity)', () => {
  it.each(NON_OPEN)('%s without a session is invalid_token', (action) => {
    expect(reason({ action, session: null, share: grantable })).toBe('invalid_token');
  });

  const dead: [string, Partial<SessionFacts>][] = [
    ['bound to another share', { grant: 'share:share_b' }],
    ['bound to a portal with the same id', { grant: 'portal:share_a' }],
    ['bound to no grant', { grant: null }],
    ['revoked', { revokedAt: at(-1000) }],
    ['revoked at a later instant', { revokedAt: at(HOUR) }],
    ['past its expiry', { expiresAt: at(-1000) }],
    ['expiring exactly now', { expiresAt: at(0) }],
    ['with an invalid expiry', { expiresAt: new Date(Number.NaN) }],
    ['from an older share revocation epoch', { shareEpoch: 2 }],
    ['from a newer share revocation epoch (forged)', { shareEpoch: 4 }],
    ['from an older password epoch', { passwordEpoch: 1 }],
    ['from a newer password epoch', { passwordEpoch: 3 }],
    ['from an older guest epoch', { guestEpoch: 0 }],
    ['from a guest epoch the guest never had', { guestEpoch: 2 }],
    ['with a non-numeric epoch', { shareEpoch: Number.NaN }],
  ];
  it.each(dead)('refuses a session %s', (_, s) => {
    expect(reason({ session: s })).toBe('invalid_token');
  });

  it.each(dead)('refuses open with a session %s (pass no session to start afresh)', (_, s) => {
    expect(reason({ action: 'open', session: s })).toBe('invalid_token');
  });

  it('a session expiring one millisecond from now is still valid', () => {
    expect(reason({ session: { expiresAt: at(1) } })).toBe('allow');
  });

  it('a guest revoked everywhere (guest epoch bumped) loses every action at once', () => {
    for (const action of NON_OPEN) expect(reason({ action, share: grantable, session: { guestEpoch: 1, guestRevocationEpoch: 2 } })).toBe('invalid_token');
  });

  it('a password change (password epoch bumped) ends sessions even when the session had verified the old password', () => {
    expect(reason({ share: { hasPassword: true, passwordEpoch: 3 }, session: { passwordEpoch: 2, passwordVerified: true } })).toBe('invalid_token');
  });

  it('an invalid session comes before the network rules', () => {
    expect(reason({ share: { allowedIpRanges: ['10.0.0.0/8'] }, session: { shareEpoch: 0 } })).toBe('invalid_token');
  });
});

describe('5. ip_denied', () => {
  const ranges = { allowedIpRanges: ['203.0.113.0/24', '2001:db8::/32'] };

  it('allows an address inside a range and refuses one outside', () => {
    expect(reason({ share: ranges, request: { ip: '203.0.113.200' } })).toBe('allow');
    expect(reason({ share: ranges, request: { ip: '198.51.100.1' } })).toBe('ip_denied');
  });

  it('matches IPv6 addresses against IPv6 ranges', () => {
    expect(reason({ share: ranges, request: { ip: '2001:db8:1234::1' } })).toBe('allow');
    expect(reason({ share: ranges, request: { ip: '2001:db9::1' } })).toBe('ip_denied');
  });

  it('matches an IPv4-mapped IPv6 address against the IPv4 range', () => {
    expect(reason({ share: { allowedIpRanges: ['1.2.3.0/24'] }, request: { ip: '::ffff:1.2.3.4' } })).toBe('allow');
    expect(reason({ share: { allowedIpRanges: ['1.2.3.0/24'] }, request: { ip: '::ffff:1.2.4.4' } })).toBe('ip_denied');
  });

  it('refuses an unknown or unparseable client address when ranges are set', () => {
    expect(reason({ share: ranges, request: { ip: null } })).toBe('ip_denied');
    expect(reason({ share: ranges, request: { ip: 'unknown' } })).toBe('ip_denied');
    expect(reason({ share: ranges, request: { ip: '0313.0.0161.7' } })).toBe('ip_denied');
  });

  it('fails closed on a malformed stored range, even when another range matches', () => {
    expect(reason({ share: { allowedIpRanges: ['203.0.113.0/24', '10.0.0.0/33'] }, request: { ip: '203.0.113.7' } })).toBe('ip_denied');
    expect(reason({ share: { allowedIpRanges: ['not a range'] }, request: { ip: '203.0.113.7' } })).toBe('ip_denied');
    expect(decideAccess({ ...input(), grant: { ...share(), allowedIpRanges: undefined as unknown as string[] } })).toEqual({ allow: false, reason: 'ip_denied' });
  });

  it('places no restriction when the list is empty, even with no known address', () => {
    expect(reason({ request: { ip: null } })).toBe('allow');
  });

  it('ip_denied comes before geo, device, password and terms', () => {
    expect(reason({
      share: { allowedIpRanges: ['10.0.0.0/8'], allowedCountries: ['FR'], allowedDevices: ['mobile'], hasPassword: true, termsVersionId: 'tv1' },
      session: null, action: 'open',
    })).toBe('ip_denied');
  });
});

describe('6. geo_denied', () => {
  it('allows a listed country and refuses another', () => {
    expect(reason({ share: { allowedCountries: ['GB', 'IE'] }, request: { country: 'IE' } })).toBe('allow');
    expect(reason({ share: { allowedCountries: ['GB', 'IE'] }, request: { country: 'FR' } })).toBe('geo_denied');
  });

  it('refuses an unknown country when a list is set (fail closed)', () => {
    expect(reason({ share: { allowedCountries: ['GB'] }, request: { country: null } })).toBe('geo_denied');
  });

  it('compares codes case-insensitively and refuses anything that is not alpha-2', () => {
    expect(reason({ share: { allowedCountries: ['gb'] }, request: { country: 'GB' } })).toBe('allow');
    expect(reason({ share: { allowedCountries: ['GB'] }, request: { country: 'gb' } })).toBe('allow');
    expect(reason({ share: { allowedCountries: ['GBR'] }, request: { country: 'GBR' } })).toBe('geo_denied');
    expect(reason({ share: { allowedCountries: ['GB'] }, request: { country: '' } })).toBe('geo_denied');
  });

  it('places no restriction when the list is empty', () => {
    expect(reason({ request: { country: null } })).toBe('allow');
  });

  it('geo_denied comes after ip_denied and before device, password and terms', () => {
    const s = { allowedIpRanges: ['10.0.0.0/8'], allowedCountries: ['FR'], allowedDevices: ['mobile'], hasPassword: true, termsVersionId: 'tv1' };
    expect(reason({ share: s, request: { ip: '203.0.113.7' } })).toBe('ip_denied');
    expect(reason({ share: s, request: { ip: '10.1.2.3' } })).toBe('geo_denied');
  });
});

describe('7. device_denied', () => {
  it('allows a listed device class and refuses another', () => {
    expect(reason({ share: { allowedDevices: ['desktop', 'tablet'] }, request: { device: 'tablet' } })).toBe('allow');
    expect(reason({ share: { allowedDevices: ['desktop', 'tablet'] }, request: { device: 'mobile' } })).toBe('device_denied');
  });

  it('refuses an unrecognised device when a list is set (unknown is not desktop)', () => {
    expect(reason({ share: { allowedDevices: ['desktop'] }, request: { device: null } })).toBe('device_denied');
  });

  it('places no restriction when the list is empty', () => {
    expect(reason({ request: { device: null } })).toBe('allow');
  });

  it('device_denied comes after geo and before the password and terms', () => {
    const s = { allowedCountries: ['FR'], allowedDevices: ['mobile'], hasPassword: true, termsVersionId: 'tv1' };
    expect(reason({ share: s, request: { country: 'DE' }, session: { passwordVerified: false } })).toBe('geo_denied');
    expect(reason({ share: s, request: { country: 'FR' }, session: { passwordVerified: false } })).toBe('device_denied');
  });
});

describe('8. password_required', () => {
  it('refuses a session that has not verified the password', () => {
    expect(reason({ share: { hasPassword: true }, session: { passwordVerified: false } })).toBe('password_required');
  });

  it('allows a session that verified the password of the current epoch', () => {
    expect(reason({ share: { hasPassword: true }, session: { passwordVerified: true } })).toBe('allow');
  });

  it('open needs a verified password as proof of this request', () => {
    expect(reason({ action: 'open', session: null, share: { hasPassword: true } })).toBe('password_required');
    expect(reason({ action: 'open', session: null, share: { hasPassword: true }, proof: { passwordVerified: false } })).toBe('password_required');
    expect(reason({ action: 'open', session: null, share: { hasPassword: true }, proof: { passwordVerified: true } })).toBe('allow');
  });

  it('is not asked for when the share has no password', () => {
    expect(reason({ share: { hasPassword: false }, session: { passwordVerified: false } })).toBe('allow');
  });

  it('password_required comes before terms_required and the action rules', () => {
    expect(reason({ action: 'download', share: { hasPassword: true, termsVersionId: 'tv1' }, session: { passwordVerified: false } })).toBe('password_required');
  });
});

describe('9. terms_required', () => {
  it('refuses until the share\'s terms version is accepted', () => {
    expect(reason({ share: { termsVersionId: 'tv2' } })).toBe('terms_required');
    expect(reason({ share: { termsVersionId: 'tv2' }, session: { acceptedTermsVersionIds: ['tv2'] } })).toBe('allow');
  });

  it('an acceptance of an older version does not satisfy a new version', () => {
    expect(reason({ share: { termsVersionId: 'tv2' }, session: { acceptedTermsVersionIds: ['tv1'] } })).toBe('terms_required');
  });

  it('open can carry the acceptance made in this request', () => {
    expect(reason({ action: 'open', session: null, share: { termsVersionId: 'tv2' } })).toBe('terms_required');
    expect(reason({ action: 'open', session: null, share: { termsVersionId: 'tv2' }, proof: { acceptedTermsVersionIds: ['tv2'] } })).toBe('allow');
  });

  it('terms_required comes before the action rules', () => {
    expect(reason({ action: 'download', share: { termsVersionId: 'tv2', allowDownload: false } })).toBe('terms_required');
    expect(reason({ action: 'manage_share', share: { termsVersionId: 'tv2' } })).toBe('terms_required');
  });
});

describe('10. action rules', () => {
  it('download needs allowDownload', () => {
    expect(reason({ action: 'download', share: { allowDownload: false } })).toBe('download_not_allowed');
    expect(reason({ action: 'download', documentId: 'doc_1', share: { allowDownload: false, permission: 'EDIT' } })).toBe('download_not_allowed');
    expect(reason({ action: 'download', share: { allowDownload: true } })).toBe('allow');
  });

  it('"download all" (no document) is a download too', () => {
    expect(reason({ action: 'download', documentId: undefined, share: { allowDownload: false } })).toBe('download_not_allowed');
  });

  const matrix: [Action, SharePermission, DenyReason | 'allow'][] = [
    ['comment', 'VIEW', 'forbidden'], ['comment', 'COMMENT', 'allow'], ['comment', 'EDIT', 'allow'],
    ['edit', 'VIEW', 'forbidden'], ['edit', 'COMMENT', 'forbidden'], ['edit', 'EDIT', 'allow'],
    ['manage_share', 'VIEW', 'forbidden'], ['manage_share', 'COMMENT', 'forbidden'], ['manage_share', 'EDIT', 'forbidden'],
  ];
  it.each(matrix)('%s on a %s share: %s', (action, permission, expected) => {
    expect(reason({ action, documentId: 'doc_1', share: { permission, allowDownload: true } })).toBe(expected);
  });

  it('no guest may change, extend or reshare, whatever the share allows', () => {
    expect(reason({ action: 'manage_share', share: { permission: 'EDIT', allowDownload: true, allowPrint: true, watermark: false } })).toBe('forbidden');
  });

  it('an unknown action is forbidden', () => {
    expect(reason({ action: 'delete_everything' as Action, share: grantable })).toBe('forbidden');
  });
});

describe('a revoked or expired share refuses every action, whatever else is true', () => {
  const ends: [string, Partial<ShareFacts>, DenyReason][] = [
    ['revoked', { state: 'REVOKED', revokedAt: at(-1) }, 'revoked'],
    ['expired', { expiresAt: at(-1) }, 'expired'],
    ['expiring now', { expiresAt: at(0) }, 'expired'],
    ['revoked and expired', { state: 'REVOKED', revokedAt: at(-HOUR), expiresAt: at(-1) }, 'revoked'],
  ];
  const sessions: [string, Partial<SessionFacts> | null][] = [['a valid session', {}], ['no session', null], ['a stale session', { shareEpoch: 0 }]];
  const permissions: SharePermission[] = ['VIEW', 'COMMENT', 'EDIT'];
  const rows = ends.flatMap(([end, s, r]) => ACTIONS.flatMap((action) => sessions.flatMap(([sName, sess]) =>
    permissions.flatMap((permission) => [true, false].map((allowDownload) => ({ end, s, r, action, sName, sess, permission, allowDownload }))))));

  it(`covers ${rows.length} combinations`, () => {
    for (const row of rows) {
      for (const documentId of [undefined, 'doc_1']) {
        const d = decide({ action: row.action, session: row.sess, documentId, share: { ...row.s, permission: row.permission, allowDownload: row.allowDownload, allowPrint: true, watermark: false } });
        expect(d, `${row.end} / ${row.action} / ${row.sName} / ${row.permission} / download ${row.allowDownload} / ${documentId}`).toEqual({ allow: false, reason: row.r });
      }
    }
  });
});

describe('each reason is reachable, and the order is the documented one', () => {
  const scenario: Record<DenyReason, Over> = {
    not_found: { documentId: 'doc_zz' },
    revoked: { share: { state: 'REVOKED', revokedAt: at(-1) } },
    expired: { share: { expiresAt: at(-1) } },
    invalid_token: { session: { revokedAt: at(-1) } },
    guest_disabled: { guest: { disabled: true } },
    ip_denied: { share: { allowedIpRanges: ['10.0.0.0/8'] } },
    geo_denied: { share: { allowedCountries: ['FR'] } },
    device_denied: { share: { allowedDevices: ['mobile'] } },
    sso_required: { guest: { kind: 'EMAIL_VERIFIED', email: 'a@partner.example', authMethod: 'code', partnerSso: true } },
    email_required: { share: { audience: 'VERIFIED_EMAIL', recipients: ['a@b.example'] } },
    invitation_required: { share: { audience: 'INVITED', recipients: ['a@b.example'] } },
    password_required: { share: { hasPassword: true }, session: { passwordVerified: false } },
    terms_required: { share: { termsVersionId: 'tv9' } },
    tlp_denied: { documentId: 'doc_1', version: { tlp: 'RED' } },
    cji_not_permitted: { documentId: 'doc_1', version: { criminalIntel: { purged: false } } },
    approval_pending: { share: { approval: 'PENDING' } },
    download_not_allowed: { action: 'download' },
    forbidden: { action: 'comment' },
  };
  it.each(POLICY_DENY_REASONS)('%s', (r) => {
    expect(reason(scenario[r])).toBe(r);
  });

  it('with every rule failing at once, the answers peel off in order', () => {
    const all = {
      share: { state: 'REVOKED', revokedAt: at(-1), expiresAt: at(-1), allowedIpRanges: ['10.0.0.0/8'], allowedCountries: ['FR'], allowedDevices: ['mobile'], hasPassword: true, termsVersionId: 'tv9', allowDownload: false, audience: 'INVITED', recipients: ['a@partner.example'] } as Partial<ShareFacts>,
      guest: { kind: 'EMAIL_VERIFIED', email: 'a@partner.example', authMethod: 'code', partnerSso: true, disabled: true } as Partial<GuestFacts>,
      session: { revokedAt: at(-1), passwordVerified: false } as Partial<SessionFacts>,
      action: 'download' as Action,
      documentId: 'doc_zz',
      version: { tlp: 'RED' } as Partial<VersionFacts>,
    };
    const seen: string[] = [];
    const fixes: ((o: typeof all) => void)[] = [
      (o) => { o.documentId = 'doc_1'; },
      (o) => { o.share.state = 'ACTIVE'; o.share.revokedAt = null; },
      (o) => { o.share.expiresAt = at(HOUR); },
      (o) => { o.session.revokedAt = null; },
      (o) => { o.guest.disabled = false; },
      (o) => { o.share.allowedIpRanges = ['203.0.113.0/24']; },
      (o) => { o.share.allowedCountries = ['GB']; },
      (o) => { o.share.allowedDevices = ['desktop']; },
      (o) => { o.guest.kind = 'FEDERATED'; o.guest.authMethod = 'sso'; o.share.audience = 'VERIFIED_EMAIL'; o.share.recipients = []; },
      (o) => { o.share.audience = 'INVITED'; o.share.recipients = ['someone@else.example']; },
      (o) => { o.share.recipients = ['a@partner.example']; },
      (o) => { o.session.passwordVerified = true; },
      (o) => { o.session.acceptedTermsVersionIds = ['tv9']; },
      (o) => { o.version.tlp = 'AMBER'; },
      (o) => { o.share.allowDownload = true; },
    ];
    for (const fix of fixes) {
      seen.push(reason(all));
      fix(all);
    }
    seen.push(reason(all));
    expect(seen).toEqual(['not_found', 'revoked', 'expired', 'invalid_token', 'guest_disabled', 'ip_denied', 'geo_denied', 'device_denied', 'sso_required', 'email_required', 'invitation_required', 'password_required', 'terms_required', 'tlp_denied', 'download_not_allowed', 'allow']);
  });

  it('exports the check order', () => {
    expect(CHECK_ORDER).toEqual(['host', 'document', 'revoked', 'expired', 'approval', 'session', 'guest', 'ip', 'geo', 'device', 'sso', 'audience', 'password', 'terms', 'tlp', 'criminal_intelligence', 'action']);
  });
});

describe('reasons table', () => {
  it('gives the CONTRACT status for every refusal', () => {
    const expected: Record<keyof typeof REASONS, number> = {
      not_found: 404, revoked: 410, expired: 410, invalid_token: 401, ip_denied: 403, geo_denied: 403, device_denied: 403,
      password_required: 401, invalid_password: 401, terms_required: 403, tlp_denied: 403, cji_not_permitted: 403, download_not_allowed: 403, forbidden: 403, rate_limited: 429,
      guest_disabled: 403, sso_required: 403, email_required: 401, invitation_required: 403, invalid_code: 401,
      approval_pending: 403,
    };
    for (const [code, info] of Object.entries(REASONS)) {
      expect(info.status, code).toBe(expected[code as keyof typeof REASONS]);
      expect(info.status, code).toBe(ERROR_STATUS[code as keyof typeof ERROR_STATUS]);
      expect(info.description.length, code).toBeGreaterThan(10);
    }
    expect(Object.keys(REASONS).sort()).toEqual(Object.keys(expected).sort());
  });

  it('covers every reason the policy can give', () => {
    for (const r of POLICY_DENY_REASONS) expect(REASONS[r]).toBeDefined();
  });

  it('descriptions never name internals', () => {
    for (const { description } of Object.values(REASONS)) expect(description).not.toMatch(/epoch|session id|sql|prisma|stack|undefined/i);
  });

  it('refusalError keeps the code, and turns revoked or expired into invalid_token for a presented token', () => {
    expect(refusalError('revoked')).toMatchObject({ code: 'revoked', status: 410, message: REASONS.revoked.description });
    expect(refusalError('expired')).toMatchObject({ code: 'expired', status: 410 });
    expect(refusalError('revoked', { tokenPresented: true })).toMatchObject({ code: 'invalid_token', status: 401, message: REASONS.revoked.description });
    expect(refusalError('expired', { tokenPresented: true })).toMatchObject({ code: 'invalid_token', status: 401, message: REASONS.expired.description });
    expect(refusalError('download_not_allowed', { tokenPresented: true })).toMatchObject({ code: 'download_not_allowed', status: 403 });
    expect(refusalError('rate_limited', { retryAfterSeconds: 30 })).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 30 });
  });
});

describe('10. tlp_denied: the marking of the version served, against the ceiling as it is now', () => {
  const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
  const CONTENT: Action[] = ['list', 'view', 'download', 'comment', 'edit'];
  const full = { permission: 'EDIT', allowDownload: true } as const;

  it.each(CONTENT)('%s: allowed at or under the ceiling, refused above it, for every pair', (action) => {
    for (const [ci, ceiling] of TLPS.entries()) {
      for (const [vi, tlp] of TLPS.entries()) {
        // A grant that may carry every marking by its shape (one named partner, named addresses, approved),
        // to a guest who proved a named address of that partner: only the ceiling is left to decide.
        const r = reason({
          action, documentId: 'doc_1', version: { tlp },
          share: { ...full, tlpCeiling: ceiling, recipients: ['a@p.example'], namedOrg: { id: 'p', domains: ['p.example'] }, namedOnly: true, approval: 'APPROVED' },
          guest: { kind: 'EMAIL_VERIFIED', email: 'a@p.example', authMethod: 'code' },
        });
        expect(r, `${tlp} under ${ceiling}`).toBe(vi <= ci ? 'allow' : 'tlp_denied');
      }
    }
  });

  it.each(CONTENT)('%s on a document without version facts is not_found: the check cannot be skipped', (action) => {
    expect(reason({ action, documentId: 'doc_1', version: null, share: full })).toBe('not_found');
    expect(decideAccess({ ...input({ action, documentId: 'doc_1', share: full }), version: undefined })).toEqual({ allow: false, reason: 'not_found' });
  });

  it('fails closed on an unknown marking or ceiling', () => {
    expect(reason({ documentId: 'doc_1', version: { tlp: 'PURPLE' as 'RED' } })).toBe('tlp_denied');
    expect(reason({ documentId: 'doc_1', version: { tlp: 'GREEN' }, share: { tlpCeiling: undefined as unknown as 'RED' } })).toBe('tlp_denied');
    expect(reason({ documentId: 'doc_1', version: { tlp: 'CLEAR' }, share: { tlpCeiling: 'BOGUS' as 'RED' } })).toBe('allow');
  });

  it('share-level actions without a document do not need a version', () => {
    expect(reason({ action: 'list', version: null })).toBe('allow');
    expect(reason({ action: 'open', session: null, version: null })).toBe('allow');
  });

  it('is not revealed before the password or the terms', () => {
    expect(reason({ documentId: 'doc_1', version: { tlp: 'RED' }, share: { hasPassword: true }, session: { passwordVerified: false } })).toBe('password_required');
    expect(reason({ documentId: 'doc_1', version: { tlp: 'RED' }, share: { termsVersionId: 'tv1' } })).toBe('terms_required');
  });
});

describe('pages: a page image is a view of one page', () => {
  it('allows pages 1 to the known count, for view only', () => {
    expect(reason({ documentId: 'doc_1', page: 1 })).toBe('allow');
    expect(reason({ documentId: 'doc_1', page: 12 })).toBe('allow');
    expect(reason({ documentId: 'doc_1', page: 13 })).toBe('not_found');
    expect(reason({ documentId: 'doc_1', page: 500, version: { pages: null } })).toBe('allow');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('page %s is not_found', (page) => {
    expect(reason({ documentId: 'doc_1', page })).toBe('not_found');
  });

  it('a page without a document, or with another action, is not_found', () => {
    expect(reason({ page: 1 })).toBe('not_found');
    expect(reason({ action: 'download', documentId: 'doc_1', page: 1, share: { allowDownload: true } })).toBe('not_found');
  });

  it('every other rule still applies to a page', () => {
    expect(reason({ documentId: 'doc_1', page: 2, share: { state: 'REVOKED', revokedAt: at(-1) } })).toBe('revoked');
    expect(reason({ documentId: 'doc_1', page: 2, version: { tlp: 'RED' } })).toBe('tlp_denied');
    expect(reason({ documentId: 'doc_1', page: 2, share: { allowedIpRanges: ['10.0.0.0/8'] } })).toBe('ip_denied');
  });
});

describe('guest principals (issue 4): the guest facts beside the grant', () => {
  const verified = (o: Partial<GuestFacts> = {}): Partial<GuestFacts> => ({ kind: 'EMAIL_VERIFIED', email: 'ann@counsel.example', authMethod: 'code', ...o });
  const registered = (o: Partial<GuestFacts> = {}): Partial<GuestFacts> => ({ kind: 'REGISTERED', email: 'ann@counsel.example', authMethod: 'password', invited: true, ...o });
  const federated = (o: Partial<GuestFacts> = {}): Partial<GuestFacts> => ({ kind: 'FEDERATED', email: 'li@agency.example', authMethod: 'sso', partnerSso: true, partnerOrgId: 'p1', ...o });

  it.each(NON_OPEN)('a session without its guest is invalid_token for %s', (action) => {
    expect(reason({ action, guest: null })).toBe('invalid_token');
  });

  it.each(ACTIONS)('a disabled guest is refused at once for %s, with a still-valid session', (action) => {
    expect(reason({ action, guest: { disabled: true } })).toBe('guest_disabled');
    expect(reason({ action, guest: { ...registered(), disabled: true }, share: { audience: 'INVITED', recipients: ['ann@counsel.example'] } })).toBe('guest_disabled');
  });

  it('a guest past their own expiry is disabled; the boundary instant counts as past; an unreadable expiry too', () => {
    expect(reason({ guest: registered({ expiresAt: at(-1) }), share: { audience: 'INVITED', recipients: ['ann@counsel.example'] } })).toBe('guest_disabled');
    expect(reason({ guest: registered({ expiresAt: at(0) }), share: { audience: 'INVITED', recipients: ['ann@counsel.example'] } })).toBe('guest_disabled');
    expect(reason({ guest: registered({ expiresAt: new Date(Number.NaN) }), share: { audience: 'INVITED', recipients: ['ann@counsel.example'] } })).toBe('guest_disabled');
    expect(reason({ guest: registered({ expiresAt: at(1) }), share: { audience: 'INVITED', recipients: ['ann@counsel.example'] } })).toBe('allow');
    expect(reason({ guest: { disabled: 'no' as unknown as boolean } })).toBe('guest_disabled');
  });

  it('a disabled guest is told so only after the share itself (revoked, expired) and the session', () => {
    expect(reason({ guest: { disabled: true }, share: { state: 'REVOKED', revokedAt: at(-1) } })).toBe('revoked');
    expect(reason({ guest: { disabled: true }, session: { revokedAt: at(-1) } })).toBe('invalid_token');
  });

  describe('sso_required: whatever the audience, a partner domain with an IdP signs in through it', () => {
    const audiences = [
      { audience: 'ANYONE_WITH_LINK' as const, recipients: ['li@agency.example'] },
      { audience: 'VERIFIED_EMAIL' as const, recipients: ['li@agency.example'] },
      { audience: 'INVITED' as const, recipients: ['li@agency.example'] },
    ];
    it.each(audiences)('$audience: an email code is refused', (share) => {
      expect(reason({ share, guest: verified({ email: 'li@agency.example', partnerSso: true }) })).toBe('sso_required');
      expect(reason({ share, action: 'open', session: null, guest: verified({ email: 'li@agency.example', partnerSso: true }) })).toBe('sso_required');
    });
    it.each(audiences)('$audience: an invitation password is refused', (share) => {
      expect(reason({ share, guest: registered({ email: 'li@agency.example', partnerSso: true }) })).toBe('sso_required');
    });
    it.each(audiences)('$audience: through the IdP it passes', (share) => {
      expect(reason({ share, guest: federated() })).toBe('allow');
    });
    it('a partner flag that is not a clean false counts as set', () => {
      expect(reason({ guest: { partnerSso: undefined as unknown as boolean } })).toBe('sso_required');
    });
    it('comes after where the request is from, before the audience', () => {
      expect(reason({ share: { allowedCountries: ['FR'], audience: 'INVITED' }, guest: verified({ partnerSso: true }) })).toBe('geo_denied');
      expect(reason({ share: { audience: 'INVITED', recipients: [] }, guest: verified({ partnerSso: true }) })).toBe('sso_required');
    });
  });

  describe('VERIFIED_EMAIL', () => {
    const share = { audience: 'VERIFIED_EMAIL' as const, recipients: ['ann@counsel.example'], allowedDomains: ['firm.example'] };
    it('an anonymous link guest must prove an address', () => {
      expect(reason({ share, guest: {} })).toBe('email_required');
      expect(reason({ share, action: 'open', session: null, guest: null })).toBe('email_required');
    });
    it('a proved recipient, or an address in an allowed domain, gets in', () => {
      expect(reason({ share, guest: verified() })).toBe('allow');
      expect(reason({ share, guest: verified({ email: 'bob@firm.example' }) })).toBe('allow');
      expect(reason({ share, guest: verified({ email: 'ANN@Counsel.Example' }) })).toBe('allow');
    });
    it('an address neither named nor in a domain is refused, as is a subdomain or a look-alike', () => {
      expect(reason({ share, guest: verified({ email: 'eve@evil.example' }) })).toBe('email_required');
      expect(reason({ share, guest: verified({ email: 'eve@sub.firm.example' }) })).toBe('email_required');
      expect(reason({ share, guest: verified({ email: 'eve@xn--frm-x5a.example' }) })).toBe('email_required');
      expect(reason({ share, guest: verified({ email: 'firm.example@evil.example' }) })).toBe('email_required');
    });
    it('an address the guest did not prove (a link session) does not count', () => {
      expect(reason({ share, guest: verified({ authMethod: 'link' }) })).toBe('email_required');
      expect(reason({ share, guest: { kind: 'ANONYMOUS', email: 'ann@counsel.example', authMethod: 'code' } })).toBe('email_required');
    });
    it('an invited guest or a federated one whose proved address is named also gets in', () => {
      expect(reason({ share, guest: registered() })).toBe('allow');
      expect(reason({ share: { ...share, recipients: ['li@agency.example'] }, guest: federated() })).toBe('allow');
    });
  });

  describe('INVITED', () => {
    const share = { audience: 'INVITED' as const, recipients: ['ann@counsel.example'] };
    it('only an invited, registered guest who signed in with their password', () => {
      expect(reason({ share, guest: registered() })).toBe('allow');
      expect(reason({ share, guest: {} })).toBe('invitation_required');
      expect(reason({ share, guest: verified() })).toBe('invitation_required');
      expect(reason({ share, guest: registered({ invited: false }) })).toBe('invitation_required');
      expect(reason({ share, guest: registered({ authMethod: 'code' }) })).toBe('invitation_required');
      expect(reason({ share, guest: registered({ email: 'other@counsel.example' }) })).toBe('invitation_required');
      expect(reason({ share: { ...share, recipients: [] }, guest: registered() })).toBe('invitation_required');
    });
    it('a named partner user through their IdP; not one who is not named', () => {
      expect(reason({ share: { ...share, recipients: ['li@agency.example'] }, guest: federated() })).toBe('allow');
      expect(reason({ share, guest: federated() })).toBe('invitation_required');
    });
    it('an audience the code does not know is refused', () => {
      expect(reason({ share: { audience: 'EVERYONE' as 'INVITED' } })).toBe('forbidden');
    });
  });
});
