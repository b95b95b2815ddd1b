import { decideAcrossGrants } from '../policy';
import { toVersionFacts } from '../guest/facts';
import type { PortalGuestContext } from './guest-access';

/** Whether the grants that name this guest would let them download the document this request is about (no audit: a question, not an access). */
export function mayDownload(ctx: PortalGuestContext): boolean {
  const v = ctx.version;
  if (!v) return false;
  return decideAcrossGrants(ctx.loaded.grants, { ...ctx.facts, action: 'download', documentId: v.documentId, version: toVersionFacts(v) }).allow;
}
