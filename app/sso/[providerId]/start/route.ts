import { handleSsoStart } from '@/lib/sso/flow';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ providerId: string }> };

export async function GET(req: Request, { params }: Ctx) {
  return handleSsoStart(req, (await params).providerId);
}
