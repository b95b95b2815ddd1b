import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { listDocuments } from '@/lib/documents/service';
import { currentOrganization } from '@/lib/orgs/current-org';
import { getPortal } from '@/lib/portals/admin';
import { listPortalSections } from '@/lib/portals/sections';
import { SectionsManager } from '@/components/portals/sections-manager';
import { searchDocumentsAction } from '../../../shares/new/actions';
import { pathSegment, requirePageIds } from '../../../_shared/ids';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';
import { addDocumentsAction, createSectionAction, deleteSectionAction, moveSectionAction, removeDocumentAction, renameSectionAction } from './actions';

export const metadata: Metadata = { title: 'Portal sections' };

const LIBRARY_PAGE = 100;
type Props = { params: Promise<{ id: string }> };

export default async function PortalSectionsPage({ params }: Props) {
  const p = await consolePrincipal();
  const id = pathSegment((await params).id);
  await requirePageIds(p, 'page /portals/[id]', { portalId: id });
  const canWrite = can(p, 'portals:write') && can(p, 'documents:read');
  const res = await load(async () => {
    const [portal, sections, org, docs] = await Promise.all([
      getPortal(p, id), listPortalSections(p, id), currentOrganization(p),
      canWrite ? listDocuments(p, { take: LIBRARY_PAGE }) : null,
    ]);
    return { portal, sections, org, docs };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { portal, sections, org, docs } = res.data;
  return (
    <SectionsManager
      portalId={portal.id}
      readOnly={!canWrite || Boolean(portal.archivedAt)}
      ceiling={org.tlpCeiling}
      sections={sections.map((s) => ({
        id: s.id, name: s.name,
        documents: s.documents.map((d) => ({ id: d.id, title: d.title, fileName: d.latest?.fileName ?? null, tlp: d.latest?.tlp ?? null, addedAt: d.addedAt.toISOString() })),
      }))}
      library={(docs?.items ?? []).map((d) => ({ id: d.id, title: d.title, fileName: d.latest?.fileName ?? null, tlp: d.latest?.tlp ?? null }))}
      libraryComplete={!docs?.nextCursor}
      actions={{ create: createSectionAction, rename: renameSectionAction, move: moveSectionAction, remove: deleteSectionAction, add: addDocumentsAction, unlink: removeDocumentAction, search: searchDocumentsAction }}
    />
  );
}
