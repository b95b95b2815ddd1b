import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { countryOf } from '../geo/country';
import { decideAccess, grantNamesGuest, type AuthMethod, type GuestFacts, type RequestFacts, type SessionFacts } from '../policy';
import { deviceClass } from '../policy';
import { normaliseEmail } from '../mail/address';
import { loadGuestExtras } from '../guest/guest-extras';
import { loadPortalGrants, type PortalGrantsLoaded } from './grant-facts';
import { consoleHosts } from './hosts';
import { visibleSections, type PortalSectionView } from './landing';
import { findPortalById, type PortalRow } from './portal-lookup';

export const previewAsInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('guest'), guestId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  z.object({ kind: z.literal('email'), email: z.string().trim().min(3).max(320) }),
  z.object({ kind: z.literal('partner'), partnerOrgId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), group: z.string().trim().max(200).optional() }),
]);
export type PreviewAs = z.infer<typeof previewAsInput>;

export interface GrantVerdict { grantId: string; who: string; decision: string }

export interface PortalPreview {
  portal: PortalRow;
  label: string;
  sections: PortalSectionView[];
  /** The grants that name this guest, each with what the policy decides for opening the portal. */
  grants: GrantVerdict[];
  /** Terms the guest would be asked to accept first (the preview shows the portal as it is after them). */
  pendingTerms: number;
  /** Where the network and country conditions were evaluated from. */
  conditionsFrom: string;
}

const METHOD: Record<GuestFacts['kind'], AuthMethod> = { ANONYMOUS: 'link', EMAIL_VERIFIED: 'code', REGISTERED: 'password', FEDERATED: 'sso' };

/**
 * What a guest (a real one, an address, or a partner organisation's people in one IdP group) would see in
 * a portal, decided by the same policy with the same grants, without signing them in: no guest session,
 * no guest access event. Read-only, and audited as a staff preview (portal.preview). Network and
 * country conditions are evaluated from the guest's last known address when there is one; a device-bound
 * grant is shown as it would be on an approved device.
 */
export async function previewPortal(p: Principal, portalId: string, rawAs: unknown): Promise<PortalPreview> {
  authorize(p, 'portals:read');
  const as = previewAsInput.parse(rawAs);
  const portal = await findPortalById(portalId);
  if (!portal || portal.orgId !== p.orgId) throw new AppError('not_found', 'No such portal.');
  const loaded = await loadPortalGrants(portal);

  let guest: GuestFacts;
  let label: string;
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
    accepted = g.acceptances.map((a) => a.termsVersionId);
    const s = g.sessions[0];
    if (s) last = { ip: s.ip, country: s.country, userAgent: s.userAgent };
  } else if (as.kind === 'email') {
    const email = normaliseEmail(as.email).address;
    const extras = await loadGuestExtras(p.orgId, '', { id: null, email });
    guest = { kind: 'EMAIL_VERIFIED', email, disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: extras.partnerSso, authMethod: 'code', invited: false, groups: [] };
    label = email;
  } else {
    const partner = await prisma().partnerOrg.findFirst({ where: { id: as.partnerOrgId, orgId: p.orgId }, select: { id: true, name: true } });
    if (!partner) throw new AppError('not_found', 'No such partner organisation.');
    guest = { kind: 'FEDERATED', email: null, disabled: false, expiresAt: null, partnerOrgId: partner.id, partnerSso: true, authMethod: 'sso', invited: false, groups: as.group ? [as.group] : [] };
    label = as.group ? `${partner.name}, group “${as.group}”` : `anyone from ${partner.name}`;
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
  const facts = { guest, session, request };
  const named = loaded.grants.filter((g) => grantNamesGuest(g, guest));
  const verdicts: GrantVerdict[] = named.map((g) => {
    const d = decideAccess({ grant: g, ...facts, action: 'list' });
    return { grantId: g.id, who: describeGrant(g, loaded), decision: d.allow ? 'allowed' : d.reason };
  });
  const sections = await visibleSections({ orgId: portal.orgId, loaded, facts });
  const pendingTerms = new Set(named.map((g) => g.termsVersionId).filter((t): t is string => t != null && !accepted.includes(t))).size;
  await recordAudit({ orgId: p.orgId, type: 'portal.preview', actor: actorOf(p), request: p.request, details: { portalId: portal.id, as: { ...as } } });
  return {
    portal, label, sections, grants: verdicts, pendingTerms,
    conditionsFrom: last ? `their last sign-in from ${last.ip}${last.country ? ` (${last.country})` : ''}` : 'no known address: grants limited to networks or countries are shown as refused',
  };
}

function describeGrant(g: PortalGrantsLoaded['grants'][number], loaded: PortalGrantsLoaded): string {
  const who = [...g.recipients, ...g.allowedDomains.map((d) => `@${d}`), ...(g.partnerOrgId ? ['partner'] : []), ...(g.groups ?? []).map((x) => `group ${x}`)];
  const sections = loaded.sectionsOfGrant.get(g.id)?.length ?? 0;
  return `${who.join(', ') || 'nobody'} · ${sections} ${sections === 1 ? 'section' : 'sections'}`;
}
