import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createShare, updateShare } from '../../lib/shares/service';
import { revokeInvitation, resendInvitation, inviteGuests, listInvitations } from '../../lib/guest/invitations';
import { viewInvitation } from '../../lib/guest/invitation-accept';
import { signInFederatedGuest } from '../../lib/guest/federated';
import { currentTotp, newTotpSecret } from '../../lib/identity/totp';
import { guestPasswordProblem } from '../../lib/identity/guest-password';
import { startSmtp } from '../helpers/smtp';
import { apiContent, apiList, apiOpen, apiPage, apiToken, sharedPdf } from '../helpers/guest';
import { acceptInvitationForm, codeIn, deliverMail, invitationSecretIn, mailsTo, partnerWithIdp, requestCode, settleCodes } from '../helpers/guest-identity';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; });
afterAll(async () => { await smtp.close(); delete process.env.SMTP_URL; });
afterEach(() => { smtp.received.length = 0; });

const GOOD_PASSWORD = 'Harbour lights at dusk 42';
let ipCounter = 1;
/** A fresh client address per test, so per-client throttles of one test never touch another. */
const freshIp = () => `203.0.113.${(ipCounter++ % 250) + 1}`;

async function codeFor(orgId: string, link: string, email: string, ip = freshIp()) {
  const before = mailsTo(smtp, email).length;
  expect((await requestCode(link, email, ip)).res.status).toBe(202);
  await settleCodes(orgId);
  const got = mailsTo(smtp, email);
  expect(got.length, `a code mail to ${email}`).toBe(before + 1);
  return codeIn(got[got.length - 1].parsed.text);
}

