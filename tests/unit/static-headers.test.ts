import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { STATIC_SECURITY_HEADERS } from '../../lib/http/static-headers';

// next.config.js is CommonJS and cannot import TypeScript: this keeps the raw-request answers'
// copy of its headers (lib/http/static-headers.ts) identical to what Next adds everywhere else.
describe('static security headers', () => {
  it('are exactly the headers next.config.js adds to every path', async () => {
    const nextConfig = createRequire(import.meta.url)('../../next.config.js') as { headers(): Promise<{ source: string; headers: { key: string; value: string }[] }[]> };
    const rules = await nextConfig.headers();
    expect(rules.map((r) => r.source)).toEqual(['/:path*']);
    expect(Object.fromEntries(rules[0].headers.map((h) => [h.key.toLowerCase(), h.value]))).toEqual(STATIC_SECURITY_HEADERS);
  });
});
