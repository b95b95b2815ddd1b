import { listOwnProposals } from '@/lib/collab/proposals';
import { portalDocumentRoute } from '@/lib/http/portal-route';

export const dynamic = 'force-dynamic';

// POST (upload a proposed version) is served on the raw request by lib/http/proposal-upload.ts.

/** The portal viewer's list of the guest's own proposed versions of this document. */
export const GET = portalDocumentRoute('view',
  async (_req, ctx, p) => Response.json(await listOwnProposals(ctx, p.docId), { headers: { 'cache-control': 'no-store' } }));
