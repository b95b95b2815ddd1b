import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { decideAcrossGrants, refusalError, type DenyReason, type Obligations } from '../policy';
import { toVersionFacts, type ServedVersion } from '../guest/facts';
import { currentVersion } from '../guest/versions';
import { documentLayout, pageImage, THUMBNAIL_WIDTH, unsupportedMessage, viewerKind, widthBucket, type Layout } from '../render/pages';
import { watermarkPageImage } from '../render/pixel-watermark';
import { markLine } from '../watermark/mark-text';
import { findPortalById, type PortalRow } from './portal-lookup';
import { previewIdentity, type PreviewAs, type PreviewIdentity } from './preview-identity';
import { portalDocumentRefusal, type RefusalView } from './refusal-view';

/** How long the page images of one opening of a document in the preview can be fetched. */
export const PREVIEW_TTL_MS = 60 * 60_000;

interface Shown { portal: PortalRow; label: string; documentId: string; conditionsFrom: string }

export type PreviewedDocument =
  | (Shown & {
    kind: 'allowed'; previewId: string; title: string; mediaType: string; size: number; versionNumber: number;
    viewer: { kind: 'pages'; layout: Layout } | { kind: 'unsupported'; message: string };
    watermark: boolean; allowPrint: boolean; downloadable: boolean;
  })
  | (Shown & { kind: 'refused'; reason: DenyReason; title: string | null; refusal: RefusalView });

/** The owner's preview is a console feature: a signed-in staff member (an API key has no console). */
function consoleStaff(p: Principal): Extract<Principal, { kind: 'staff' }> {
  if (p.kind !== 'staff') throw new AppError('forbidden', 'The owner’s preview is opened from the console.');
  authorize(p, 'portals:read');
  authorize(p, 'documents:read');
  return p;
}

async function portalOf(p: Principal, portalId: string): Promise<PortalRow> {
  const portal = await findPortalById(portalId);
  if (!portal || portal.orgId !== p.orgId) throw new AppError('not_found', 'No such portal.');
  return portal;
}

/** The policy's decision for the previewed identity on this document (and page), with the version it decided on. */
async function decide(portal: PortalRow, who: PreviewIdentity, documentId: string, action: 'view' | 'download', page: number | null = null) {
  const inPortal = who.loaded.sections.some((s) => s.documentIds.includes(documentId));
  const version: ServedVersion | null = inPortal ? await currentVersion(portal.orgId, documentId) : null;
  const d = decideAcrossGrants(who.loaded.grants, { ...who.facts, action, documentId, version: toVersionFacts(version), page });
  return { d, version };
}

/**
 * Opens a portal document in the owner's preview: what the previewed guest would get on opening it,
 * decided by the same policy across the same grants with their facts (lib/portals/preview-identity.ts):
 * the viewer with its pages, watermark and print and download obligations, or the refusal they would be
 * shown. Nothing is recorded as the guest's: no session, no guest event. The opening is audited as the
 * staff member's (portal.preview.document, with whom it was for and the decision); when allowed, it
 * becomes a preview whose page images (previewPage) this staff member alone can fetch for an hour.
 */
