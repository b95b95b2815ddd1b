import { handleSamlAcs } from '@/lib/sso/flow';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ providerId: string }> };

/** The SAML Assertion Consumer Service: a cross-site form POST from the IdP, so no Origin check here (the RelayState and its cookie bind it). */
export async function POST(req: Request, { params }: Ctx) {
  return handleSamlAcs(req, (await params).providerId);
}
