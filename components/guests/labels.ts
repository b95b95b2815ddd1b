import type { IconName } from '../ui/icons';

type Tone = 'slate' | 'green' | 'red' | 'amber' | 'indigo' | 'blue';

/** How a guest proved who they are, as staff read it. */
export const GUEST_KINDS = [
  { value: 'ANONYMOUS', label: 'Anonymous link', hint: 'Opened a link; nobody is named.', tone: 'slate' },
  { value: 'EMAIL_VERIFIED', label: 'Email verified', hint: 'Proved an address with a one-time code.', tone: 'blue' },
  { value: 'REGISTERED', label: 'Registered', hint: 'Accepted an invitation and set a password.', tone: 'indigo' },
  { value: 'FEDERATED', label: 'Federated', hint: 'Signed in through a partner organisation.', tone: 'green' },
] as const satisfies readonly { value: string; label: string; hint: string; tone: Tone }[];

export const kindOf = (k: string) => GUEST_KINDS.find((x) => x.value === k) ?? { value: k, label: k, hint: '', tone: 'slate' as Tone };

export const GUEST_STATES = [
  { value: 'ACTIVE', label: 'Active', tone: 'green' },
  { value: 'DISABLED', label: 'Disabled', tone: 'red' },
  { value: 'EXPIRED', label: 'Expired', tone: 'amber' },
] as const satisfies readonly { value: string; label: string; tone: Tone }[];

export const stateOf = (s: string) => GUEST_STATES.find((x) => x.value === s) ?? { value: s, label: s, tone: 'slate' as Tone };

export const SESSION_STATES: Record<string, { label: string; tone: Tone; hint: string }> = {
  ACTIVE: { label: 'Open', tone: 'green', hint: 'Valid now.' },
  REVOKED: { label: 'Ended', tone: 'red', hint: 'Ended by staff.' },
  EXPIRED: { label: 'Expired', tone: 'slate', hint: 'Reached the end of its life.' },
  ENDED: { label: 'Closed', tone: 'slate', hint: 'No longer valid: its share was revoked, expired or changed, or the guest was disabled.' },
};

export const AUTH_METHODS: Record<string, string> = { link: 'Link', code: 'Email code', password: 'Password', sso: 'Single sign-on' };
export const authMethodLabel = (m: string) => AUTH_METHODS[m] ?? m;

export const deviceIcon = (d: string | null): IconName => (d === 'mobile' ? 'smartphone' : d === 'tablet' ? 'tablet' : 'monitor');

/** The name a guest is shown by: email, then display name, then what they are. */
export const guestName = (g: { email: string | null; displayName: string | null; kind: string }) =>
  g.email ?? g.displayName ?? (g.kind === 'ANONYMOUS' ? 'Anonymous link guest' : 'Unnamed guest');