describe('VERIFIED_EMAIL: one-time codes by mail', () => {
  const verifiedShare = () => sharedPdf({ audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowedDomains: ['firm.example'] });

  it('a recipient gets a code by mail, opens a session with it, and the code works once', async () => {
    const s = await verifiedShare();
    // Without an identity the link alone opens nothing.
    const bare = await apiOpen({ link: s.url });
    expect(bare.res.status).toBe(401);
    expect(bare.json.error).toBe('email_required');
    const code = await codeFor(s.org.id, s.url, 'ann@counsel.example');
    expect(code).toMatch(/^\d{6}$/);
    const stored = await prisma().emailCode.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(stored.codeHash).toMatch(/^pbkdf2-sha256\$600000\$/);
    expect(stored.codeHash).not.toContain(code);
    expect(Math.abs(stored.expiresAt.getTime() - stored.createdAt.getTime() - 10 * 60_000)).toBeLessThan(2000);
    const opened = await apiOpen({ link: s.url, email: 'Ann@Counsel.Example', code });
    expect(opened.res.status).toBe(201);
    const token = opened.json.access_token as string;
    expect((await apiList(token)).status).toBe(200);
    const guest = await prisma().guest.findFirstOrThrow({ where: { orgId: s.org.id, email: 'ann@counsel.example' } });
    expect(guest.kind).toBe('EMAIL_VERIFIED');
    // Reused: refused, and the refusal is audited.
    const again = await apiOpen({ link: s.url, email: 'ann@counsel.example', code });
    expect(again.res.status).toBe(401);
    expect(again.json.error).toBe('invalid_code');
    expect(await prisma().auditEvent.count({ where: { shareId: s.share.id, type: 'guest.session', reason: 'invalid_code' } })).toBe(1);
  });

  it('an address in an allowed domain gets a code; one outside gets the same answer and no mail', async () => {
    const s = await verifiedShare();
    const allowed = await requestCode(s.url, 'bob@firm.example', freshIp());
    const outsider = await requestCode(s.url, 'eve@evil.example', freshIp());
    const subdomain = await requestCode(s.url, 'eve@sub.firm.example', freshIp());
    const lookalike = await requestCode(s.url, 'ann@cоunsel.example', freshIp()); // Cyrillic о
    for (const r of [allowed, outsider, subdomain, lookalike]) {
      expect(r.res.status).toBe(202);
      expect(r.json).toEqual({ status: 'sent' });
    }
    await settleCodes(s.org.id);
    expect(smtp.received.map((m) => m.envelope.to[0])).toEqual(['bob@firm.example']);
    expect(await prisma().emailCode.count({ where: { shareId: s.share.id } })).toBe(1);
  });

  it('a code for another address or another share, and an expired code, are invalid_code', async () => {
    const a = await verifiedShare();
    const b = await sharedPdf({ audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'] });
    const code = await codeFor(a.org.id, a.url, 'ann@counsel.example');
    expect((await apiOpen({ link: a.url, email: 'bob@firm.example', code })).json.error).toBe('invalid_code');
    expect((await apiOpen({ link: b.url, email: 'ann@counsel.example', code })).json.error).toBe('invalid_code');
    await prisma().emailCode.updateMany({ where: { shareId: a.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await apiOpen({ link: a.url, email: 'ann@counsel.example', code })).json.error).toBe('invalid_code');
  });

  it('the 6th try is refused even with the right code; a new code works', async () => {
    const s = await verifiedShare();
    const code = await codeFor(s.org.id, s.url, 'ann@counsel.example');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await apiOpen({ link: s.url, email: 'ann@counsel.example', code: wrong }, freshIp())).json.error).toBe('invalid_code');
    expect((await apiOpen({ link: s.url, email: 'ann@counsel.example', code }, freshIp())).json.error).toBe('invalid_code');
    expect((await prisma().emailCode.findFirstOrThrow({ where: { shareId: s.share.id } })).attempts).toBe(5);
    const fresh = await codeFor(s.org.id, s.url, 'ann@counsel.example');
    expect((await apiOpen({ link: s.url, email: 'ann@counsel.example', code: fresh }, freshIp())).res.status).toBe(201);
  });

  it('30 parallel wrong codes hash at most 5 times, and a new code retires the old one', async () => {
    const s = await verifiedShare();
    const first = await codeFor(s.org.id, s.url, 'ann@counsel.example');
    const second = await codeFor(s.org.id, s.url, 'ann@counsel.example');
    expect((await apiOpen({ link: s.url, email: 'ann@counsel.example', code: first }, freshIp())).json.error).toBe('invalid_code');
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => apiOpen({ link: s.url, email: 'ann@counsel.example', code: String(100000 + i) }, `198.18.0.${i + 1}`)));
    // Each is refused: the code as wrong, or the address as flooded (10 wrong codes from anyone).
    expect(results.every((r) => (r.res.status === 401 && r.json.error === 'invalid_code') || (r.res.status === 429 && r.json.error === 'rate_limited'))).toBe(true);
    const live = await prisma().emailCode.findMany({ where: { shareId: s.share.id }, orderBy: { createdAt: 'asc' } });
    expect(live.map((c) => c.attempts)).toEqual([0, 5]);
    // The address is now refused before anything is looked at, even with the right code.
    const after = await apiOpen({ link: s.url, email: 'ann@counsel.example', code: second }, freshIp());
    expect(after.res.status).toBe(429);
    expect(Number(after.res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a flood of wrong codes from many addresses: refused before any query, and recorded as one tally', async () => {
    const { flushFloodTallies } = await import('../../lib/guest/code-flood');
    const s = await verifiedShare();
    await codeFor(s.org.id, s.url, 'ann@counsel.example');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await apiOpen({ link: s.url, email: 'ann@counsel.example', code: String(200000 + i) }, `198.19.0.${i + 1}`)).res.status);
    expect(statuses.slice(0, 10).every((x) => x === 401)).toBe(true);
    expect(statuses.slice(10).every((x) => x === 429)).toBe(true);
    // Ten refusals were audited one by one; the fifteen flood refusals become one event.
    expect(await prisma().auditEvent.count({ where: { shareId: s.share.id, type: 'guest.session', reason: 'invalid_code' } })).toBe(10);
    expect(await flushFloodTallies()).toBeGreaterThanOrEqual(1);
    const tally = await prisma().auditEvent.findFirstOrThrow({ where: { shareId: s.share.id, reason: 'rate_limited' } });
    expect(tally.details).toMatchObject({ email: 'ann@counsel.example', attempts: 15, clients: 15, method: 'code' });
  });

  it('sending is throttled per address (429 with Retry-After), before any work', async () => {
    const s = await verifiedShare();
    const statuses: number[] = [];
    let retry: string | null = null;
    for (let i = 0; i < 7; i++) {
      const r = await requestCode(s.url, 'ann@counsel.example', freshIp());
      statuses.push(r.res.status);
      if (r.res.status === 429) retry = r.res.headers.get('retry-after');
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    expect(Number(retry)).toBeGreaterThan(0);
    await settleCodes(s.org.id);
    expect(mailsTo(smtp, 'ann@counsel.example')).toHaveLength(5);
  });

  it('malformed and header-injecting addresses are refused with 400; unknown links 404', async () => {
    const s = await verifiedShare();
    for (const bad of ['ann@counsel.example\r\nBcc: eve@evil.example', 'not-an-address', 'ann@counsel.example\u200b']) {
      const r = await requestCode(s.url, bad, freshIp());
      expect(r.res.status).toBe(400);
      expect(r.json.error).toBe('validation_failed');
    }
    expect((await requestCode('http://liaison.test/s/' + 'x'.repeat(43), 'ann@counsel.example', freshIp())).res.status).toBe(404);
    await settleCodes(s.org.id);
    expect(smtp.received).toHaveLength(0);
  });

  it('a share narrowed to other people stops an email-verified session at once', async () => {
    const s = await verifiedShare();
    const code = await codeFor(s.org.id, s.url, 'ann@counsel.example');
    const token = await apiToken(s.url, { email: 'ann@counsel.example', code }, freshIp());
    expect((await apiList(token)).status).toBe(200);
    await updateShare(s.principal, s.share.id, { recipients: ['someone@counsel.example'] });
    const r = await apiList(token);
    expect(r.status).toBe(401);
    expect((await r.json()).error).toBe('email_required');
  });
});

