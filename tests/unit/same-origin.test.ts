import { describe, expect, it } from 'vitest';
import { assertSameOrigin } from '../../lib/http/same-origin';

const refused = (origin: string | null, host: Parameters<typeof assertSameOrigin>[1]) => {
  try { assertSameOrigin(origin, host); return false; } catch (e) { return (e as { code?: string }).code === 'forbidden'; }
};

describe('assertSameOrigin', () => {
  it('accepts the Host header as sent, or the host the server resolved, and refuses anything else', () => {
    // A portal's own domain on a non-default port: the Host header carries the port, the resolved host does not.
    expect(refused('http://portal.example.test:3411', ['portal.example.test:3411', 'portal.example.test'])).toBe(false);
    // Behind a proxy: the Host header is internal, the resolved host is the public one.
    expect(refused('https://portal.example.test', ['app:3000', 'portal.example.test'])).toBe(false);
    expect(refused('https://evil.example', ['portal.example.test:3411', 'portal.example.test'])).toBe(true);
    // Same name, another port, is another origin.
    expect(refused('http://portal.example.test:8080', ['portal.example.test:3411', 'portal.example.test'])).toBe(true);
    expect(refused(null, 'portal.example.test')).toBe(true);
    expect(refused('not a url', 'portal.example.test')).toBe(true);
    expect(refused('https://portal.example.test', [null, undefined])).toBe(true);
  });
});
