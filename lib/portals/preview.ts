import { recordAudit } from '../audit/record';
import { AppError } from '../errors';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { decideAccess, grantNamesGuest } from '../policy';
import type { PortalGrantsLoaded } from './grant-facts';
import { visibleSections, type PortalSectionView } from './landing';
import { findPortalById, type PortalRow } from './portal-lookup';
import { previewIdentity } from './preview-identity';
import { prisma } from '../db/client';

export { previewAsInput, type PreviewAs } from './preview-identity';

export interface GrantVerdict { grantId: string; who: string; decision: string }

/** A document of the portal that the previewed guest would not see listed (staff may open it to see the refusal). */
export interface HiddenDocument { id: string; title: string; section: string }

export interface PortalPreview {
  portal: PortalRow;
  label: string;
  sections: PortalSectionView[];
  /** The portal's other documents: not listed for this guest. */
  hidden: HiddenDocument[];
  /** The grants that name this guest, each with what the policy decides for opening the portal. */
  grants: GrantVerdict[];
  /** Terms the guest would be asked to accept first (the preview shows the portal as it is after them). */
  pendingTerms: number;
  /** Where the network and country conditions were evaluated from. */
  conditionsFrom: string;
}

/**
 * What a guest (a real one, an address, or a partner organisation's people in one IdP group) would see in
 * a portal, decided by the same policy with the same grants, without signing them in: no guest session,
 * no guest access event. Read-only, and audited as a staff preview (portal.preview). Network and
 * country conditions are evaluated from the guest's last known address when there is one; a device-bound
 * grant is shown as it would be on an approved device.
 */
export async function previewPortal(p: Principal, portalId: string, rawAs: unknown): Promise<PortalPreview> {
  authorize(p, 'portals:read');
  const portal = await findPortalById(portalId);
  if (!portal || portal.orgId !== p.orgId) throw new AppError('not_found', 'No such portal.');
  const who = await previewIdentity(p, portal, rawAs);
  const { loaded, facts } = who;
  const named = loaded.grants.filter((g) => grantNamesGuest(g, facts.guest));
  const verdicts: GrantVerdict[] = named.map((g) => {
    const d = decideAccess({ grant: g, ...facts, action: 'list' });
    return { grantId: g.id, who: describeGrant(g, loaded), decision: d.allow ? 'allowed' : d.reason };
  });
  const sections = await visibleSections({ orgId: portal.orgId, loaded, facts });
  const pendingTerms = new Set(named.map((g) => g.termsVersionId).filter((t): t is string => t != null && !who.accepted.includes(t))).size;
  await recordAudit({ orgId: p.orgId, type: 'portal.preview', actor: actorOf(p), request: p.request, details: { portalId: portal.id, as: { ...who.as } } });
  return { portal, label: who.label, sections, hidden: await hiddenDocuments(portal.orgId, loaded, sections), grants: verdicts, pendingTerms, conditionsFrom: who.conditionsFrom };
}

async function hiddenDocuments(orgId: string, loaded: PortalGrantsLoaded, visible: PortalSectionView[]): Promise<HiddenDocument[]> {
  const shown = new Set(visible.flatMap((s) => s.documents.map((d) => d.id)));
  const rest = loaded.sections.flatMap((s) => s.documentIds.filter((id) => !shown.has(id)).map((id) => ({ id, section: s.name })));
  if (!rest.length) return [];
  const titles = new Map((await prisma().document.findMany({ where: { orgId, id: { in: rest.map((r) => r.id) } }, select: { id: true, title: true } })).map((d) => [d.id, d.title]));
  return rest.filter((r) => titles.has(r.id)).map((r) => ({ ...r, title: titles.get(r.id)! }));
}

function describeGrant(g: PortalGrantsLoaded['grants'][number], loaded: PortalGrantsLoaded): string {
  const who = [...g.recipients, ...g.allowedDomains.map((d) => `@${d}`), ...(g.partnerOrgId ? ['partner'] : []), ...(g.groups ?? []).map((x) => `group ${x}`)];
  const sections = loaded.sectionsOfGrant.get(g.id)?.length ?? 0;
  return `${who.join(', ') || 'nobody'} · ${sections} ${sections === 1 ? 'section' : 'sections'}`;
}