describe('INVITED: invitations, registered guests, passwords and TOTP', () => {
  async function invitedShare(recipients = ['dana@counsel.example']) {
    const s = await sharedPdf({ audience: 'INVITED', recipients });
    await deliverMail(s.org.id);
    const mail = mailsTo(smtp, recipients[0]).at(-1)!;
    return { ...s, mail, secret: invitationSecretIn(mail.parsed.text) };
  }

  it('each recipient is mailed a single-use link; opening it consumes nothing; accepting sets a password and opens the share', async () => {
    const s = await invitedShare(['dana@counsel.example', 'lee@counsel.example']);
    expect(mailsTo(smtp, 'lee@counsel.example')).toHaveLength(1);
    const inv = await prisma().guestInvitation.findMany({ where: { shareId: s.share.id } });
    expect(inv).toHaveLength(2);
    expect(inv.every((i) => i.secretHash.length === 64 && !s.mail.parsed.text!.includes(i.secretHash))).toBe(true);
    // A mail scanner opens the link twice: nothing changes.
    expect((await viewInvitation(s.secret)).state).toBe('pending');
    expect((await viewInvitation(s.secret)).state).toBe('pending');
    // The share link alone opens nothing for an invited audience.
    expect((await apiOpen({ link: s.url })).json.error).toBe('invitation_required');
    // A weak or common password is refused, and nothing is consumed.
    const weak = await acceptInvitationForm(s.secret, { password: 'password1234', confirm: 'password1234' });
    expect(weak.location).toMatch(/error=validation_failed/);
    expect(new URL(weak.location!, 'http://x').searchParams.get('why')).toMatch(/too common/);
    expect((await viewInvitation(s.secret)).state).toBe('pending');
    const ok = await acceptInvitationForm(s.secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD });
    expect(ok.res.status).toBe(303);
    expect(ok.location).toBe(`/s/${s.token}`);
    expect(ok.cookie).toBeTruthy();
    expect((await apiList(ok.cookie!)).status).toBe(200);
    const guest = await prisma().guest.findFirstOrThrow({ where: { orgId: s.org.id, email: 'dana@counsel.example', kind: 'REGISTERED' } });
    expect(guest.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/);
    expect(guest.expiresAt?.getTime()).toBe(s.share.expiresAt.getTime());
    // Used twice (this browser or another): refused; the page says it was accepted.
    const twice = await acceptInvitationForm(s.secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD });
    expect(twice.location).toMatch(/error=conflict/);
    expect(twice.cookie).toBeNull();
    expect((await viewInvitation(s.secret)).state).toBe('accepted');
    // The registered guest signs in later with email and password.
    const again = await apiOpen({ link: s.url, email: 'dana@counsel.example', password: GOOD_PASSWORD }, freshIp());
    expect(again.res.status).toBe(201);
    expect((await apiOpen({ link: s.url, email: 'dana@counsel.example', password: 'Harbour lights at dawn 42' }, freshIp())).json.error).toBe('invalid_password');
    // Someone else with a password of their own, but no invitation to this share: refused.
    const other = await invitedShare(['kim@counsel.example']);
    expect((await acceptInvitationForm(other.secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD })).res.status).toBe(303);
    expect((await apiOpen({ link: s.url, email: 'kim@counsel.example', password: GOOD_PASSWORD }, freshIp())).json.error).toBe('invalid_password');
  });

  it('an invitation revoked, expired, or whose share was revoked cannot be accepted', async () => {
    const s = await invitedShare(['ray@counsel.example', 'sue@counsel.example']);
    const [ray, sue] = await Promise.all(['ray@counsel.example', 'sue@counsel.example'].map((e) => prisma().guestInvitation.findFirstOrThrow({ where: { shareId: s.share.id, email: e } })));
    await revokeInvitation(s.principal, ray.id);
    expect((await viewInvitation(s.secret)).state).toBe('revoked');
    expect((await acceptInvitationForm(s.secret, { password: GOOD_PASSWORD })).location).toMatch(/error=revoked/);
    const sueSecret = invitationSecretIn(mailsTo(smtp, 'sue@counsel.example').at(-1)!.parsed.text);
    await prisma().guestInvitation.update({ where: { id: sue.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await viewInvitation(sueSecret)).state).toBe('expired');
    expect((await acceptInvitationForm(sueSecret, { password: GOOD_PASSWORD })).location).toMatch(/error=expired/);
    // Resending gives a new link; the old one is dead.
    const resent = await resendInvitation(s.principal, sue.id);
    expect(resent).toMatchObject({ state: 'PENDING', sentCount: 2 });
    await deliverMail(s.org.id);
    const newSecret = invitationSecretIn(mailsTo(smtp, 'sue@counsel.example').at(-1)!.parsed.text);
    expect(newSecret).not.toBe(sueSecret);
    expect((await viewInvitation(sueSecret)).state).toBe('not_found');
    expect((await acceptInvitationForm(newSecret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD })).res.status).toBe(303);
    expect((await listInvitations(s.principal, s.share.id)).map((i) => [i.email, i.state]).sort()).toEqual([['ray@counsel.example', 'REVOKED'], ['sue@counsel.example', 'ACCEPTED']]);
  });

  it('revoking an accepted invitation stops its guest at once, on every path', async () => {
    const s = await invitedShare();
    const { cookie } = await acceptInvitationForm(s.secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD });
    const token = cookie!;
    expect((await apiContent(token, s.doc.id)).status).toBe(403); // view-only share: never the file…
    expect((await apiPage(token, s.doc.id, 1)).status).toBe(200); // …but its pages
    const inv = await prisma().guestInvitation.findFirstOrThrow({ where: { shareId: s.share.id } });
    await revokeInvitation(s.principal, inv.id);
    for (const r of [await apiList(token), await apiPage(token, s.doc.id, 1)]) {
      expect(r.status).toBe(403);
      expect((await r.json()).error).toBe('invitation_required');
    }
  });

  it('TOTP: enrolled with a code from the app, then required at every sign-in, each code once', async () => {
    const s = await invitedShare(['tom@counsel.example']);
    const secret = newTotpSecret();
    const badCode = await acceptInvitationForm(s.secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD, totpSecret: secret, totpCode: '000000' === currentTotp(secret) ? '111111' : '000000' });
    expect(badCode.location).toMatch(/error=validation_failed/);
    expect((await acceptInvitationForm(s.secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD, totpSecret: secret, totpCode: currentTotp(secret) })).res.status).toBe(303);
    const g = await prisma().guest.findFirstOrThrow({ where: { email: 'tom@counsel.example', orgId: s.org.id } });
    expect(g.totpSecret).toMatch(/^v1\./);
    expect(g.totpSecret).not.toContain(secret);
    const without = await apiOpen({ link: s.url, email: 'tom@counsel.example', password: GOOD_PASSWORD }, freshIp());
    expect(without.res.status).toBe(401);
    expect(without.json.error).toBe('totp_required');
    // The step the enrolment used is not recorded, so the current code works once at sign-in…
    const code = currentTotp(secret);
    expect((await apiOpen({ link: s.url, email: 'tom@counsel.example', password: GOOD_PASSWORD, totp: code }, freshIp())).res.status).toBe(201);
    // …and never again.
    expect((await apiOpen({ link: s.url, email: 'tom@counsel.example', password: GOOD_PASSWORD, totp: code }, freshIp())).json.error).toBe('invalid_password');
  });

  it('inviting more people later names them on the share and mails each once', async () => {
    const s = await invitedShare();
    const views = await inviteGuests(s.principal, s.share.id, ['new@counsel.example', 'NEW@counsel.example', 'dana@counsel.example'], 'Please review');
    expect(views.map((v) => v.email).sort()).toEqual(['dana@counsel.example', 'new@counsel.example']);
    await deliverMail(s.org.id);
    expect(mailsTo(smtp, 'new@counsel.example')).toHaveLength(1);
    expect(mailsTo(smtp, 'new@counsel.example')[0].parsed.text).toContain('Please review');
    expect(mailsTo(smtp, 'dana@counsel.example')).toHaveLength(1); // already invited: not again
    expect((await prisma().shareRecipient.findMany({ where: { shareId: s.share.id } })).map((r) => r.email).sort()).toEqual(['dana@counsel.example', 'new@counsel.example']);
  });

  it('an invited audience needs someone to invite and carries no link password', async () => {
    const s = await sharedPdf();
    await expect(createShare(s.principal, { documentIds: [s.doc.id], audience: 'INVITED', recipients: [] })).rejects.toThrow(/at least one person/);
    await expect(createShare(s.principal, { documentIds: [s.doc.id], audience: 'INVITED', recipients: ['a@b.example'], password: 'link password 1' })).rejects.toThrow(/no link password/);
    await expect(updateShare(s.principal, s.share.id, { audience: 'VERIFIED_EMAIL' })).rejects.toThrow(/people or the email domains/);
  });

  it('the breached-password list and the length rule', () => {
    expect(guestPasswordProblem('short')).toMatch(/12 characters/);
    expect(guestPasswordProblem('passwordpassword')).toMatch(/too common/);
    expect(guestPasswordProblem('Password123456!')).toMatch(/too common/);
    expect(guestPasswordProblem('aaaaaaaaaaaaaaaa')).toMatch(/too common/);
    expect(guestPasswordProblem('dana.counsel rocks 9', 'dana.counsel@counsel.example')).toMatch(/email/);
    expect(guestPasswordProblem(GOOD_PASSWORD)).toBeNull();
  });
});

