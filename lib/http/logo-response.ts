import { AppError } from '../errors';
import { errorResponse } from './error-response';

/**
 * A stored logo as an HTTP answer: its own media type, never sniffed, revalidated by ETag (the time
 * of the upload), and a 304 when the browser's copy is current. null is 404, whatever the reason.
 */
export function logoResponse(req: Request, logo: { bytes: Buffer; mediaType: string; updatedAt: Date } | null, cache: 'public' | 'private'): Response {
  if (!logo) return errorResponse(new AppError('not_found', 'No such logo.'));
  const etag = `"logo-${logo.updatedAt.getTime().toString(36)}"`;
  const headers = {
    'content-type': logo.mediaType,
    'x-content-type-options': 'nosniff',
    etag,
    // A minute fresh, then revalidated: a new upload shows up quickly without refetching the bytes each time.
    'cache-control': `${cache}, max-age=60, must-revalidate`,
    'content-security-policy': "default-src 'none'; sandbox",
  };
  const match = req.headers.get('if-none-match');
  if (match && match.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag)) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.bytes), { status: 200, headers });
}
