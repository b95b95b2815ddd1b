import { checkDatabase } from '@/lib/db/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const ok = await checkDatabase();
  return Response.json(ok ? { status: 'ok' } : { status: 'unavailable', error: 'database_unavailable' }, {
    status: ok ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
