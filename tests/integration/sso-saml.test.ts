import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createPartnerOrg } from '../../lib/sso/partners';
import { handleSamlAcs, handleSpMetadata, handleSsoStart } from '../../lib/sso/flow';
import { samlAcsUrl, samlSpEntityId } from '../../lib/sso/urls';
import { createStaff } from '../helpers/factory';
import { sharedPdf, BASE } from '../helpers/guest';
import { startSamlIdp, type ResponseOptions, type SamlTestIdp } from '../helpers/saml-idp';

let idp: SamlTestIdp;
beforeAll(async () => { process.env.LIAISON_SSO_ALLOW_HTTP = '1'; idp = await startSamlIdp(); });
afterAll(async () => { await idp?.close(); delete process.env.LIAISON_SSO_ALLOW_HTTP; });

async function setup() {
  const shared = await sharedPdf();
  const { principal: admin } = await createStaff(shared.org.id, 'ADMIN');
  const partner = await createPartnerOrg(admin, { name: 'Borealis Police', domains: ['borealis.example'], lawEnforcement: true, saml: { metadataXml: idp.metadataXml } });
  return { ...shared, admin, partner, providerId: partner.idp!.id };
}

/** Starts a sign-in: the AuthnRequest (its ID, the ACS it names) and the browser's state cookie. */
async function start(providerId: string, token: string) {
  const res = await handleSsoStart(new Request(`${BASE}/sso/${providerId}/start?return=${encodeURIComponent(`/s/${token}`)}`), providerId);
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location.startsWith(idp.ssoUrl)).toBe(true);
  const cookie = /liaison_sso=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  return { request: idp.readRequest(location), cookie };
}

const post = (providerId: string, samlResponse: string, relayState: string, cookie: string | null) =>
  handleSamlAcs(new Request(`${BASE}/sso/${providerId}/acs`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `liaison_sso=${cookie}` } : {}) },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
  }), providerId);

const reasonOf = (res: Response) => new URL(res.headers.get('location')!, BASE).searchParams.get('reason');
const lastAudit = (orgId: string) => prisma().auditEvent.findFirst({ where: { orgId, type: 'guest.sso' }, orderBy: { seq: 'desc' } });

async function expectRefused(res: Response, orgId: string, reason: string, check: string) {
  expect(res.status).toBe(303);
  expect(reasonOf(res)).toBe(reason);
  expect(res.headers.getSetCookie().some((c) => c.startsWith('liaison_guest='))).toBe(false);
  const ev = await lastAudit(orgId);
  expect(ev).toMatchObject({ outcome: 'denied', reason });
  expect((ev!.details as { check: string }).check).toBe(check);
}

/** A response to this sign-in's request, as the IdP would send it, with `over` changed. */
const answer = (providerId: string, request: { id: string }, over: Partial<ResponseOptions> = {}) =>
  idp.response({ inResponseTo: request.id, acs: samlAcsUrl(providerId), audience: samlSpEntityId(providerId), email: 'kim@borealis.example', name: 'Kim Berg', groups: ['cyber'], ...over });

