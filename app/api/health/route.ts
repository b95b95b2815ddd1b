import { checkDatabase } from '@/lib/db/health';
import { clusterHealth } from '@/lib/cluster/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const ok = await checkDatabase();
  const cluster = clusterHealth();
  return Response.json(ok ? { status: 'ok', ...cluster } : { status: 'unavailable', error: 'database_unavailable', ...cluster }, {
    status: ok ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
