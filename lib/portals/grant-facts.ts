import { prisma } from '../db/client';
import type { GrantFacts } from '../policy';
import { tlpScope } from '../policy/tlp-scope';
import { portalHosts } from './hosts';
import { lawEnforcementFacts } from '../guest/facts';
import type { PortalRow } from './portal-lookup';

export interface PortalSectionFacts { id: string; name: string; position: number; documentIds: string[] }

export interface PortalGrantsLoaded {
  /** Where the portal is served now (the grants' `hosts`). */
  hosts: string[];
  grants: GrantFacts[];
  sections: PortalSectionFacts[];
  /** Which sections each grant covers (all of them for an allSections grant). */
  sectionsOfGrant: Map<string, string[]>;
  /** Each grant's real-time flags (lib/collab/actor.ts): presence between its guests, and the barrier. */
  collabOfGrant: Map<string, GrantCollabFlags>;
}

export interface GrantCollabFlags { showGuestPresence: boolean; keepPartiesApart: boolean }

/**
 * Every grant of a portal as the policy sees it, with the documents of the sections it covers, as they
 * stand now: a document added to a section is reachable at once, one removed is not_found at once.
 * Revoked and expired grants are included, so the guest is told "revoked" or "expired" rather than
 * "not found". Each grant's TLP scope (lib/policy/tlp-scope.ts) is worked out from the organisation's
 * partners as they are now: its ceiling is the organisation's, lowered by that of every partner it
 * reaches (the one it names, and those whose domains its addresses and domains are in).
 */
export async function loadPortalGrants(portal: PortalRow, knownHosts?: readonly string[]): Promise<PortalGrantsLoaded> {
  // A caller that already checked the request's host against them passes them on: one query less.
  const hosts = knownHosts ? [...knownHosts] : await portalHosts(portal.id);
  const [rows, sectionRows, partners] = await Promise.all([
    prisma().portalGrant.findMany({
      where: { portalId: portal.id },
      include: { sections: { select: { sectionId: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    prisma().portalSection.findMany({
      where: { portalId: portal.id },
      select: { id: true, name: true, position: true, documents: { select: { documentId: true }, orderBy: [{ position: 'asc' }, { addedAt: 'asc' }] } },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    }),
    // Every partner as it is now: ceilings cap each grant's TLP scope, and criminal intelligence (28 CFR
    // Part 23) goes only to those marked as law-enforcement agencies.
    prisma().partnerOrg.findMany({ where: { orgId: portal.orgId }, select: { id: true, domains: true, tlpCeiling: true, lawEnforcement: true }, orderBy: { id: 'asc' } }),
  ]);
  const lawEnforcement = lawEnforcementFacts(partners);
  const sections = sectionRows.map((s) => ({ id: s.id, name: s.name, position: s.position, documentIds: s.documents.map((d) => d.documentId) }));
  const byId = new Map(sections.map((s) => [s.id, s]));
  const sectionsOfGrant = new Map<string, string[]>();
  const collabOfGrant = new Map<string, GrantCollabFlags>();
  const grants = rows.map((g): GrantFacts => {
    const covered = g.allSections ? sections.map((s) => s.id) : g.sections.map((s) => s.sectionId).filter((id) => byId.has(id));
    sectionsOfGrant.set(g.id, covered);
    collabOfGrant.set(g.id, { showGuestPresence: g.showGuestPresence, keepPartiesApart: g.keepPartiesApart });
    const documentIds = [...new Set(covered.flatMap((id) => byId.get(id)!.documentIds))];
    const scope = tlpScope(portal.org.tlpCeiling, partners, { link: false, recipients: g.emails, domains: g.domains, partnerOrgId: g.partnerOrgId, groups: g.groups });
    return {
      kind: 'portal', id: g.id, sessionAudience: `portal:${portal.id}`, orgId: g.orgId, state: g.state, revokedAt: g.revokedAt,
      expiresAt: g.expiresAt, revocationEpoch: portal.revocationEpoch, passwordEpoch: 0, hasPassword: false,
      termsVersionId: g.termsVersionId, allowedIpRanges: g.allowedIpRanges, allowedCountries: g.allowedCountries,
      allowedDevices: g.allowedDevices, permission: g.permission, allowDownload: g.allowDownload, allowPrint: g.allowPrint,
      watermark: g.watermark, documentIds, tlpCeiling: scope.ceiling,
      approval: g.approvalState, namedOrg: scope.namedOrg, namedOnly: scope.namedOnly,
      audience: 'GRANTEES', recipients: g.emails.map((e) => e.toLowerCase()), allowedDomains: g.domains.map((d) => d.toLowerCase()),
      partnerOrgId: g.partnerOrgId, groups: g.groups, requireDevice: g.requireDevice, hosts,
      needToKnow: g.needToKnow, lawEnforcement,
    };
  });
  return { hosts, grants, sections, sectionsOfGrant, collabOfGrant };
}
