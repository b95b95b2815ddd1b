import { attachmentDisposition } from '@/lib/http/content-disposition';
import { staffRoute } from '@/lib/http/route';
import { campaignCsv } from '@/lib/reviews/campaigns';

export const dynamic = 'force-dynamic';

/** A review campaign's results as CSV (admins and auditors; audited as review.campaign.export). */
export const GET = staffRoute<{ id: string }>(async (_req, p, params) => {
  const csv = await campaignCsv(p, params.id);
  return new Response(csv.body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': attachmentDisposition(csv.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}, {
  where: 'GET /reviews/campaigns/{id}/export',
  ids: (params) => ({ campaignId: params.id }),
});
