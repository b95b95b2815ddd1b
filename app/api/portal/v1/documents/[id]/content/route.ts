import { openGuestDownload } from '@/lib/guest/content';
import { fileResponse, guestRoute } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

export const GET = guestRoute<{ id: string }>('download',
  async (_req, ctx) => fileResponse(await openGuestDownload(ctx), 'attachment'),
  async (_req, ctx) => fileResponse(await openGuestDownload(ctx), 'attachment'));
