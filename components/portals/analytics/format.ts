import { reasonLabel } from '../../shares/labels';

/** Formatting for the analytics page, shared by server and client components (deterministic, UTC). */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-10" → "10 Nov" (axis ticks); with the year → "10 Nov 2026". */
export function dayLabel(date: string, withYear = false): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS[m - 1] ?? ''}${withYear ? ` ${y}` : ''}`;
}

/** 45 s, 3 min 20 s, 1 h 5 min: reading time at the precision a reviewer needs. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

export const formatCount = (n: number) => n.toLocaleString('en-US');

/** "1 view", "3 views". */
export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

// Portal wording where the share wording would mislead; every other code as the share logs name it.
const PORTAL_REASONS: Record<string, string> = {
  expired: 'Access expired',
  revoked: 'Access revoked',
  not_found: 'Not granted or not found',
  device_denied: 'Device not approved',
  guest_disabled: 'Guest disabled',
  email_required: 'Email not verified',
  invalid_code: 'Wrong email code',
  sso_required: 'Partner sign-in required',
  invitation_required: 'No invitation',
  unknown: 'No reason recorded',
};
export const refusalLabel = (code: string) => PORTAL_REASONS[code] ?? reasonLabel(code);
