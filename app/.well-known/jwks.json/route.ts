import { errorResponse } from '@/lib/http/error-response';
import { publicJwks } from '@/lib/tokens/signing-keys';

export const dynamic = 'force-dynamic';

/** RFC 7517 key set for verifying guest tokens. Five minutes of caching: rotated keys keep verifying for hours. */
export async function GET() {
  try {
    return Response.json(await publicJwks(), {
      headers: { 'cache-control': 'public, max-age=300' },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
