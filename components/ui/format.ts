/**
 * Formatting shared by server and client components. Times are shown in UTC on purpose: staff,
 * counsel and auditors compare them with logs and with each other across time zones.
 */
export function formatBytes(n: number | bigint | null | undefined): string {
  const v = Number(n ?? 0);
  if (v < 1024) return `${v} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let x = v / 1024;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return `${x >= 100 ? Math.round(x) : x.toFixed(1).replace(/\.0$/, '')} ${units[i]}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 2026-11-25 10:05 UTC */
export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return '—';
  const t = new Date(d);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())} UTC`;
}

/** 2026-11-25 10:05:33Z: the audit trail's second-precision form. */
export function formatTimestamp(d: Date | string): string {
  const t = new Date(d);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}Z`;
}

export function relativeTime(d: Date | string, now = Date.now()): string {
  const s = Math.round((now - new Date(d).getTime()) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.round(h / 24);
  if (days < 30) return `${days} d ago`;
  return formatDateTime(d).slice(0, 10);
}

const TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/zip': 'ZIP',
  'application/json': 'JSON',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'message/rfc822': 'Email',
  'application/vnd.ms-outlook': 'Email',
  'application/octet-stream': 'Binary',
};

export function mediaTypeLabel(mediaType: string | null | undefined): string {
  if (!mediaType) return '—';
  if (TYPES[mediaType]) return TYPES[mediaType];
  const [major, minor] = mediaType.split('/');
  if (major === 'image' || major === 'video' || major === 'audio') return `${major[0].toUpperCase()}${major.slice(1)} (${minor.toUpperCase()})`;
  return minor?.toUpperCase().slice(0, 12) ?? mediaType;
}

export const shortHash = (h: string | null | undefined, n = 12) => (h ? h.slice(0, n) : '—');

export const ROLE_LABELS: Record<string, string> = { ADMIN: 'Administrator', MEMBER: 'Member', AUDITOR: 'Auditor' };
