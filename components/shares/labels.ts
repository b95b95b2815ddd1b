import { auditTypeLabel } from '../ui/audit-labels';

/** One label table for the whole trail (components/ui/audit-labels.ts), share logs included. */
export const shareEventLabel = auditTypeLabel;

/** Refusal codes as a reviewer reads them; the code itself is shown beside for searching the trail. */
const REASON_LABELS: Record<string, string> = {
  password_required: 'No password given',
  invalid_password: 'Wrong password',
  terms_required: 'Terms not accepted',
  expired: 'Share expired',
  revoked: 'Share revoked',
  ip_denied: 'Network not allowed',
  geo_denied: 'Country not allowed',
  device_denied: 'Device type not allowed (advisory rule)',
  rate_limited: 'Too many attempts',
  invalid_token: 'Session no longer valid',
  not_found: 'Not part of the share',
  download_not_allowed: 'Download not allowed',
  watermark_unsupported: 'File cannot be watermarked',
  forbidden: 'Not allowed by the share',
  cji_not_permitted: 'Criminal intelligence: recipient not a law-enforcement partner, or no need-to-know statement',
  tlp_denied: 'Classified above what the share may release',
  approval_pending: 'Waiting for a second administrator to approve',
  tlp_scope: 'Marking may not reach these recipients',
  tlp_above_share_ceiling: 'Marking above what active shares may release',
  invalid_id: 'Malformed address',
  preview_unsupported: 'File type cannot be shown in the viewer',
  audit_unavailable: 'Could not be recorded (nothing released)',
};

export const reasonLabel = (code: string) => REASON_LABELS[code] ?? code;

export const PERMISSIONS = [
  { value: 'VIEW', label: 'View', hint: 'Read in the browser viewer.' },
  { value: 'COMMENT', label: 'Comment', hint: 'View, and add comments.' },
  { value: 'EDIT', label: 'Edit', hint: 'View, comment and change.' },
] as const;
export type PermissionValue = (typeof PERMISSIONS)[number]['value'];

export const permissionLabel = (p: string) => PERMISSIONS.find((x) => x.value === p)?.label ?? p;

export const DEVICES = [
  { value: 'desktop', label: 'Desktop' },
  { value: 'mobile', label: 'Mobile' },
  { value: 'tablet', label: 'Tablet' },
] as const;
export type DeviceValue = (typeof DEVICES)[number]['value'];

export const deviceLabel = (v: string) => DEVICES.find((d) => d.value === v)?.label ?? v;

/**
 * The device condition compares the User-Agent the browser sends, which its user can set to anything.
 * It is named and explained as advisory wherever staff set or read it, so nobody takes it for a
 * restriction it cannot be. (Binding a share to a registered device is a separate, real control.)
 */
export const DEVICE_RULE_LABEL = 'Device type (advisory)';
/** The real device condition (a key held by the browser), as opposed to the advisory device type above. */
export const REQUIRE_DEVICE_LABEL = 'Require an approved device';
export const REQUIRE_DEVICE_HINT = 'The guest\u2019s browser proves on every request that it holds a device key that cannot be copied out of it. Their first browser is approved automatically; any other waits for your approval under Guests \u203a Devices. A copied link, cookie or token does not work elsewhere.';

/** Real-time flags of a share or portal grant (docs/COLLABORATION.md). */
export const SHOW_PRESENCE_LABEL = 'Guests see each other\u2019s presence';
export const SHOW_PRESENCE_HINT = 'Who else of these guests is viewing which document and page. Staff are always shown to guests. Has no effect while parties are kept apart.';
export const KEEP_APART_LABEL = 'Keep parties apart';
export const KEEP_APART_HINT = 'An information barrier: these guests never see each other\u2019s presence, comments or questions, only staff\u2019s and their own. Answers cannot be published to all of them.';

export const DEVICE_RULE_HINT = 'Matched against what the browser reports about itself (its user agent), which anyone can change. It keeps a link from being opened on the wrong kind of device by accident; it is not a security boundary.';

export const STATUS_OPTIONS = [
  { value: '', label: 'All' },
  { value: 'ACTIVE', label: 'Active' },
  { value: 'EXPIRED', label: 'Expired' },
  { value: 'REVOKED', label: 'Revoked' },
] as const;

export const AUDIENCES = [
  { value: 'ANYONE_WITH_LINK', label: 'Anyone with the link', short: 'Anyone with the link', hint: 'Whoever has the link can open it, under the conditions below. Guests stay anonymous.' },
  { value: 'VERIFIED_EMAIL', label: 'People who verify their email', short: 'Verified email', hint: 'Recipients, and addresses in the allowed domains, get a one-time code by mail. The watermark names them.' },
  { value: 'INVITED', label: 'Invited people only', short: 'Invited people', hint: 'Each recipient gets an invitation and sets a password. Nobody else can open it.' },
] as const;
export type AudienceValue = (typeof AUDIENCES)[number]['value'];

export const audienceLabel = (v: string) => AUDIENCES.find((a) => a.value === v)?.label ?? v;
