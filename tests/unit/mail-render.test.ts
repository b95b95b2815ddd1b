import { describe, expect, it } from 'vitest';
import { contrastRatio, textOn } from '../../lib/mail/brand';
import { breakDigitRuns } from '../../lib/mail/layout';
import { codeRuns, renderMail } from '../../lib/mail/render';
import { MAIL_TEMPLATE_NAMES, type MailTemplateData } from '../../lib/mail/templates';

const brand = { orgName: 'Harbour & Partners <LLP>', brandColor: '#4f46e5', accentColor: '#4338ca' };
const SAMPLES: { [K in keyof MailTemplateData]: MailTemplateData[K] } = {
  email_code: { code: '123456', minutes: 10 },
  invitation: { url: 'https://liaison.example/i/secret-abc', inviterName: 'Sam <Staff>', what: 'Q3 "report"', message: '<script>alert(1)</script>', expiresAt: '2026-12-24T10:00:00Z' },
  first_access: { shareId: 'sh1', what: 'Q3 report', guestLabel: 'dana@example.org', at: new Date('2026-12-02T09:30:00Z'), ip: '198.51.100.7' },
  share_expiry_reminder: { shareId: 'sh1', what: 'Q3 report', expiresAt: new Date(Date.now() + 3 * 86_400_000 - 60_000), audience: 'owner' },
  guest_expiry_reminder: { expiresAt: new Date(Date.now() + 86_400_000 - 60_000) },
  access_revoked: { what: 'Q3 report', revokedAt: new Date('2026-12-02T09:30:00Z') },
  portal_access: { url: 'https://counsel.harbour.example/', portalName: 'Harbour <Counsel> Portal', grantedBy: 'Sam Staff', expiresAt: new Date('2026-12-24T10:00:00Z') },
  question_asked: { consolePath: '/documents/doc1#questions', asker: 'dana@example.org', where: 'your share to dana@example.org', documentTitle: 'Q3 <report>', question: '<script>alert(1)</script> When is closing?', at: new Date('2026-12-02T09:30:00Z') },
  proposal_submitted: { documentId: 'doc1', title: 'Master <services> agreement', guestLabel: 'dana@example.org', fileName: 'msa-marked-up.docx', at: new Date('2026-12-02T09:30:00Z'), note: '<script>alert(1)</script> see clause 4' },
  approval_requested: { requestId: 'gar1', what: 'share', subject: 'Incident <RED> brief', requestedBy: 'sam@harbour.example', reasons: ['TLP:RED material'], recipients: ['dana@example.org'], at: new Date('2026-12-02T09:30:00Z') },
  alert_raised: { alertId: 'al1', title: 'dana@example.org downloaded 21 <documents> in 10 minutes', ruleLabel: 'Many downloads by one guest', subject: 'dana@example.org', raisedAt: new Date('2026-12-02T09:30:00Z'), facts: [['Downloads', '21 <script>alert(1)</script>']] },
  access_review_notice: { what: 'Q3 <report>', change: 'extended', expiresAt: new Date('2026-12-24T10:00:00Z'), message: '<script>alert(1)</script> kept after review' },
  access_review_reminder: { campaignName: 'Q4 <review>', pending: 3, deadline: new Date('2026-12-24T10:00:00Z'), autoRevoke: true, url: 'https://liaison.example/reviews/campaigns/c1' },
};

describe('mail templates', () => {
  it('every template renders a subject, a text part and an escaped, branded HTML part', () => {
    for (const name of MAIL_TEMPLATE_NAMES) {
      const r = renderMail(name, SAMPLES[name], brand, 'https://liaison.example');
      expect(r.subject, name).not.toMatch(/[\r\n]/);
      expect(r.text, name).toContain('Harbour & Partners <LLP>');
      expect(r.html, name).toContain('Harbour &amp; Partners &lt;LLP&gt;');
      expect(r.html, name).not.toContain('<LLP>');
      expect(r.html, name).toContain('background:#4f46e5');
      expect(r.html, name).not.toMatch(/<script/i);
    }
  });

  it('masks codes and secret links in the console copy only', () => {
    const code = renderMail('email_code', SAMPLES.email_code, brand, 'https://liaison.example');
    expect(code.hasSecret).toBe(true);
    expect(code.text).toContain('123456');
    expect(code.masked.text).not.toContain('123456');
    const inv = renderMail('invitation', SAMPLES.invitation, brand, 'https://liaison.example');
    expect(inv.text).toContain('https://liaison.example/i/secret-abc');
    expect(inv.masked.text).not.toContain('secret-abc');
    expect(inv.masked.html).not.toContain('secret-abc');
    expect(inv.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(renderMail('access_revoked', SAMPLES.access_revoked, brand, 'https://x.example').hasSecret).toBe(false);
  });

  it('keeps the code the only run of 6 to 8 digits, whatever the names and titles hold', () => {
    const r = renderMail('email_code', { code: '00123456', minutes: 1440, what: 'case 123456789 and 20261130' }, { ...brand, orgName: 'Unit 7654321' }, 'https://liaison.example');
    expect(codeRuns(r.text)).toEqual(['00123456']);
    expect(breakDigitRuns('1234567890')).toBe('1\u2009234\u2009567\u2009890');
    expect(breakDigitRuns('ref 1234')).toBe('ref 1234');
  });

  it('refuses data that does not fit the template', () => {
    expect(() => renderMail('email_code', { code: '12345', minutes: 10 }, brand, 'https://x.example')).toThrow();
    expect(() => renderMail('invitation', { ...SAMPLES.invitation, url: 'javascript:alert(1)' }, brand, 'https://x.example')).toThrow();
  });

  it('picks readable text colours for brand colours', () => {
    expect(textOn('#4f46e5')).toBe('#ffffff');
    expect(textOn('#fde047')).toBe('#0f172a');
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 0);
  });
});
