import { publicPortalLogo } from '@/lib/portals/admin';
import { errorResponse } from '@/lib/http/error-response';
import { logoResponse } from '@/lib/http/logo-response';

export const dynamic = 'force-dynamic';

/** A portal's logo, public: the portal's sign-in page shows it before anyone signs in. */
export async function GET(req: Request, ctx: { params: Promise<{ slug: string }> }) {
  try {
    const { slug } = await ctx.params;
    return logoResponse(req, await publicPortalLogo(slug), 'public');
  } catch (e) {
    return errorResponse(e);
  }
}
