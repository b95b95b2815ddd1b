import { formatCopyCode, MARK_LABEL } from '../copies/code';

/** Who received a copy, from where, when, and through which share: the facts stamped on it. */
export interface WatermarkMark {
  identity: string;
  ip: string;
  at: Date;
  shareId: string;
  /** What the copy came through when it is not a share link: "portal <slug>". Stamped instead of "share <id>". */
  via?: string;
  /** The copy code of this release (lib/copies), compact form: stamped last, as "copy XXXXX-XXXXX". */
  copyCode?: string;
}

const MAX_FIELD_CHARS = 120;

/**
 * Identity text comes from guests. Controls would break the content stream's text, and bidi
 * overrides (U+202E) could make the stamp display someone else's name, so both go.
 */
export function cleanMarkField(raw: string, fallback: string): string {
  const cleaned = raw
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .trim();
  const chars = Array.from(cleaned || fallback);
  return chars.length > MAX_FIELD_CHARS ? `${chars.slice(0, MAX_FIELD_CHARS - 1).join('')}…` : chars.join('');
}

/** "2026-11-25 10:15 UTC": minute precision, always UTC, whatever the server's zone. */
export function formatUtcMinute(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new Error('watermark time is not a valid date');
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function markLine(mark: WatermarkMark): string {
  return [
    cleanMarkField(mark.identity, 'unknown recipient'),
    cleanMarkField(mark.ip, 'unknown IP'),
    formatUtcMinute(mark.at),
    mark.via ? cleanMarkField(mark.via, '?') : `share ${cleanMarkField(mark.shareId, '?')}`,
    // Last, so a crop that keeps the end of a line keeps the code, which names everything before it.
    ...(mark.copyCode ? [`${MARK_LABEL} ${formatCopyCode(mark.copyCode)}`] : []),
  ].join(' · ');
}
