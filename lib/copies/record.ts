import crypto from 'node:crypto';
import { prisma, type Tx } from '../db/client';
import type { ServingContext } from '../guest/access';
import type { ServedVersion } from '../guest/facts';
import { newCopyCode } from './code';

export type CopyKind = 'download' | 'page_image';

const USER_AGENT_CHARS = 512;

/** The custody facts of a release, as they stand when it is made: a snapshot, not references. */
function custody(ctx: ServingContext, v: ServedVersion) {
  return {
    orgId: ctx.orgId,
    documentId: v.documentId,
    documentTitle: v.document.title,
    versionId: v.id,
    versionNumber: v.number,
    shareId: ctx.actor.shareId ?? null,
    portalId: ctx.actor.portalId ?? null,
    grantIds: ctx.actor.shareId ? [ctx.actor.shareId] : (ctx.actor.grantIds ?? []),
    guestId: ctx.actor.guestId ?? ctx.guestId,
    guestEmail: ctx.email,
    identity: ctx.identity,
    sessionId: ctx.sessionId,
    ip: ctx.request.ip ?? null,
    userAgent: ctx.request.userAgent?.slice(0, USER_AGENT_CHARS) ?? null,
  };
}

/**
 * A download's copy record, under a new code. Called where the download is audited, before any byte
 * leaves (lib/guest/content.ts): a failure here stops the release.
 */
export async function recordDownloadCopy(ctx: ServingContext, v: ServedVersion, code: string, opts: { watermarked: boolean; codeEmbedded: boolean }): Promise<void> {
  await prisma().copyRecord.create({
    data: { ...custody(ctx, v), code, kind: 'download', watermarked: opts.watermarked, codeEmbedded: opts.codeEmbedded },
  });
}

/** Removes a download's record whose release was stopped (its audit event could not be written). */
export async function discardCopyRecord(code: string): Promise<void> {
  await prisma().copyRecord.deleteMany({ where: { code, kind: 'download' } });
}

/**
 * The copy code of a page image for this session, version and page, made the first time the page is
 * released on the session (any width: its thumbnail and the page share the code) and reused after, with
 * the fetch counted and the latest address kept. Runs in the transaction that records and audits the
 * page view (lib/guest/pages.ts), so it commits or rolls back with its audit event.
 */
export async function pageCopyCode(tx: Tx, ctx: ServingContext, v: ServedVersion, page: number, watermarked: boolean): Promise<{ code: string; created: boolean }> {
  const c = custody(ctx, v);
  const pageKey = `${ctx.sessionId}:${v.id}:${page}`;
  const candidate = newCopyCode();
  const rows = await tx.$queryRaw<Array<{ code: string; created: boolean }>>`
    INSERT INTO "CopyRecord" ("id", "code", "orgId", "kind", "documentId", "documentTitle", "versionId", "versionNumber", "page",
      "shareId", "portalId", "grantIds", "guestId", "guestEmail", "identity", "sessionId", "ip", "userAgent", "watermarked",
      "codeEmbedded", "pageKey", "lastIp")
    VALUES (${crypto.randomUUID()}, ${candidate}, ${c.orgId}, 'page_image', ${c.documentId}, ${c.documentTitle}, ${c.versionId},
      ${c.versionNumber}, ${page}, ${c.shareId}, ${c.portalId}, ${c.grantIds}::text[], ${c.guestId}, ${c.guestEmail}, ${c.identity},
      ${c.sessionId}, ${c.ip}, ${c.userAgent}, ${watermarked}, true, ${pageKey}, ${c.ip})
    ON CONFLICT ("pageKey") DO UPDATE SET "releases" = "CopyRecord"."releases" + 1, "lastAt" = CURRENT_TIMESTAMP,
      "lastIp" = EXCLUDED."lastIp", "watermarked" = "CopyRecord"."watermarked" OR EXCLUDED."watermarked"
    RETURNING "code", (xmax = 0) AS "created"`;
  return rows[0];
}
