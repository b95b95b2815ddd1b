import { handleOidcCallback } from '@/lib/sso/flow';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ providerId: string }> };

/** The OIDC redirect_uri. */
export async function GET(req: Request, { params }: Ctx) {
  return handleOidcCallback(req, (await params).providerId);
}
