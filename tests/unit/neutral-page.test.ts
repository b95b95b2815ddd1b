import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NEUTRAL_HTML, NEUTRAL_HTML_HEADERS, NEUTRAL_STYLE } from '../../lib/portals/neutral-page';
import { decodeSite, encodeSite, isConsoleHost } from '../../lib/portals/site';
import { customHostname } from '../../lib/portals/hostname';
import { config } from '../../lib/config';

describe('neutral page', () => {
  it('allows exactly its own style by hash, and nothing else', () => {
    const hash = crypto.createHash('sha256').update(NEUTRAL_STYLE).digest('base64');
    expect(NEUTRAL_HTML).toContain(`<style>${NEUTRAL_STYLE}</style>`);
    expect(NEUTRAL_HTML_HEADERS['content-security-policy']).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    expect(NEUTRAL_HTML).not.toMatch(/<script|<a\b|<link|<img/);
  });
});

describe('site header', () => {
  it('round-trips, and refuses anything malformed', () => {
    const portal = { kind: 'portal' as const, portalId: 'cmabc123', orgId: 'cmorg456', slug: 'counsel-room', hostname: 'portal.example.test' };
    expect(decodeSite(encodeSite(portal), portal.hostname)).toEqual(portal);
    expect(decodeSite('console', null)).toEqual({ kind: 'console' });
    expect(decodeSite('unknown', 'x')).toEqual({ kind: 'unknown' });
    for (const bad of [null, '', 'portal', 'portal a b', 'portal a b C', 'portal a b c d', 'Console']) expect(decodeSite(bad, 'h'), String(bad)).toBeNull();
    expect(decodeSite(encodeSite(portal), null)).toBeNull();
  });

  it('treats the public URL host and loopback names as the console', () => {
    for (const h of ['liaison.example.org', 'localhost', '127.0.0.1', '[::1]']) expect(isConsoleHost(h, 'https://Liaison.example.org/'), h).toBe(true);
    for (const h of [null, 'portal.example.org', 'example.org', '10.0.0.1']) expect(isConsoleHost(h, 'https://liaison.example.org'), String(h)).toBe(false);
  });
});

describe('custom host names', () => {
  it('normalises what staff type and refuses what can never be a portal domain', () => {
    expect(customHostname(' Portal.Example.COM. ', 'https://liaison.example.org')).toBe('portal.example.com');
    expect(customHostname('bücher.example', 'https://liaison.example.org')).toBe('xn--bcher-kva.example');
    for (const bad of ['1.2.3.4', '[2001:db8::1]', 'intranet', 'a.localhost', 'x.internal', 'liaison.example.org', 'a..b', '-a.example.com', 'a b.example.com']) {
      expect(() => customHostname(bad, 'https://liaison.example.org'), bad).toThrow(/^hostname: /);
    }
  });
});

describe('LIAISON_DNS_SERVERS', () => {
  it('takes ip[:port] values separated by commas and refuses names', () => {
    const before = process.env.LIAISON_DNS_SERVERS;
    try {
      process.env.LIAISON_DNS_SERVERS = '127.0.0.1:5353, 192.0.2.53,[2001:db8::53]:53';
      expect(config().LIAISON_DNS_SERVERS).toEqual(['127.0.0.1:5353', '192.0.2.53', '[2001:db8::53]:53']);
      process.env.LIAISON_DNS_SERVERS = 'dns.example.com';
      expect(() => config()).toThrow(/LIAISON_DNS_SERVERS/);
    } finally {
      if (before === undefined) delete process.env.LIAISON_DNS_SERVERS; else process.env.LIAISON_DNS_SERVERS = before;
    }
  });
});
