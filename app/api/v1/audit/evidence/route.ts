import { createEvidenceBundleAs } from '@/lib/feed/bundle';
import { AppError } from '@/lib/errors';
import { attachmentDisposition } from '@/lib/http/content-disposition';
import { staffRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/**
 * Download a signed evidence bundle for one share (?share=<id>) or one guest (?guest=<id>): the
 * console's "Evidence bundle" button. Admins and auditors (audit:read); the domain call audits it.
 */
export const GET = staffRoute(async (req, p) => {
  const q = new URL(req.url).searchParams;
  const share = q.get('share');
  const guest = q.get('guest');
  if (Boolean(share) === Boolean(guest)) throw new AppError('validation_failed', 'Name one share (?share=<id>) or one guest (?guest=<id>).');
  const made = await createEvidenceBundleAs(p, share ? { kind: 'share', id: share } : { kind: 'guest', id: guest! });
  return new Response(made.text, {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(made.fileName),
      'cache-control': 'no-store, no-transform',
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
    },
  });
}, {
  where: 'GET /api/v1/audit/evidence',
  ids: (_params, url) => ({ share: url.searchParams.get('share'), guest: url.searchParams.get('guest') }),
});
