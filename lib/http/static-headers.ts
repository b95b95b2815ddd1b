/**
 * The headers next.config.js adds to every response that passes through Next, for the few answers
 * server.ts gives on the raw request ahead of Next (guest sessions, the hot guest GETs). A unit test
 * (tests/unit/static-headers.test.ts) compares this with next.config.js, which cannot import TypeScript.
 */
const DENIED_FEATURES = [
  'accelerometer', 'autoplay', 'camera', 'display-capture', 'encrypted-media',
  'geolocation', 'gyroscope', 'hid', 'idle-detection', 'magnetometer', 'microphone', 'midi', 'payment',
  'picture-in-picture', 'screen-wake-lock', 'serial', 'usb', 'xr-spatial-tracking',
];

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'permissions-policy': DENIED_FEATURES.map((f) => `${f}=()`).join(', '),
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
