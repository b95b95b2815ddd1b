import { handleStaffSsoLookup } from '@/lib/sso/staff-lookup';

export const dynamic = 'force-dynamic';

/** The sign-in page's "Sign in with single sign-on" step. */
export async function POST(req: Request) {
  return handleStaffSsoLookup(req);
}
