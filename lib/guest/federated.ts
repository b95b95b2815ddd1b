import { prisma } from '../db/client';
import { AppError } from '../errors';
import { normaliseEmail } from '../mail/address';
import { guestCookieHeader } from '../http/guest-cookie';
import { isLinkToken } from './link';
import { findShareByToken } from './share-lookup';
import { openOnShare, type OpenedSession } from './session';
import { auditGuest } from './audit';
import { issueHandoffCode, takeHandoffCode } from '../sso/handoff-code';
import type { GuestRequest } from './facts';

export interface FederatedIdentity {
  providerId: string; partnerOrgId: string; subject: string; email: string;
  name: string | null; groups: string[]; mfa: boolean;
}

const clean = (s: string | null | undefined, max: number) => (s ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, max) || null;

/**
 * A partner user whose IdP vouched for them (lib/sso verified the response completely): the FEDERATED
 * guest for (partner, subject) is created or brought up to date (email, name, groups from the IdP's
 * attributes), and a session is opened on the share the link token names, under the policy (authMethod
 * 'sso'). The partner must belong to the share's organisation and the address to the partner's domains.
 */
export async function signInFederatedGuest(identity: FederatedIdentity, linkToken: string, request: GuestRequest): Promise<{ location: string; setCookie: string | null }> {
  if (!isLinkToken(linkToken)) throw new AppError('not_found', 'This link does not exist.');
  const share = await findShareByToken(linkToken);
  if (!share) throw new AppError('not_found', 'This link does not exist.');
  const partner = await prisma().partnerOrg.findFirst({ where: { id: identity.partnerOrgId, orgId: share.orgId }, select: { id: true, domains: true } });
  if (!partner) throw new AppError('forbidden', 'Your organisation is not a partner of the organisation that shared this.');
  const guest = await upsertFederatedGuest(identity, partner, share.orgId);
  if (share.requireDevice) {
    // The session must be bound to the browser's device key, which the IdP's redirect cannot prove: no
    // session opens here; the browser goes to the device step with a one-time code (docs/DEVICES.md).
    const { code, id } = await issueHandoffCode({
      orgId: share.orgId, target: { shareId: share.id }, host: request.host ?? '', guestId: guest.id, groups: guest.groups, providerId: identity.providerId, device: true,
    });
    await auditGuest(share.orgId, 'guest.sso.handoff', { guestId: guest.id, email: guest.email, shareId: share.id }, request, {
      details: { handoffId: id, host: request.host ?? null, providerId: identity.providerId, device: true },
    });
    return { location: `/s/${linkToken}/sso/device?code=${code}`, setCookie: null };
  }
  const opened = await openOnShare(share, linkToken, {
    guest: { id: guest.id, kind: 'FEDERATED', email: guest.email, disabledAt: guest.disabledAt, expiresAt: guest.expiresAt, partnerOrgId: guest.partnerOrgId },
    method: 'sso',
  }, {}, request, { pendingTerms: true });
  return { location: `/s/${linkToken}`, setCookie: guestCookieHeader(linkToken, opened.accessToken, opened.expiresIn) };
}

/**
 * The device step of a partner's sign-in into a device-bound share (POST /s/<link token>/sso/complete):
 * the one-time code issued above, presented on the host it was issued on with a valid proof of the
 * browser's device key, opens the session bound to that key (cnf.jkt). The key is registered as at any
 * other sign-in: a guest's first device is approved, a later one waits for staff and is refused
 * device_denied meanwhile. Every refusal is audited (guest.sso.complete) and burns the code.
 */
export async function completeFederatedShareSignIn(rawCode: unknown, linkToken: string, request: GuestRequest): Promise<OpenedSession> {
  if (!isLinkToken(linkToken)) throw new AppError('not_found', 'This link does not exist.');
  const share = await findShareByToken(linkToken);
  if (!share) throw new AppError('not_found', 'This link does not exist.');
  const { row, opening } = await takeHandoffCode(rawCode, { shareId: share.id }, request, 'guest.sso.complete');
  const g = row.guest;
  return openOnShare(share, linkToken, {
    guest: { id: g.id, kind: 'FEDERATED', email: g.email, disabledAt: g.disabledAt, expiresAt: g.expiresAt, partnerOrgId: g.partnerOrgId },
    method: 'sso',
  }, {}, request, { pendingTerms: true, opening });
}

/**
 * The FEDERATED guest for (partner, subject), created or brought up to date (email, name, groups from
 * the IdP's attributes). The address must be in the partner's domains.
 */
export async function upsertFederatedGuest(identity: FederatedIdentity, partner: { id: string; domains: string[] }, orgId: string) {
  const email = normaliseEmail(identity.email).address;
  if (!partner.domains.includes(email.slice(email.lastIndexOf('@') + 1))) throw new AppError('forbidden', 'Your identity provider vouched for an address outside your organisation’s domains.');
  const subject = clean(identity.subject, 512);
  if (!subject) throw new AppError('forbidden', 'Your identity provider did not name you.');
  const data = { email, displayName: clean(identity.name, 200), groups: identity.groups.map((g) => clean(g, 200)).filter((g): g is string => Boolean(g)).slice(0, 100) };
  const where = { partnerOrgId: partner.id, externalSubject: subject, kind: 'FEDERATED' as const };
  let guest = await prisma().guest.findFirst({ where });
  if (guest) guest = await prisma().guest.update({ where: { id: guest.id }, data });
  else {
    try {
      guest = await prisma().guest.create({ data: { ...data, ...where, orgId } });
    } catch {
      guest = await prisma().guest.findFirstOrThrow({ where }); // a parallel first sign-in created it
    }
  }
  return guest;
}
