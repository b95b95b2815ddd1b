/** How the console names the kinds of grant and the decisions (kept beside the components that show them). */
export const KIND_LABELS: Record<string, string> = {
  share: 'Share', portal_grant: 'Portal grant', guest: 'Guest account', session: 'Guest session', device: 'Device',
};
export const KIND_ICONS = { share: 'share', portal_grant: 'globe', guest: 'userCheck', session: 'monitor', device: 'key' } as const;
export const DECISION_LABELS: Record<string, string> = { KEEP: 'Keep', REVOKE: 'Revoke', CHANGE: 'Change' };
export const PERMISSION_LABELS: Record<string, string> = { VIEW: 'View only', COMMENT: 'View and comment', EDIT: 'View, comment and edit' };

/** The policy's checks, in words, for "why can this guest see this". */
export const CHECK_LABELS: Record<string, string> = {
  grant: 'A grant exists', host: 'Served on this host', document: 'Document is in the grant', revoked: 'Not revoked', expired: 'Not expired',
  session: 'Live session', guest: 'Guest enabled and not expired', ip: 'Network address allowed', geo: 'Country allowed', device: 'Device allowed',
  sso: 'Signed in through the partner\u2019s IdP when required', audience: 'Named by the grant (audience)', password: 'Password proved',
  terms: 'Terms accepted', tlp: 'Marking within the ceiling', action: 'Action permitted',
};
