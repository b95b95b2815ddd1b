import { describe, expect, it } from 'vitest';
import { precheckGuestToken } from '../../lib/http/token-precheck';

const NOW = Date.UTC(2026, 11, 2, 12);
const tok = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const req = (o: Partial<{ host: string | null; ip: string | null; country: string | null }> = {}) => ({ host: 'portal.client.example', ip: '203.0.113.7', country: 'GB', now: NOW, ...o });
const live = { exp: NOW / 1000 + 600, host: 'portal.client.example' };

describe('precheckGuestToken (proxy.ts, before any page renders)', () => {
  it('has no objection to a live token on its host with conditions met', () => {
    expect(precheckGuestToken(tok(live), req())).toBeNull();
    expect(precheckGuestToken(tok({ ...live, cnd: { ip: ['203.0.113.0/24'], cc: ['GB', 'IE'] } }), req())).toBeNull();
  });
  it('refuses an expired token, and one without an expiry', () => {
    expect(precheckGuestToken(tok({ ...live, exp: NOW / 1000 }), req())).toBe('expired');
    expect(precheckGuestToken(tok({ host: 'portal.client.example' }), req())).toBe('expired');
  });
  it('refuses a token bound to another host', () => {
    expect(precheckGuestToken(tok(live), req({ host: 'portal.other-org.example' }))).toBe('wrong_host');
    expect(precheckGuestToken(tok(live), req({ host: null }))).toBe('wrong_host');
  });
  it('refuses a request from outside the network or country conditions the token carries', () => {
    expect(precheckGuestToken(tok({ ...live, cnd: { ip: ['10.0.0.0/8'] } }), req())).toBe('ip_denied');
    expect(precheckGuestToken(tok({ ...live, cnd: { ip: ['not a range'] } }), req())).toBe('ip_denied');
    expect(precheckGuestToken(tok({ ...live, cnd: { cc: ['FR'] } }), req())).toBe('geo_denied');
    expect(precheckGuestToken(tok({ ...live, cnd: { cc: ['GB'] } }), req({ country: null }))).toBe('geo_denied');
  });
  it('refuses garbage', () => {
    expect(precheckGuestToken('nonsense', req())).toBe('malformed');
    expect(precheckGuestToken('a.!!!.c', req())).toBe('malformed');
    expect(precheckGuestToken(`a.${'x'.repeat(5000)}.c`, req())).toBe('malformed');
  });
});