export async function previewDocument(p: Principal, portalId: string, rawAs: unknown, documentId: string): Promise<PreviewedDocument> {
  const staff = consoleStaff(p);
  const portal = await portalOf(p, portalId);
  const who = await previewIdentity(p, portal, rawAs);
  const { d, version } = await decide(portal, who, documentId, 'view');
  const shown: Shown = { portal, label: who.label, documentId, conditionsFrom: who.conditionsFrom };
  const audit = (details: Record<string, unknown>) => recordAudit({
    orgId: p.orgId, type: 'portal.preview.document', actor: actorOf(p), request: p.request, documentId: version ? documentId : null,
    details: { portalId: portal.id, as: { ...who.as }, ...details },
  });
  if (!d.allow) {
    await audit({ decision: d.reason });
    // A document outside the portal, or refused not_found, is not named: as for the guest.
    return { ...shown, kind: 'refused', reason: d.reason, title: d.reason === 'not_found' ? null : version?.document.title ?? null, refusal: portalDocumentRefusal(d.reason) };
  }
  const v = version!;
  const preview = await prisma().portalPreview.create({
    data: { orgId: p.orgId, portalId: portal.id, staffId: staff.userId, as: { ...who.as }, documentId, expiresAt: new Date(Date.now() + PREVIEW_TTL_MS) },
    select: { id: true },
  });
  const viewer = viewerKind(v.mediaType) === 'unsupported'
    ? { kind: 'unsupported' as const, message: unsupportedMessage(v.mediaType) }
    : { kind: 'pages' as const, layout: await documentLayout(v) };
  const downloadable = (await decide(portal, who, documentId, 'download')).d.allow;
  await audit({ decision: 'allowed', previewId: preview.id, versionId: v.id, watermark: d.obligations.watermark, allowPrint: d.obligations.allowPrint, downloadable });
  return {
    ...shown, kind: 'allowed', previewId: preview.id, title: v.document.title, mediaType: v.mediaType, size: Number(v.size), versionNumber: v.number,
    viewer, watermark: d.obligations.watermark, allowPrint: d.obligations.allowPrint, downloadable,
  };
}

export interface PreviewPageImage { body: Buffer; page: number; width: number; watermarked: boolean }

/**
 * One page image of a preview, for the staff member who opened it, while it lasts. Decided again now,
 * for the previewed identity with live facts (a grant revoked or a document removed since stops it), and
 * watermarked as that guest's copy would be, except that the mark says it is a staff preview and names
 * the staff member: a preview image must never pass for something the guest received. Each page is
 * audited once per preview (portal.preview.page; thumbnails once, as page 0), in the transaction that
 * records it, before any byte leaves; never as the guest's access.
 */
export async function previewPage(p: Principal, portalId: string, previewId: string, page: number, requestedWidth: number | null): Promise<PreviewPageImage> {
  const staff = consoleStaff(p);
  const row = await prisma().portalPreview.findFirst({ where: { id: previewId, portalId, orgId: p.orgId } });
  if (!row || row.staffId !== staff.userId || row.expiresAt.getTime() <= Date.now()) throw new AppError('not_found', 'This preview does not exist or has ended. Open the document in the preview again.');
  const portal = await portalOf(p, row.portalId);
  const who = await previewIdentity(p, portal, row.as as PreviewAs);
  const { d, version } = await decide(portal, who, row.documentId, 'view', page);
  if (!d.allow) throw refusalError(d.reason);
  const v = version!;
  const width = widthBucket(requestedWidth);
  const thumbnail = width === THUMBNAIL_WIDTH;
  const image = await pageImage(v, page, width);
  const obligations: Obligations = d.obligations;
  const body = obligations.watermark
    ? await watermarkPageImage(image, markLine({
      identity: `${who.identity} (staff preview by ${staff.email})`, ip: p.request.ip ?? 'unknown', at: new Date(),
      shareId: portal.id, via: `portal ${portal.slug} preview`,
    }))
    : image;
  await prisma().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ inserted: boolean }>>`
      INSERT INTO "PortalPreviewPage" ("previewId", "versionId", "page") VALUES (${row.id}, ${v.id}, ${thumbnail ? 0 : page})
      ON CONFLICT ("previewId", "versionId", "page")
      DO UPDATE SET "views" = "PortalPreviewPage"."views" + 1, "lastAt" = CURRENT_TIMESTAMP
      RETURNING (xmax = 0) AS inserted`;
    if (!rows[0]?.inserted) return;
    await recordAudit({
      orgId: p.orgId, type: 'portal.preview.page', actor: actorOf(p), request: p.request, documentId: row.documentId,
      details: { portalId: portal.id, previewId: row.id, as: row.as, versionId: v.id, ...(thumbnail ? { thumbnails: true } : { page }), width, watermarked: obligations.watermark },
    }, tx);
  });
  return { body, page, width, watermarked: obligations.watermark };
}

/** Housekeeping: a preview's pages can be fetched for an hour; a day later it is of no use. */
export async function prunePreviews(): Promise<number> {
  const { count } = await prisma().portalPreview.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 24 * 3600 * 1000) } } });
  return count;
}