describe('SAML sign-in of a partner user (signed responses from an in-process IdP)', () => {
  it('serves SP metadata and sends an AuthnRequest naming our ACS and entity id', async () => {
    const s = await setup();
    const md = await handleSpMetadata(s.providerId);
    expect(md.status).toBe(200);
    const xml = await md.text();
    expect(xml).toContain(`entityID="${samlSpEntityId(s.providerId)}"`);
    expect(xml).toContain(`Location="${samlAcsUrl(s.providerId)}"`);
    expect(xml).toContain('WantAssertionsSigned="true"');
    const { request, cookie } = await start(s.providerId, s.token);
    expect(request).toMatchObject({ acs: samlAcsUrl(s.providerId), issuer: samlSpEntityId(s.providerId), relayState: cookie });
    expect(s.partner.idp).toMatchObject({ kind: 'SAML', acsUrl: samlAcsUrl(s.providerId), spMetadataUrl: samlSpEntityId(s.providerId), entityId: idp.entityId });
  });

  it('a signed assertion signs the partner user in and lands on the share', async () => {
    const s = await setup();
    const { request, cookie } = await start(s.providerId, s.token);
    const res = await post(s.providerId, answer(s.providerId, request), cookie, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/s/${s.token}`);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('liaison_guest='))).toBe(true);
    const guest = await prisma().guest.findFirst({ where: { partnerOrgId: s.partner.id } });
    expect(guest).toMatchObject({ kind: 'FEDERATED', email: 'kim@borealis.example', displayName: 'Kim Berg', groups: ['cyber'], externalSubject: 'kim@borealis.example' });
  });

  it('a response signed as a whole (assertion unsigned) is refused: assertions must be signed', async () => {
    const s = await setup();
    const { request, cookie } = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { sign: 'response' }), cookie, cookie), s.org.id, 'invalid_response', 'signature');
  });

  it('an unsigned assertion', async () => {
    const s = await setup();
    const { request, cookie } = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { sign: 'none' }), cookie, cookie), s.org.id, 'invalid_response', 'signature');
  });

  it('signature wrapping: a second, unsigned assertion beside the signed one', async () => {
    const s = await setup();
    const { request, cookie } = await start(s.providerId, s.token);
    const wrapped = answer(s.providerId, request, { email: 'kim@borealis.example', wrapWith: 'chief@borealis.example' });
    await expectRefused(await post(s.providerId, wrapped, cookie, cookie), s.org.id, 'invalid_response', 'multiple_assertions');
    expect(await prisma().guest.count({ where: { partnerOrgId: s.partner.id } })).toBe(0);
  });

  it('a signed assertion for another audience', async () => {
    const s = await setup();
    const { request, cookie } = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { audience: 'https://other-sp.example/metadata' }), cookie, cookie), s.org.id, 'invalid_response', 'audience');
  });

  it('a signed assertion for another recipient, and a response for another destination', async () => {
    const s = await setup();
    let { request, cookie } = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { recipient: 'https://other-sp.example/acs' }), cookie, cookie), s.org.id, 'invalid_response', 'recipient');
    ({ request, cookie } = await start(s.providerId, s.token));
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { destination: 'https://other-sp.example/acs' }), cookie, cookie), s.org.id, 'invalid_response', 'destination');
  });

  it('an expired assertion (past NotOnOrAfter beyond the clock skew); one just inside the skew is accepted', async () => {
    const s = await setup();
    let { request, cookie } = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { notBeforeMs: -600_000, notOnOrAfterMs: -120_000 }), cookie, cookie), s.org.id, 'invalid_response', 'expired');
    ({ request, cookie } = await start(s.providerId, s.token));
    const ok = await post(s.providerId, answer(s.providerId, request, { notBeforeMs: -120_000, notOnOrAfterMs: -20_000 }), cookie, cookie);
    expect(ok.headers.get('location')).toBe(`/s/${s.token}`);
  });

  it('a replayed response: the same post twice, and the old response under a fresh sign-in (InResponseTo)', async () => {
    const s = await setup();
    const first = await start(s.providerId, s.token);
    const saml = answer(s.providerId, first.request);
    expect((await post(s.providerId, saml, first.cookie, first.cookie)).headers.get('location')).toBe(`/s/${s.token}`);
    await expectRefused(await post(s.providerId, saml, first.cookie, first.cookie), s.org.id, 'replayed', 'state_used');
    const second = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, saml, second.cookie, second.cookie), s.org.id, 'invalid_response', 'in_response_to');
  });

  it('an answer posted without this browser\'s state cookie, or for a state never issued', async () => {
    const s = await setup();
    const { request, cookie } = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, answer(s.providerId, request), cookie, null), s.org.id, 'state_mismatch', 'no_cookie');
    const forged = 'A'.repeat(43);
    await expectRefused(await post(s.providerId, answer(s.providerId, request), forged, forged), s.org.id, 'state_mismatch', 'unknown_state');
  });

  it('metadata that is not an IdP\'s, or carries a DOCTYPE, is refused when saved', async () => {
    const shared = await sharedPdf();
    const { principal: admin } = await createStaff(shared.org.id, 'ADMIN');
    for (const metadataXml of ['<not xml', idp.metadataXml.replace('IDPSSODescriptor', 'SPSSODescriptor').replace('IDPSSODescriptor', 'SPSSODescriptor'), `<!DOCTYPE x [<!ENTITY e "e">]>${idp.metadataXml.replace('<?xml version="1.0"?>', '')}`]) {
      await expect(createPartnerOrg(admin, { name: 'X', domains: ['x.example'], saml: { metadataXml } })).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect(await prisma().partnerOrg.count({ where: { orgId: shared.org.id } })).toBe(0);
  });

  it('a signed assertion from another issuer, and one not yet valid (NotBefore beyond the skew)', async () => {
    const s = await setup();
    let { request, cookie } = await start(s.providerId, s.token);
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { issuer: 'https://evil.example/idp' }), cookie, cookie), s.org.id, 'invalid_response', 'issuer');
    ({ request, cookie } = await start(s.providerId, s.token));
    await expectRefused(await post(s.providerId, answer(s.providerId, request, { notBeforeMs: 180_000, notOnOrAfterMs: 480_000 }), cookie, cookie), s.org.id, 'invalid_response', 'not_yet_valid');
  });

  it('a sign-in completed after 10 minutes, and one through a disabled provider', async () => {
    const s = await setup();
    let { request, cookie } = await start(s.providerId, s.token);
    await prisma().ssoState.updateMany({ where: { requestId: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefused(await post(s.providerId, answer(s.providerId, request), cookie, cookie), s.org.id, 'sign_in_expired', 'state_expired');
    ({ request, cookie } = await start(s.providerId, s.token));
    await prisma().identityProvider.update({ where: { id: s.providerId }, data: { enabled: false } });
    await expectRefused(await post(s.providerId, answer(s.providerId, request), cookie, cookie), s.org.id, 'provider_unavailable', 'disabled');
  });
});
