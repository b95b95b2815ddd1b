import { isLinkToken } from '@/lib/guest/link';
import { codeEmailCookieHeader } from '@/lib/http/guest-cookie';

export const dynamic = 'force-dynamic';

/** "Use another address": forgets the address a code was asked for. */
export async function POST(_req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!isLinkToken(token)) return new Response('Not found', { status: 404 });
  return new Response(null, { status: 303, headers: { location: `/s/${token}`, 'set-cookie': codeEmailCookieHeader(token, null), 'cache-control': 'no-store' } });
}
