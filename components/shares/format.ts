/**
 * Helpers shared by the share forms (client) and pages (server). Free-text lists are typed one entry
 * a line (or comma/space separated for country codes) and become arrays here.
 */
export const splitLines = (s: string) => s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
export const splitCodes = (s: string) => s.split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);

const pad = (n: number) => String(n).padStart(2, '0');

/** The value of an <input type="datetime-local"> for a moment, read as UTC (the console's time zone). */
export function toUtcInput(d: Date | string): string {
  const t = new Date(d);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** The moment a datetime-local value names, in UTC; null when empty or malformed. */
export function fromUtcInput(v: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return null;
  const d = new Date(`${v.length === 16 ? `${v}:00` : v}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "in 3 days", "in 5 h", "2 d ago": expiry is mostly in the future, unlike relativeTime's past. */
export function fromNow(d: Date | string, now = Date.now()): string {
  const ms = new Date(d).getTime() - now;
  const abs = Math.abs(ms);
  const min = Math.round(abs / 60_000);
  const h = Math.round(abs / 3_600_000);
  const days = Math.round(abs / 86_400_000);
  const span = min < 1 ? 'less than a minute' : min < 60 ? `${min} min` : h < 48 ? `${h} h` : `${days} days`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Shortens a user agent for a table cell; the whole string goes in the title. */
export function shortAgent(ua: string | null | undefined): string {
  if (!ua) return '—';
  const browser = /(Edg|OPR|Firefox|Chrome|Safari|curl|python-requests|node-fetch|undici|Playwright)\/?([\d.]*)/.exec(ua);
  const os = /(Windows NT [\d.]+|Mac OS X [\d_]+|Android [\d.]+|iPhone OS [\d_]+|iPad|Linux|CrOS)/.exec(ua);
  if (!browser) return ua.length > 40 ? `${ua.slice(0, 40)}…` : ua;
  const name = browser[1] === 'Edg' ? 'Edge' : browser[1] === 'OPR' ? 'Opera' : browser[1];
  const version = browser[2] ? ` ${browser[2].split('.')[0]}` : '';
  return `${name}${version}${os ? ` · ${os[1].replace(/_/g, '.').replace('Windows NT 10.0', 'Windows 10/11')}` : ''}`;
}
