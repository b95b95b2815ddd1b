import { normaliseEmail } from '../mail/address';
import { AppError } from '../errors';
import { requestEmailCode } from './email-codes';
import { findShareByToken } from './share-lookup';
import { partnerProviderForEmail, ssoStartUrl } from './sso-link';
import type { GuestRequest } from './facts';

/**
 * The browser gate's code request: a partner's address (its organisation signs its people in) is sent
 * to the partner's IdP, since no code would be accepted from it; anything else asks for a code.
 */
export async function requestCodeFromGate(token: string, rawEmail: string, request: GuestRequest): Promise<{ kind: 'sso'; url: string } | { kind: 'sent'; email: string }> {
  const email = normaliseEmail(rawEmail).address;
  const share = await findShareByToken(token);
  if (!share) throw new AppError('not_found', 'This link does not exist.');
  const partner = await partnerProviderForEmail(share.orgId, email);
  if (partner) return { kind: 'sso', url: ssoStartUrl(partner.providerId, token) };
  await requestEmailCode({ link: token, email }, request);
  return { kind: 'sent', email };
}
