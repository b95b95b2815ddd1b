import { TLP_ORDER, type TlpLabel } from './types';

/**
 * TLP 2.0 scope of a grant (docs/CLASSIFICATION.md): which markings it may carry to whom. Pure, so the
 * same answer is given when a share or portal grant is created, when a recipient is added, when a new
 * version is uploaded, and on every request (the loaders put the result into GrantFacts for
 * decideAccess).
 */

/** A partner organisation as the scope needs it: its id, its lower-case email domains and its own ceiling. */
export interface PartnerScopeFacts { id: string; domains: readonly string[]; tlpCeiling: TlpLabel | null }

/** Who a grant reaches, as stored: anyone with a link, addresses, domains, a partner organisation, IdP groups. */
export interface GrantReach {
  /** Anyone holding the link may open it (a share with audience ANYONE_WITH_LINK). */
  link: boolean;
  recipients: readonly string[];
  domains: readonly string[];
  partnerOrgId?: string | null;
  groups?: readonly string[];
}

/** The one organisation AMBER+STRICT material of a grant is limited to: a partner, by id and domains. */
export interface NamedOrg { id: string; domains: readonly string[] }

export interface TlpScope {
  /** The organisation's ceiling lowered by the ceiling of every partner the grant reaches. */
  ceiling: TlpLabel;
  /** The single partner organisation every person the grant reaches belongs to, or null. */
  namedOrg: NamedOrg | null;
  /** The grant reaches named addresses only: no link, no domain, no partner-wide or group grant. */
  namedOnly: boolean;
  /** The partners the grant reaches (for messages and the audit trail). */
  partnerIds: string[];
}

export const tlpRank = (t: unknown): number => {
  const i = TLP_ORDER.indexOf(t as TlpLabel);
  return i < 0 ? Number.POSITIVE_INFINITY : i;
};

export const lowerTlp = (a: TlpLabel, b: TlpLabel | null | undefined): TlpLabel => (b && tlpRank(b) < tlpRank(a) ? b : a);

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * The scope of a grant. A partner is reached when the grant names it, or names an address or domain in
 * its domains. The ceiling is the lowest of the organisation's and those partners' (a partner without a
 * ceiling of its own takes the organisation's). The named organisation exists only when the grant is
 * not an open link, reaches exactly one partner, every address and domain it names is that partner's,
 * and any groups are that partner's (groups without a partner could be any partner's people).
 */
export function tlpScope(orgCeiling: TlpLabel, partners: readonly PartnerScopeFacts[], reach: GrantReach): TlpScope {
  const recipientDomains = reach.recipients.map(domainOf);
  const domains = reach.domains.map((d) => d.toLowerCase());
  const touched = partners.filter((p) =>
    p.id === reach.partnerOrgId ||
    recipientDomains.some((d) => p.domains.includes(d)) ||
    domains.some((d) => p.domains.includes(d)));
  const ceiling = touched.reduce<TlpLabel>((c, p) => lowerTlp(c, p.tlpCeiling), orgCeiling);
  const groups = reach.groups ?? [];
  let namedOrg: NamedOrg | null = null;
  if (!reach.link && touched.length === 1) {
    const only = touched[0];
    const inside = (d: string) => only.domains.includes(d);
    const someone = recipientDomains.length + domains.length > 0 || reach.partnerOrgId === only.id;
    if (someone && recipientDomains.every(inside) && domains.every(inside)
      && (reach.partnerOrgId == null || reach.partnerOrgId === only.id)
      && (groups.length === 0 || reach.partnerOrgId === only.id)) {
      namedOrg = { id: only.id, domains: [...only.domains] };
    }
  }
  const namedOnly = !reach.link && reach.recipients.length > 0 && domains.length === 0 && reach.partnerOrgId == null && groups.length === 0;
  return { ceiling, namedOrg, namedOnly, partnerIds: touched.map((p) => p.id) };
}

/** Why a grant of this scope and approval may not release a version so marked; null when it may. */
export type ReleaseProblem = 'above_ceiling' | 'amber_strict_outside_org' | 'red_not_named' | 'red_not_approved';

/**
 * Whether a grant may release a marking, leaving the guest aside (decideAccess also checks the guest).
 * `approved` says whether a second admin has approved the grant; at creation the caller passes true
 * for the question "could it, once approved?".
 */
export function releaseProblem(scope: Pick<TlpScope, 'ceiling' | 'namedOrg' | 'namedOnly'>, approved: boolean, tlp: TlpLabel): ReleaseProblem | null {
  if (tlpRank(tlp) > tlpRank(scope.ceiling)) return 'above_ceiling';
  if (tlp === 'AMBER_STRICT' && !scope.namedOrg) return 'amber_strict_outside_org';
  if (tlp === 'RED' && !scope.namedOnly) return 'red_not_named';
  if (tlp === 'RED' && !approved) return 'red_not_approved';
  return null;
}

export const RELEASE_PROBLEM_TEXT: Record<ReleaseProblem, string> = {
  above_ceiling: 'its marking is above the ceiling of the organisation or of a partner organisation the grant reaches',
  amber_strict_outside_org: 'TLP:AMBER+STRICT may only go to people of one named partner organisation (no open link, no other domains)',
  red_not_named: 'TLP:RED may only go to named recipients (no open link, no domain, partner-wide or group grant)',
  red_not_approved: 'TLP:RED needs a second administrator to approve the grant first',
};