describe('partner organisations with an identity provider: sso_required whatever the audience', () => {
  it('an email code from a partner domain is refused with the sso_url, and no code is ever mailed', async () => {
    const s = await sharedPdf({ audience: 'VERIFIED_EMAIL', recipients: ['li@agency.example'] });
    const { idp } = await partnerWithIdp(s.org.id, ['agency.example']);
    expect((await requestCode(s.url, 'li@agency.example', freshIp())).res.status).toBe(202);
    await settleCodes(s.org.id);
    expect(smtp.received).toHaveLength(0);
    const r = await apiOpen({ link: s.url, email: 'li@agency.example', code: '123456' }, freshIp());
    expect(r.res.status).toBe(403);
    expect(r.json.error).toBe('sso_required');
    expect(r.json.sso_url).toBe(`http://liaison.test/sso/${idp.id}/start?return=%2Fs%2F${s.token}`);
  });

  it('an invitation to a partner address sends to the IdP instead of setting a password; a password sign-in is refused', async () => {
    const s = await sharedPdf({ audience: 'INVITED', recipients: ['li@agency.example'] });
    await partnerWithIdp(s.org.id, ['agency.example']);
    await deliverMail(s.org.id);
    const secret = invitationSecretIn(mailsTo(smtp, 'li@agency.example')[0].parsed.text);
    const page = await viewInvitation(secret);
    expect(page.state === 'pending' && page.ssoUrl).toMatch(/\/sso\/.+\/start\?return=/);
    const accepted = await acceptInvitationForm(secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD });
    expect(accepted.location).toMatch(/\/sso\/.+\/start/);
    expect(accepted.cookie).toBeNull();
    expect((await apiOpen({ link: s.url, email: 'li@agency.example', password: GOOD_PASSWORD }, freshIp())).json.error).toBe('sso_required');
  });

  it('a partner adding an IdP later stops an email-verified session of its people at once', async () => {
    const s = await sharedPdf({ audience: 'VERIFIED_EMAIL', allowedDomains: ['agency.example'] });
    const code = await codeFor(s.org.id, s.url, 'li@agency.example');
    const token = await apiToken(s.url, { email: 'li@agency.example', code }, freshIp());
    expect((await apiList(token)).status).toBe(200);
    await partnerWithIdp(s.org.id, ['agency.example']);
    const r = await apiList(token);
    expect(r.status).toBe(403);
    expect((await r.json()).error).toBe('sso_required');
  });

  it('the federated sign-in opens a session for a named partner user; another domain or partner is refused', async () => {
    const s = await sharedPdf({ audience: 'INVITED', recipients: ['li@agency.example'] });
    const { partner, idp } = await partnerWithIdp(s.org.id, ['agency.example']);
    const id = { providerId: idp.id, partnerOrgId: partner.id, subject: 'sub-123', email: 'Li@Agency.example', name: 'Li Wei', groups: ['liaison-officers'], mfa: true };
    const req = { ip: freshIp(), userAgent: 'test', host: 'localhost' };
    const done = await signInFederatedGuest(id, s.token, req);
    expect(done.location).toBe(`/s/${s.token}`);
    const token = /liaison_guest=([^;]+)/.exec(done.setCookie ?? '')![1];
    expect((await apiList(token)).status).toBe(200);
    const g = await prisma().guest.findFirstOrThrow({ where: { partnerOrgId: partner.id, externalSubject: 'sub-123' } });
    expect(g).toMatchObject({ kind: 'FEDERATED', email: 'li@agency.example', displayName: 'Li Wei', groups: ['liaison-officers'] });
    // The same subject again is the same guest, brought up to date.
    await signInFederatedGuest({ ...id, name: 'Li Wei (Liaison)' }, s.token, req);
    expect(await prisma().guest.count({ where: { partnerOrgId: partner.id } })).toBe(1);
    await expect(signInFederatedGuest({ ...id, email: 'li@elsewhere.example' }, s.token, req)).rejects.toThrow(/outside your organisation/);
    await expect(signInFederatedGuest({ ...id, subject: 'sub-456', email: 'other@agency.example' }, s.token, req)).rejects.toMatchObject({ code: 'invitation_required' });
    const foreign = await sharedPdf({ audience: 'INVITED', recipients: ['li@agency.example'] });
    await expect(signInFederatedGuest(id, foreign.token, req)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('disabled and expired guests: refused at once, with a still-valid token, on every path', () => {
  it.each(['disabled', 'expired'] as const)('%s', async (how) => {
    const s = await sharedPdf({ audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], allowDownload: true });
    const code = await codeFor(s.org.id, s.url, 'ann@counsel.example');
    const token = await apiToken(s.url, { email: 'ann@counsel.example', code }, freshIp());
    expect((await apiContent(token, s.doc.id)).status).toBe(200);
    const g = await prisma().guest.findFirstOrThrow({ where: { orgId: s.org.id, email: 'ann@counsel.example' } });
    await prisma().guest.update({ where: { id: g.id }, data: how === 'disabled' ? { disabledAt: new Date() } : { expiresAt: new Date(Date.now() - 1000) } });
    for (const r of [await apiList(token), await apiContent(token, s.doc.id), await apiPage(token, s.doc.id, 1)]) {
      expect(r.status).toBe(403);
      expect((await r.json()).error).toBe('guest_disabled');
    }
    expect(await prisma().auditEvent.count({ where: { shareId: s.share.id, reason: 'guest_disabled' } })).toBe(3);
    // And no new session either.
    await prisma().emailCode.deleteMany({ where: { shareId: s.share.id } });
    const fresh = await codeFor(s.org.id, s.url, 'ann@counsel.example').catch(() => null);
    if (fresh) expect((await apiOpen({ link: s.url, email: 'ann@counsel.example', code: fresh }, freshIp())).json.error).toBe('guest_disabled');
  });
});

describe('guest account expiry jobs', () => {
  it('disables guests past their expiry once, audited; reminds those about to expire once per expiry', async () => {
    const { disableExpiredGuests, sendGuestExpiryReminders } = await import('../../lib/jobs/guest-expiry');
    const s = await sharedPdf();
    const DAY = 86_400_000;
    const past = await prisma().guest.create({ data: { orgId: s.org.id, kind: 'REGISTERED', email: 'old@counsel.example', expiresAt: new Date(Date.now() - 1000) } });
    const soon = await prisma().guest.create({ data: { orgId: s.org.id, kind: 'REGISTERED', email: 'soon@counsel.example', expiresAt: new Date(Date.now() + DAY), createdAt: new Date(Date.now() - 30 * DAY) } });
    expect(await disableExpiredGuests()).toBeGreaterThanOrEqual(1);
    expect(await disableExpiredGuests()).toBe(0);
    const after = await prisma().guest.findUniqueOrThrow({ where: { id: past.id } });
    expect(after).toMatchObject({ disabledReason: 'expired', revocationEpoch: 1 });
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, type: 'guest.disable' } })).toBe(1);
    await sendGuestExpiryReminders();
    await sendGuestExpiryReminders();
    const reminders = await prisma().mailMessage.findMany({ where: { orgId: s.org.id, template: 'guest_expiry_reminder' } });
    expect(reminders.map((m) => m.to)).toEqual(['soon@counsel.example']);
    expect(soon.id).toBeTruthy();
  });
});

