import { describe, expect, it } from 'vitest';
import { asciiDomain, emailDomain, normalEmail } from '../../lib/sso/domains';
import { showsMfa } from '../../lib/sso/mfa';
import { linkTokenFromReturn } from '../../lib/sso/urls';

describe('partner domains: one ASCII form, exact comparison', () => {
  it('lower-cases, drops a final dot, and turns internationalised names into punycode', () => {
    expect(asciiDomain(' ACME.Example. ')).toBe('acme.example');
    expect(asciiDomain('bücher.example')).toBe('xn--bcher-kva.example');
    expect(asciiDomain('xn--bcher-kva.example')).toBe('xn--bcher-kva.example');
  });

  it('a Unicode look-alike is another domain', () => {
    const cyrillicA = 'аcme.example'; // U+0430
    expect(asciiDomain(cyrillicA)).not.toBe('acme.example');
    expect(emailDomain(`dana@${cyrillicA}`)).toMatch(/^xn--/);
  });

  it('refuses what is not a DNS name', () => {
    for (const bad of ['', 'localhost', 'acme', '-acme.example', 'acme-.example', 'a b.example', '192.168.0.1', 'acme..example', '*.acme.example', 'acme.example/x', 'x'.repeat(64) + '.example']) {
      expect(asciiDomain(bad), bad).toBeNull();
    }
  });

  it('email addresses: the domain after the last @, local part as given but lower-cased', () => {
    expect(emailDomain('"a@b"@acme.example')).toBe('acme.example');
    expect(normalEmail(' Dana.Scully@ACME.example ')).toBe('dana.scully@acme.example');
    expect(normalEmail('dana@')).toBeNull();
    expect(normalEmail('@acme.example')).toBeNull();
    expect(normalEmail('da na@acme.example')).toBeNull();
    expect(normalEmail('dana@acme.example\n')).toBe('dana@acme.example');
  });
});

describe('MFA evidence', () => {
  it('a second factor in amr, or a multi-factor acr', () => {
    expect(showsMfa({ amr: ['pwd', 'otp'] }, [])).toBe(true);
    expect(showsMfa({ amr: ['mfa'] }, [])).toBe(true);
    expect(showsMfa({ amr: ['pwd'] }, [])).toBe(false);
    expect(showsMfa({ amr: 'otp' }, [])).toBe(false); // not an array: not evidence
    expect(showsMfa({ acr: 'urn:partner:loa:high' }, ['urn:partner:loa:high'])).toBe(true);
    expect(showsMfa({ acr: 'urn:partner:loa:low' }, ['urn:partner:loa:high'])).toBe(false);
    expect(showsMfa({}, [])).toBe(false);
  });
});

describe('the return path of a guest start', () => {
  const token = 'A'.repeat(43);
  it('is exactly /s/<token>', () => {
    expect(linkTokenFromReturn(`/s/${token}`)).toBe(token);
    for (const bad of [`/s/${token}/`, `/s/${token}?a=1`, `//evil.example/s/${token}`, `https://evil.example/s/${token}`, `/s/${token.slice(1)}`, `/x/${token}`, null, 42]) {
      expect(linkTokenFromReturn(bad), String(bad)).toBeNull();
    }
  });
});
