import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { previewDocument } from '@/lib/portals/preview-document';
import { previewAsFromQuery, previewAsQuery } from '@/lib/portals/preview-identity';
import { PortalPreviewDocument } from '@/components/portal/portal-preview-document';
import { pathSegment, queryValue, requirePageIds } from '../../../../../_shared/ids';
import { load, LoadError } from '../../../../../_shared/load';
import { consolePrincipal } from '../../../../../_shared/principal';

export const metadata: Metadata = { title: 'Portal preview — document' };

type Props = { params: Promise<{ id: string; docId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * A portal document in the owner's preview: the viewer, watermark and obligations the chosen guest would
 * get, or the refusal they would see; decided by the same policy, read-only, audited as the staff
 * member's preview (portal.preview.document, and each page once as portal.preview.page).
 */
export default async function PortalPreviewDocumentPage({ params, searchParams }: Props) {
  const [{ id: rawId, docId: rawDoc }, sp] = await Promise.all([params, searchParams]);
  const p = await consolePrincipal();
  const [id, docId] = [pathSegment(rawId), pathSegment(rawDoc)];
  const guest = queryValue(sp.guest);
  const partner = queryValue(sp.partner);
  await requirePageIds(p, 'page /portals/[id]/preview/d/[docId]', { portalId: id, documentId: docId, guestId: guest, partnerOrgId: partner });
  const as = previewAsFromQuery({ guest, partner, group: queryValue(sp.group), email: queryValue(sp.email) });
  if (!as) redirect(`/portals/${id}/preview`);
  const res = await load(() => previewDocument(p, id, as, docId));
  if (!res.ok) return <LoadError error={res} what="Previewing portal documents is not part of your role." />;
  const doc = res.data;
  const homeHref = `/portals/${id}/preview?${previewAsQuery(as)}`;
  const pagesUrl = doc.kind === 'allowed' ? `/portals/${id}/preview/pages/${doc.previewId}` : '';
  return <PortalPreviewDocument doc={doc} homeHref={homeHref} pagesUrl={pagesUrl} />;
}