describe('the browser gate for identified audiences', () => {
  const ctx = (token: string) => ({ params: Promise.resolve({ token }) });
  const form = (body: Record<string, string>, _ip: string) => ({ method: 'POST', body: new URLSearchParams(body) });

  it('email → code → documents; the landing names the step and nothing else', async () => {
    const { guestLanding } = await import('../../lib/guest/landing');
    const { POST: codeRoute } = await import('../../app/s/[token]/code/route');
    const { browserOpen } = await import('../helpers/guest');
    const { CLIENT_IP_HEADER } = await import('../../lib/http/client-ip');
    const s = await sharedPdf({ audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'], message: 'Secret sender note' });
    const req = { ip: freshIp(), userAgent: 'test', host: 'localhost' };
    expect(await guestLanding(s.token, req, null)).toMatchObject({ kind: 'gate', gate: { step: 'email' } });
    const ip = freshIp();
    const asked = await codeRoute(new Request(`http://liaison.test/s/${s.token}/code`, { ...form({ email: 'Ann@Counsel.example' }, ip), headers: { [CLIENT_IP_HEADER]: ip } }), ctx(s.token));
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(`/s/${s.token}`);
    expect(asked.headers.get('set-cookie')).toMatch(new RegExp(`^liaison_code_email=ann%40counsel\\.example; Path=/s/${s.token}; Max-Age=600; HttpOnly; Secure; SameSite=Lax$`));
    const landing = await guestLanding(s.token, req, null, 'ann@counsel.example');
    expect(landing).toMatchObject({ kind: 'gate', gate: { step: 'code', email: 'ann@counsel.example' } });
    expect(JSON.stringify(landing)).not.toContain('Secret sender note');
    await settleCodes(s.org.id);
    const code = codeIn(mailsTo(smtp, 'ann@counsel.example')[0].parsed.text);
    const opened = await browserOpen(s.token, { email: 'ann@counsel.example', code }, freshIp());
    expect(opened.location).toBe(`/s/${s.token}`);
    expect(opened.cookie).toBeTruthy();
    expect(opened.setCookie).toMatch(/liaison_code_email=; Path=\/s\/[^;]+; Max-Age=0/);
    const open = await guestLanding(s.token, req, opened.cookie);
    expect(open).toMatchObject({ kind: 'open', message: 'Secret sender note' });
    // A wrong code goes back to the gate with the reason.
    expect((await browserOpen(s.token, { email: 'ann@counsel.example', code: '000000' }, freshIp())).location).toMatch(/error=invalid_code/);
  });

  it('a partner address asking for a code is sent to its sign-in instead', async () => {
    const { POST: codeRoute } = await import('../../app/s/[token]/code/route');
    const { CLIENT_IP_HEADER } = await import('../../lib/http/client-ip');
    const s = await sharedPdf({ audience: 'VERIFIED_EMAIL', allowedDomains: ['agency.example'] });
    const { idp } = await partnerWithIdp(s.org.id, ['agency.example']);
    const ip = freshIp();
    const r = await codeRoute(new Request(`http://liaison.test/s/${s.token}/code`, { ...form({ email: 'li@agency.example' }, ip), headers: { [CLIENT_IP_HEADER]: ip } }), ctx(s.token));
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`http://liaison.test/sso/${idp.id}/start?return=%2Fs%2F${s.token}`);
  });

  it('invited: the landing asks to sign in; a password sign-in through the form opens the share', async () => {
    const { guestLanding } = await import('../../lib/guest/landing');
    const { browserOpen } = await import('../helpers/guest');
    const s = await sharedPdf({ audience: 'INVITED', recipients: ['dana@counsel.example'] });
    expect(await guestLanding(s.token, { ip: freshIp(), userAgent: 'x' }, null)).toMatchObject({ kind: 'gate', gate: { step: 'signin' } });
    await deliverMail(s.org.id);
    const secret = invitationSecretIn(mailsTo(smtp, 'dana@counsel.example')[0].parsed.text);
    expect((await acceptInvitationForm(secret, { password: GOOD_PASSWORD, confirm: GOOD_PASSWORD })).res.status).toBe(303);
    const wrong = await browserOpen(s.token, { email: 'dana@counsel.example', password: 'not the password at all' }, freshIp());
    expect(wrong.location).toMatch(/error=invalid_password/);
    const ok = await browserOpen(s.token, { email: 'dana@counsel.example', password: GOOD_PASSWORD }, freshIp());
    expect(ok.cookie).toBeTruthy();
  });
});
