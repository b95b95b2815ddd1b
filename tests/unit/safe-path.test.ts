import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { literalizeUndecodablePath } from '../../lib/http/safe-path';
import { contentSecurityPolicy, hstsHeader, newNonce } from '../../lib/http/security-headers';

describe('literalizeUndecodablePath', () => {
  it('turns a segment that does not decode as UTF-8 into the literal text it was sent as', () => {
    expect(literalizeUndecodablePath('/documents/%C3%28')).toBe('/documents/%25C3%2528');
    expect(literalizeUndecodablePath('/documents/%FF/content?version=%FF')).toBe('/documents/%25FF/content?version=%FF');
    expect(literalizeUndecodablePath('/a/100%/b')).toBe('/a/100%25/b');
    expect(decodeURIComponent(literalizeUndecodablePath('/x/%E2%82').split('/')[2])).toBe('%E2%82');
  });

  it('leaves decodable paths, and the query string, exactly as they are', () => {
    for (const u of ['/', '/documents/abc', '/documents/%00/content', '/s/a%2Fb', '/%C3%A9t%C3%A9?q=%FF', '/x?y=%C3%28#%FF']) {
      expect(literalizeUndecodablePath(u)).toBe(u);
    }
  });
});

describe('security headers', () => {
  it('draws a new 128-bit nonce every time', () => {
    const a = newNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });

  it('builds a strict policy; development adds eval and inline styles, HTTPS upgrades requests', () => {
    const prod = contentSecurityPolicy({ nonce: 'abc', dev: false, publicUrl: 'http://localhost:3000' });
    expect(prod).toBe("default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic'; style-src 'self' 'nonce-abc'; style-src-attr 'unsafe-hashes' 'sha256-aqNNdDLnnrDOnTNdkJpYlAxKVJtLt9CtFLklmInuUAE='; img-src 'self' data: blob:; font-src 'self'; connect-src 'self' ws://localhost:3000; worker-src 'self' blob:; manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    // The one style attribute allowed is React's streaming placeholder, and only that exact text.
    expect(prod).toContain(`'sha256-${createHash('sha256').update('display:none').digest('base64')}'`);
    const dev = contentSecurityPolicy({ nonce: 'abc', dev: true });
    expect(dev).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval'");
    expect(dev).toContain("style-src 'self' 'unsafe-inline';");
    expect(dev).toContain("connect-src 'self';");
    const https = contentSecurityPolicy({ nonce: 'abc', dev: false, publicUrl: 'https://share.example.org/base' });
    expect(https).toContain("connect-src 'self' wss://share.example.org;");
    expect(https.endsWith('; upgrade-insecure-requests')).toBe(true);
  });

  it('sends HSTS only when the public URL is https', () => {
    expect(hstsHeader('https://share.example.org')).toBe('max-age=63072000; includeSubDomains');
    expect(hstsHeader('HTTPS://share.example.org')).toBe('max-age=63072000; includeSubDomains');
    expect(hstsHeader('http://localhost:3000')).toBeNull();
    expect(hstsHeader(undefined)).toBeNull();
  });
});
