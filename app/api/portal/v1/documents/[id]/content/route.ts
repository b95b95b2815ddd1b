import { openGuestContent } from '@/lib/guest/content';
import { fileResponse, guestRoute } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

export const GET = guestRoute<{ id: string }>('download', async (_req, ctx, { id }) =>
  fileResponse(await openGuestContent(ctx, id, 'download'), 'attachment'));
