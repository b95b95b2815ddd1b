import type { IconName } from '../ui/icons';

export type Role = 'ADMIN' | 'MEMBER' | 'AUDITOR';

export const ROLE_OPTIONS: { value: Role; label: string; description: string }[] = [
  { value: 'MEMBER', label: 'Member', description: 'Uploads documents and shares them outside the organisation.' },
  { value: 'AUDITOR', label: 'Auditor', description: 'Reads documents, shares and the audit trail; changes nothing.' },
  { value: 'ADMIN', label: 'Administrator', description: 'Everything, including staff, sessions, API keys and policy.' },
];

export const roleLabel = (r: string) => ROLE_OPTIONS.find((o) => o.value === r)?.label ?? r;

export const deviceIcon = (d: string): IconName => (d === 'mobile' ? 'smartphone' : d === 'tablet' ? 'tablet' : 'monitor');

/** Initials for the avatar circle: "Nadia Okafor" → "NO". */
export function initials(name: string, email: string) {
  const parts = (name || email).split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}
