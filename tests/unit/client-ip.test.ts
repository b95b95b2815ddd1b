import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { clientIp } from '../../lib/http/client-ip';

/** The two things clientIp reads from a Node request: the socket peer and the headers. */
const req = (peer: string, xff?: string) =>
  ({ socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

const original = process.env.LIAISON_TRUSTED_PROXIES;
afterEach(() => {
  if (original === undefined) delete process.env.LIAISON_TRUSTED_PROXIES;
  else process.env.LIAISON_TRUSTED_PROXIES = original;
});

describe('clientIp', () => {
  it('uses the socket peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    delete process.env.LIAISON_TRUSTED_PROXIES;
    expect(clientIp(req('198.51.100.4'))).toBe('198.51.100.4');
    expect(clientIp(req('198.51.100.4', '1.2.3.4'))).toBe('198.51.100.4');
    expect(clientIp(req('127.0.0.1', '1.2.3.4, 5.6.7.8'))).toBe('127.0.0.1');
    process.env.LIAISON_TRUSTED_PROXIES = '';
    expect(clientIp(req('198.51.100.4', '1.2.3.4'))).toBe('198.51.100.4');
  });

  it('ignores X-Forwarded-For from a peer outside LIAISON_TRUSTED_PROXIES', () => {
    process.env.LIAISON_TRUSTED_PROXIES = '10.0.0.0/8';
    expect(clientIp(req('198.51.100.4', '1.2.3.4'))).toBe('198.51.100.4');
  });

  it('takes the hop just before the trusted proxy, not the client-supplied leftmost one', () => {
    process.env.LIAISON_TRUSTED_PROXIES = '10.0.0.1';
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    expect(clientIp(req('10.0.0.1', '6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9');
    expect(clientIp(req('10.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
  });

  it('walks through a chain of trusted proxies', () => {
    process.env.LIAISON_TRUSTED_PROXIES = '10.0.0.0/8, 192.168.1.1';
    expect(clientIp(req('192.168.1.1', '6.6.6.6, 203.0.113.9, 10.1.2.3'))).toBe('203.0.113.9');
    // Every hop trusted: the leftmost address is the client.
    expect(clientIp(req('10.0.0.2', '203.0.113.9, 10.1.2.3'))).toBe('203.0.113.9');
  });

  it('accepts the named ranges of proxy-addr and IPv6', () => {
    process.env.LIAISON_TRUSTED_PROXIES = 'loopback';
    expect(clientIp(req('127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(clientIp(req('::1', '2001:db8::1'))).toBe('2001:db8::1');
    expect(clientIp(req('198.51.100.4', '203.0.113.9'))).toBe('198.51.100.4');
  });

  it('reports IPv4-mapped IPv6 peers as plain IPv4', () => {
    delete process.env.LIAISON_TRUSTED_PROXIES;
    expect(clientIp(req('::ffff:198.51.100.4'))).toBe('198.51.100.4');
    process.env.LIAISON_TRUSTED_PROXIES = '127.0.0.1';
    expect(clientIp(req('::ffff:127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
  });

  it('follows changes to LIAISON_TRUSTED_PROXIES at run time', () => {
    process.env.LIAISON_TRUSTED_PROXIES = '10.0.0.1';
    expect(clientIp(req('10.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    process.env.LIAISON_TRUSTED_PROXIES = '10.0.0.2';
    expect(clientIp(req('10.0.0.1', '203.0.113.9'))).toBe('10.0.0.1');
  });
});
