import { listOwnProposals } from '@/lib/collab/proposals';
import { guestRoute } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

// POST (upload a proposed version) is served on the raw request by lib/http/proposal-upload.ts.

/** The state of the guest's own proposed versions of this document, newest first. */
export const GET = guestRoute<{ id: string }>('view',
  async (_req, ctx, p) => Response.json(await listOwnProposals(ctx, p.id), { headers: { 'cache-control': 'no-store' } }),
  async (_req, ctx, p) => Response.json(await listOwnProposals(ctx, p.id), { headers: { 'cache-control': 'no-store' } }));
