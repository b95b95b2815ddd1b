// The handler is shared with server.ts's raw fast path (lib/http/hot-guest-gets.ts).
export { listDocuments as GET } from '@/lib/http/guest-api-routes';

export const dynamic = 'force-dynamic';
