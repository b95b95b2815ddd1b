import { describe, expect, it } from 'vitest';
import { emailSchema, headerText, normaliseEmail, parseMailbox, sameEmail } from '../../lib/mail/address';
import { isLookalikeDomain } from '../../lib/mail/scripts';

describe('normaliseEmail', () => {
  it('lower-cases and converts internationalised domains to punycode', () => {
    expect(normaliseEmail('  Dana.Counsel@Example.ORG ')).toMatchObject({ address: 'dana.counsel@example.org', idn: false, lookalike: false });
    expect(normaliseEmail('anna@Bücher.de')).toMatchObject({ address: 'anna@xn--bcher-kva.de', display: 'anna@bücher.de', unicodeDomain: 'bücher.de', idn: true, lookalike: false });
    expect(normaliseEmail('anna@xn--bcher-kva.de').address).toBe('anna@xn--bcher-kva.de');
    expect(normaliseEmail('x@ＥＸＡＭＰＬＥ.com').address).toBe('x@example.com'); // full-width folds, as resolvers do
    expect(normaliseEmail('山田@例え.jp'.replace('山田', 'yamada'))).toMatchObject({ address: 'yamada@xn--r8jz45g.jp', lookalike: false });
  });

  it('never lets a look-alike domain equal the real one, and flags it', () => {
    const fake = normaliseEmail('ceo@exаmple.com'); // Cyrillic а
    expect(fake.address).toBe('ceo@xn--exmple-4nf.com');
    expect(fake.lookalike).toBe(true);
    expect(sameEmail('ceo@exаmple.com', 'ceo@example.com')).toBe(false);
    expect(sameEmail('CEO@Example.com', 'ceo@example.com')).toBe(true);
    expect(normaliseEmail('it@аррӏе.com')).toMatchObject({ address: 'it@xn--80ak6aa92e.com', lookalike: true }); // all-Cyrillic imitation
    expect(normaliseEmail('x@gοogle.com').lookalike).toBe(true); // Greek omicron
    expect(normaliseEmail('x@пример.рф').lookalike).toBe(false); // genuinely Cyrillic
    expect(isLookalikeDomain('例えば.jp')).toBe(false);
  });

  it('refuses control, format and invisible characters instead of stripping them', () => {
    for (const bad of ['a@example.org\r\nBcc: x@y.z', 'a@example.org\n', 'a\u0000b@example.org', 'a@exa\u200bmple.org', 'a@exa\u00admple.org', 'a@example.org\u202e', 'a\u2028@example.org']) {
      expect(() => normaliseEmail(bad), JSON.stringify(bad)).toThrow(/control or invisible/);
    }
  });

  it('refuses what is not a single plain address', () => {
    for (const bad of ['', 'plain', '@example.org', 'a@', 'a@b', 'a b@example.org', 'a@example.org, b@example.org', '"quoted"@example.org', 'a..b@example.org', '.a@example.org', 'a@-example.org', 'a@example..org', 'a@[127.0.0.1]', 'a@1.2.3.4', 'a@ex%41mple.com', 'ünï@example.org', `${'a'.repeat(65)}@example.org`]) {
      expect(() => normaliseEmail(bad), JSON.stringify(bad)).toThrow(/Invalid email address/);
    }
  });

  it('emailSchema gives the ASCII form or a validation issue', () => {
    expect(emailSchema.parse('Anna@Bücher.de')).toBe('anna@xn--bcher-kva.de');
    expect(emailSchema.safeParse('a@b\r\nc').success).toBe(false);
  });
});

describe('headers', () => {
  it('headerText turns line breaks and controls into spaces', () => {
    expect(headerText('Report\r\nBcc: x@y.z\u0000\u202e end')).toBe('Report Bcc: x@y.z end');
    expect(headerText('x'.repeat(300)).length).toBe(200);
  });

  it('parseMailbox reads LIAISON_MAIL_FROM', () => {
    expect(parseMailbox('Liaison <no-reply@Liaison.Example>')).toEqual({ name: 'Liaison', address: 'no-reply@liaison.example' });
    expect(parseMailbox('"Acme, Legal" <a@acme.example>')).toEqual({ name: 'Acme, Legal', address: 'a@acme.example' });
    expect(parseMailbox('a@acme.example')).toEqual({ address: 'a@acme.example' });
    expect(() => parseMailbox('Evil\r\nBcc: x <a@acme.example>')).toThrow();
  });
});
