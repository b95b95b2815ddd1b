import { listOwnProposals } from '@/lib/collab/proposals';
import { guestLinkRoute } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

// POST (upload a proposed version) is served on the raw request by lib/http/proposal-upload.ts.

/** The viewer's list of the guest's own proposed versions of this document. */
export const GET = guestLinkRoute<{ token: string; docId: string }>('view',
  async (_req, ctx, p) => Response.json(await listOwnProposals(ctx, p.docId), { headers: { 'cache-control': 'no-store' } }));
