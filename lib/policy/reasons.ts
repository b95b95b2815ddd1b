import { AppError, ERROR_STATUS } from '../errors';
import type { DenyReason } from './types';

/** Every refusal a guest can get: the policy's reasons plus the two decided before it runs. */
export type GuestRefusalCode = DenyReason | 'invalid_password' | 'invalid_code' | 'rate_limited';

export interface ReasonInfo {
  status: number;
  /** Safe to show a guest: names the rule, never anything about other shares or documents. */
  description: string;
}

// Statuses come from lib/errors.ts so that an AppError and this table can never disagree.
const info = (code: GuestRefusalCode, description: string): ReasonInfo => ({ status: ERROR_STATUS[code], description });

export const REASONS: Readonly<Record<GuestRefusalCode, ReasonInfo>> = {
  not_found: info('not_found', 'This link or document does not exist, or is not shared with you.'),
  revoked: info('revoked', 'This share has been revoked.'),
  expired: info('expired', 'This share has expired.'),
  invalid_token: info('invalid_token', 'Your session is no longer valid. Open the link again.'),
  ip_denied: info('ip_denied', 'This share cannot be opened from your network address.'),
  geo_denied: info('geo_denied', 'This share cannot be opened from your country.'),
  device_denied: info('device_denied', 'This share cannot be opened on this kind of device.'),
  guest_disabled: info('guest_disabled', 'Your guest access has been disabled or has expired. Ask the person who shared this with you.'),
  sso_required: info('sso_required', 'Your organisation requires you to sign in through its own sign-in page.'),
  email_required: info('email_required', 'Confirm your email address to open this share.'),
  invitation_required: info('invitation_required', 'This share is for invited people only. Sign in with the account you created from your invitation.'),
  invalid_code: info('invalid_code', 'The code is not correct, or it has expired. Ask for a new one.'),
  password_required: info('password_required', 'This share is protected by a password.'),
  invalid_password: info('invalid_password', 'The password is not correct.'),
  terms_required: info('terms_required', 'Accept the terms of use to continue.'),
  tlp_denied: info('tlp_denied', 'The current version of this document is classified above what this share may release.'),
  cji_not_permitted: info('cji_not_permitted', 'This document is criminal intelligence and may be released only to law-enforcement agencies with a stated need to know.'),
  approval_pending: info('approval_pending', 'This share is waiting for a second administrator to approve it. Try again once it has been approved.'),
  download_not_allowed: info('download_not_allowed', 'Downloads are not allowed for this share.'),
  forbidden: info('forbidden', 'This share does not allow that.'),
  rate_limited: info('rate_limited', 'Too many attempts. Try again later.'),
};

/**
 * The error to throw for a refusal. A request that presented a bearer token for a share that has since
 * been revoked or expired gets invalid_token (401), as docs/API.md documents for every guest API route;
 * the description still says which rule stopped it. Link opens and pages keep the 410.
 */
export function refusalError(code: GuestRefusalCode, opts: { tokenPresented?: boolean; retryAfterSeconds?: number; ssoUrl?: string } = {}): AppError {
  const { description } = REASONS[code];
  if (opts.tokenPresented && (code === 'revoked' || code === 'expired')) return new AppError('invalid_token', description);
  const extra = code === 'sso_required' && opts.ssoUrl ? { sso_url: opts.ssoUrl } : undefined;
  return new AppError(code, description, { retryAfterSeconds: opts.retryAfterSeconds, extra });
}
