import { REASONS, type GuestRefusalCode } from '../policy/reasons';

/** Headings of the portal home for a signed-in guest the policy refuses (with the policy's message). */
export const BLOCKED_TITLES: Readonly<Record<string, string>> = {
  revoked: 'Your access has been withdrawn', expired: 'Your access has ended', ip_denied: 'Not available from your network',
  geo_denied: 'Not available in your country', device_denied: 'Not available on this device', guest_disabled: 'Your access has ended',
  email_required: 'No documents for this address', sso_required: 'Sign in through your organisation',
  approval_pending: 'Waiting for approval',
};

export interface RefusalView {
  /** Where the guest would see it: the viewer's notice, or the portal's home (the viewer sends them there). */
  where: 'viewer' | 'home';
  title: string;
  message: string;
}

/**
 * What a guest is shown when opening a portal document is refused for `reason`, as the portal's viewer
 * (app/p/[slug]/d/[docId]/page.tsx) and home show it; the owner's preview shows the same.
 */
export function portalDocumentRefusal(reason: string): RefusalView {
  if (reason === 'not_found') return { where: 'viewer', title: 'Document not found', message: 'This document is not available to you.' };
  const description = REASONS[reason as GuestRefusalCode]?.description ?? 'This document is not available to you.';
  if (reason === 'tlp_denied' || reason === 'cji_not_permitted') return { where: 'viewer', title: 'Not available', message: description };
  if (reason === 'terms_required') return { where: 'home', title: 'Terms of use', message: 'They would be asked to accept the terms of use before anything else.' };
  if (BLOCKED_TITLES[reason]) return { where: 'home', title: BLOCKED_TITLES[reason], message: description };
  return { where: 'home', title: 'Sign in', message: 'They would be asked to sign in again.' };
}
