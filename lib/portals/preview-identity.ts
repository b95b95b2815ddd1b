import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import type { Principal } from '../auth/principal';
import { countryOf } from '../geo/country';
import { deviceClass, type AuthMethod, type GuestFacts, type RequestFacts, type SessionFacts } from '../policy';
import { normaliseEmail } from '../mail/address';
import { guestLabel } from '../guest/audit';
import { loadGuestExtras } from '../guest/guest-extras';
import { loadPortalGrants, type PortalGrantsLoaded } from './grant-facts';
import { consoleHosts } from './hosts';
import type { PortalRow } from './portal-lookup';

export const previewAsInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('guest'), guestId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  z.object({ kind: z.literal('email'), email: z.string().trim().min(3).max(320) }),
  z.object({ kind: z.literal('partner'), partnerOrgId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), group: z.string().trim().max(200).optional() }),
]);
export type PreviewAs = z.infer<typeof previewAsInput>;

/** Whom a preview is for, with the facts the policy decides on for them. */
export interface PreviewIdentity {
  as: PreviewAs;
  /** How the console names them ("anyone from Acme, group “counsel”"). */
  label: string;
  /** How their watermark would name them (lib/guest/audit.ts guestLabel). */
  identity: string;
  loaded: PortalGrantsLoaded;
  facts: { guest: GuestFacts; session: SessionFacts; request: RequestFacts };
  /** Terms versions they already accepted. */
  accepted: string[];
  /** Where the network and country conditions were evaluated from. */
  conditionsFrom: string;
}

const METHOD: Record<GuestFacts['kind'], AuthMethod> = { ANONYMOUS: 'link', EMAIL_VERIFIED: 'code', REGISTERED: 'password', FEDERATED: 'sso' };

/**
 * The facts of a guest (a real one, an address, or a partner organisation's people in one IdP group) as
 * the policy would see them in this portal, without signing them in: their kind, groups, partner, the
 * terms they accepted, and their last known address for network and country conditions. The session is
 * taken as one with every terms version accepted (the preview shows the portal as it is after them) and a
 * device-bound grant as on an approved device. Nothing is written.
 */
export async function previewIdentity(p: Principal, portal: PortalRow, rawAs: unknown): Promise<PreviewIdentity> {
  const as = previewAsInput.parse(rawAs);
  const loaded = await loadPortalGrants(portal);
  let guest: GuestFacts;
  let label: string;
  let identity: string;
  let accepted: string[] = [];
  let last: { ip: string; country: string | null; userAgent: string | null } | null = null;
  if (as.kind === 'guest') {
    const g = await prisma().guest.findFirst({
      where: { id: as.guestId, orgId: p.orgId },
      include: { acceptances: { select: { termsVersionId: true } }, sessions: { where: { portalId: portal.id }, orderBy: { createdAt: 'desc' }, take: 1 } },
    });
    if (!g) throw new AppError('not_found', 'No such guest.');
    const extras = await loadGuestExtras(p.orgId, '', { id: g.id, email: g.email });
    guest = { kind: g.kind, email: g.email, disabled: g.disabledAt != null, expiresAt: g.expiresAt, partnerOrgId: g.partnerOrgId, partnerSso: extras.partnerSso, authMethod: METHOD[g.kind], invited: false, groups: g.groups };
    label = g.email ?? `guest ${g.id}`;
    identity = guestLabel({ email: g.email, shareId: null, guestId: g.id });
    accepted = g.acceptances.map((a) => a.termsVersionId);
    const s = g.sessions[0];
    if (s) last = { ip: s.ip, country: s.country, userAgent: s.userAgent };
  } else if (as.kind === 'email') {
    let email: string;
    try { email = normaliseEmail(as.email).address; } catch { throw new AppError('validation_failed', 'Invalid email address.'); }
    const extras = await loadGuestExtras(p.orgId, '', { id: null, email });
    guest = { kind: 'EMAIL_VERIFIED', email, disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: extras.partnerSso, authMethod: 'code', invited: false, groups: [] };
    label = email;
    identity = email;
  } else {
    const partner = await prisma().partnerOrg.findFirst({ where: { id: as.partnerOrgId, orgId: p.orgId }, select: { id: true, name: true } });
    if (!partner) throw new AppError('not_found', 'No such partner organisation.');
    guest = { kind: 'FEDERATED', email: null, disabled: false, expiresAt: null, partnerOrgId: partner.id, partnerSso: true, authMethod: 'sso', invited: false, groups: as.group ? [as.group] : [] };
    label = as.group ? `${partner.name}, group “${as.group}”` : `anyone from ${partner.name}`;
    // Each of them would be named by their own address; the preview has none.
    identity = `a person from ${partner.name}`;
  }

  const now = new Date();
  const allTerms = loaded.grants.map((g) => g.termsVersionId).filter((t): t is string => t != null);
  const session: SessionFacts = {
    grant: `portal:${portal.id}`, shareEpoch: portal.revocationEpoch, passwordEpoch: 0, guestEpoch: 0, guestRevocationEpoch: 0,
    passwordVerified: true, acceptedTermsVersionIds: allTerms, expiresAt: new Date(now.getTime() + 3_600_000), revokedAt: null, host: null,
  };
  const request: RequestFacts = {
    ip: last?.ip ?? null, country: last ? (last.country ?? await countryOf(last.ip)) : null, device: deviceClass(last?.userAgent ?? null),
    now, host: consoleHosts()[0], deviceKey: { status: 'APPROVED' },
  };
  return {
    as, label, identity, loaded, facts: { guest, session, request }, accepted,
    conditionsFrom: last ? `their last sign-in from ${last.ip}${last.country ? ` (${last.country})` : ''}` : 'no known address: grants limited to networks or countries are shown as refused',
  };
}

/** Whom the console's preview URL (?guest=, ?email=, ?partner=&group=) asks for, or null. */
export function previewAsFromQuery(q: { guest?: string; email?: string; partner?: string; group?: string }): PreviewAs | null {
  if (q.guest) return { kind: 'guest', guestId: q.guest };
  if (q.partner) return { kind: 'partner', partnerOrgId: q.partner, ...(q.group ? { group: q.group } : {}) };
  if (q.email) return { kind: 'email', email: q.email };
  return null;
}

/** The query string that asks the preview for `as` (the inverse of previewAsFromQuery). */
export function previewAsQuery(as: PreviewAs): string {
  const q = new URLSearchParams(as.kind === 'guest' ? { guest: as.guestId } : as.kind === 'email' ? { email: as.email } : { partner: as.partnerOrgId, ...(as.group ? { group: as.group } : {}) });
  return q.toString();
}
