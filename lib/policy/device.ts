import { UAParser } from 'ua-parser-js'; // v1: MIT (v2 is AGPL-3.0, unusable here)
import type { DeviceClass } from './types';

// Desktop browsers report no device type, so "no type" alone would also match curl, bots and garbage.
// Count a user agent as desktop only when it also names a desktop operating system.
const DESKTOP_OS = /^(Windows|macOS|Mac OS|Linux|Ubuntu|Debian|Fedora|Chrome OS|Chromium OS|FreeBSD|OpenBSD|NetBSD)$/i;

/**
 * The device class of a user agent, or null when it is not recognisably a desktop, phone or tablet.
 * Null is deliberate: when a share restricts devices, an unknown device does not match (fail closed);
 * when it does not, null is harmless.
 *
 * The user agent is chosen by the client, so a device rule is a guard against accidents and casual
 * forwarding, not against a determined guest. iPadOS Safari also presents itself as macOS by default
 * and is therefore classed as desktop.
 */
export function deviceClass(userAgent: string | null | undefined): DeviceClass | null {
  if (!userAgent || !userAgent.trim()) return null;
  const r = new UAParser(userAgent.slice(0, 1024)).getResult();
  if (r.device.type === 'mobile') return 'mobile';
  if (r.device.type === 'tablet') return 'tablet';
  if (r.device.type) return null; // smart TV, console, wearable, XR, embedded
  if (r.browser.name && r.os.name && DESKTOP_OS.test(r.os.name)) return 'desktop';
  return null;
}
