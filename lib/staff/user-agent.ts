import { UAParser } from 'ua-parser-js'; // v1: MIT (v2 is AGPL-3.0, unusable here)

export interface DeviceDescription {
  /** "Chrome 131", or null when the user agent names no browser we know. */
  browser: string | null;
  /** "macOS 10.15", "Windows 10", "iOS 18.1", or null. */
  os: string | null;
  device: 'desktop' | 'mobile' | 'tablet';
  /** One line for a table cell: "Chrome 131 on macOS 10.15", or the start of the raw string. */
  label: string;
}

const major = (v: string | undefined) => v?.split('.')[0];

/** What a person recognises of a session's browser, from its User-Agent header (stored at sign-in). */
export function describeUserAgent(ua: string | null | undefined): DeviceDescription {
  if (!ua) return { browser: null, os: null, device: 'desktop', label: 'Unknown browser' };
  const r = new UAParser(ua).getResult();
  const browser = r.browser.name ? [r.browser.name, major(r.browser.version)].filter(Boolean).join(' ') : null;
  const os = r.os.name ? [r.os.name === 'Mac OS' ? 'macOS' : r.os.name, r.os.version].filter(Boolean).join(' ') : null;
  const device = r.device.type === 'mobile' ? 'mobile' : r.device.type === 'tablet' ? 'tablet' : 'desktop';
  const label = browser && os ? `${browser} on ${os}` : browser ?? os ?? (ua.length > 60 ? `${ua.slice(0, 57)}…` : ua);
  return { browser, os, device, label };
}
