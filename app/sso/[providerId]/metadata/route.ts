import { handleSpMetadata } from '@/lib/sso/flow';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ providerId: string }> };

export async function GET(_req: Request, { params }: Ctx) {
  return handleSpMetadata((await params).providerId);
}
