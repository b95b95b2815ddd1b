import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { currentOrganization } from '@/lib/orgs/current-org';
import { getPortal } from '@/lib/portals/admin';
import { listPortalGrants, partnerChoices } from '@/lib/portals/grants';
import { listPortalSections } from '@/lib/portals/sections';
import { listTerms } from '@/lib/terms/service';
import { GrantsPanel } from '@/components/portals/grants-panel';
import { toUtcInput } from '@/components/shares/format';
import { Notice } from '@/components/ui/notice';
import { pathSegment, requirePageIds } from '../../../_shared/ids';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';
import { grantAccessAction, revokeAccessAction, setGrantCollaborationAction } from './actions';

export const metadata: Metadata = { title: 'Portal access' };

const DAY = 86_400_000;
type Props = { params: Promise<{ id: string }> };

export default async function PortalAccessPage({ params }: Props) {
  const p = await consolePrincipal();
  const id = pathSegment((await params).id);
  await requirePageIds(p, 'page /portals/[id]', { portalId: id });
  const res = await load(async () => {
    const [portal, grants, sections] = await Promise.all([getPortal(p, id), listPortalGrants(p, id), listPortalSections(p, id)]);
    const writable = can(p, 'portals:write') && !portal.archivedAt;
    const [org, partners, terms] = await Promise.all([
      currentOrganization(p),
      writable ? partnerChoices(p) : [],
      writable && can(p, 'shares:read') ? listTerms(p) : [],
    ]);
    return { portal, grants, sections, org, partners, terms, writable };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { portal, grants, sections, org, partners, terms, writable } = res.data;
  const now = Date.now();
  return (
    <>
      {portal.archivedAt ? <Notice tone="warning" title="This portal is archived" className="mb-6">Nobody can enter it until it is restored, whatever the grants below say.</Notice> : null}
      <GrantsPanel
        canWrite={writable}
        action={grantAccessAction.bind(null, portal.id)}
        revoke={revokeAccessAction}
        setFlags={setGrantCollaborationAction}
        sections={sections.map((s) => ({ id: s.id, name: s.name }))}
        partners={partners}
        terms={terms.filter((t) => t.versions.length).map((t) => ({ id: t.versions[0].id, label: `${t.versions[0].title} (version ${t.versions[0].version})` }))}
        expiry={{
          defaultValue: toUtcInput(new Date(now + org.defaultShareDays * DAY)),
          min: toUtcInput(new Date(now + 60_000)),
          max: toUtcInput(new Date(now + org.maxShareDays * DAY)),
          defaultDays: org.defaultShareDays,
          maxDays: org.maxShareDays,
        }}
        grants={grants.map((g) => ({
          id: g.id, status: g.status, emails: g.emails, domains: g.domains, partner: g.partnerOrg?.name ?? null, groups: g.groups,
          allSections: g.allSections, sections: g.sections.map((s) => s.name), permission: g.permission,
          allowDownload: g.allowDownload, allowPrint: g.allowPrint, watermark: g.watermark, requireDevice: g.requireDevice,
          showGuestPresence: g.showGuestPresence, keepPartiesApart: g.keepPartiesApart, approvalState: g.approvalState,
          expiresAt: g.expiresAt.toISOString(), revokedAt: g.revokedAt?.toISOString() ?? null,
          conditions: g.allowedIpRanges.length + g.allowedCountries.length + g.allowedDevices.length + (g.termsVersionId ? 1 : 0),
        }))}
      />
    </>
  );
}
