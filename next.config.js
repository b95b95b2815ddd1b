// Browser features no Liaison page uses. Clipboard writes stay allowed (the console's copy buttons);
// every entry is a feature Chromium knows (tests/e2e/security.spec.ts fails on the warning an unknown
// one causes, as 'bluetooth' and 'ambient-light-sensor' do).
const DENIED_FEATURES = [
  'accelerometer', 'autoplay', 'camera', 'display-capture', 'encrypted-media',
  'geolocation', 'gyroscope', 'hid', 'idle-detection', 'magnetometer', 'microphone', 'midi', 'payment',
  'picture-in-picture', 'screen-wake-lock', 'serial', 'usb', 'xr-spatial-tracking',
];

/**
 * Headers that are the same on every response, APIs and static files included. The per-request
 * Content-Security-Policy (HTML pages) is set by proxy.ts, and Strict-Transport-Security by
 * lib/server/start.ts when LIAISON_PUBLIC_URL is https: both depend on the runtime, not the build.
 */
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Guest links carry their secret in the path: no page may pass its address on.
  { key: 'Referrer-Policy', value: 'no-referrer' },
  // For browsers without CSP frame-ancestors.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: DENIED_FEATURES.map((f) => `${f}=()`).join(', ') },
  // No other site's window keeps a handle on ours, and no other site may embed our responses as
  // images, scripts or media (downloads and page images included).
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
module.exports = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native or worker-based packages stay outside the bundle and load from node_modules.
  serverExternalPackages: ['pg', '@electric-sql/pglite', '@electric-sql/pglite-socket', 'pino', 'pdf-lib', '@pdf-lib/fontkit', 'busboy', 'socket.io', 'rate-limiter-flexible', 'redis', '@hyzyla/pdfium', 'sharp', '@napi-rs/canvas', 'pdfjs-dist'],
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};
