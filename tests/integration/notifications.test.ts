import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { sendShareExpiryReminders, announceExpiredShares } from '../../lib/jobs/share-expiry';
import { getNotificationSettings, updateMailBranding, updateNotificationSettings } from '../../lib/notifications/settings';
import { notifyFirstAccess } from '../../lib/notifications/notify';
import { revokeShare, updateShare } from '../../lib/shares/service';
import { createWebhook } from '../../lib/webhooks/service';
import { createStaff } from '../helpers/factory';
import { apiOpen, sharedPdf } from '../helpers/guest';

const DAY = 86_400_000;
const mails = (orgId: string, template?: string) => prisma().mailMessage.findMany({ where: { orgId, ...(template ? { template } : {}) }, orderBy: { createdAt: 'asc' } });

// Without SMTP_URL every mail lands in the development outbox at once: these tests read it there.
let savedSmtp: string | undefined;
beforeAll(() => { savedSmtp = process.env.SMTP_URL; delete process.env.SMTP_URL; });
afterAll(() => { if (savedSmtp) process.env.SMTP_URL = savedSmtp; });

/** A share whose createdAt lies far enough back that a reminder window applies to it. */
async function ageShare(shareId: string, createdDaysAgo: number, expiresInMs: number) {
  await prisma().share.update({ where: { id: shareId }, data: { createdAt: new Date(Date.now() - createdDaysAgo * DAY), expiresAt: new Date(Date.now() + expiresInMs) } });
}

describe('first access', () => {
  it('mails the owner once when a guest first opens a link, however many sessions follow', async () => {
    const { org, principal, url, share } = await sharedPdf({ recipients: ['counsel@example.org'] });
    for (let i = 0; i < 3; i++) expect((await apiOpen({ link: url })).res.status).toBe(201);
    const sent = await mails(org.id, 'first_access');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: principal.kind === 'staff' ? principal.email : '', toName: principal.kind === 'staff' ? principal.name : null, subject: 'Anyone with the link opened “Briefing”' });
    expect(sent[0].text).toContain(`http://liaison.test/shares/${share.id}`);
    expect(sent[0].text).toContain('From address: 198.51.100.10');
    // Another identified guest is a first access of their own.
    await notifyFirstAccess(share.id, 'counsel@example.org', new Date());
    await notifyFirstAccess(share.id, 'Counsel@Example.org', new Date());
    expect(await mails(org.id, 'first_access')).toHaveLength(2);
  });

  it('sends nothing when the organisation turned it off', async () => {
    const { org, url } = await sharedPdf();
    const { principal: admin } = await createStaff(org.id, 'ADMIN');
    await updateNotificationSettings(admin, { notifyFirstAccess: false });
    expect((await apiOpen({ link: url })).res.status).toBe(201);
    expect(await mails(org.id, 'first_access')).toHaveLength(0);
  });

  it('refusals become one guest.access_denied event per share, reason and minute', async () => {
    process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE = '1';
    try {
      const { org, url, share } = await sharedPdf({ password: 'correct horse battery' });
      const { principal: admin } = await createStaff(org.id, 'ADMIN');
      await createWebhook(admin, { url: 'http://127.0.0.1:9/hook', events: ['guest.access_denied'] });
      for (let i = 0; i < 3; i++) expect((await apiOpen({ link: url, password: `wrong ${i}` })).res.status).toBe(401);
      const deliveries = await prisma().webhookDelivery.findMany({ where: { orgId: org.id } });
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].event).toMatchObject({ type: 'guest.access_denied', data: { reason: 'invalid_password', share: { id: share.id } } });
    } finally {
      delete process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE;
    }
  });
});

describe('expiry reminders', () => {
  it('remind the owner and each recipient once, N days before expiry; an extended share is reminded again', async () => {
    const { org, principal, share } = await sharedPdf({ recipients: ['counsel@example.org', 'Partner@xn--bcher-kva.de'] });
    await ageShare(share.id, 10, 2 * DAY); // created 10 days ago, expires in 2 days: inside the 3-day window
    await sendShareExpiryReminders();
    await sendShareExpiryReminders(); // the job runs every 15 minutes: nothing twice
    let sent = await mails(org.id, 'share_expiry_reminder');
    expect(sent.map((m) => m.to).sort()).toEqual([principal.kind === 'staff' ? principal.email : '', 'counsel@example.org', 'partner@xn--bcher-kva.de'].sort());
    const owner = sent.find((m) => m.toName)!;
    expect(owner.subject).toBe('Your share of “Briefing” expires in 2 days');
    expect(owner.text).toContain(`/shares/${share.id}`);
    const guest = sent.find((m) => m.to === 'counsel@example.org')!;
    expect(guest.subject).toBe('Your access to “Briefing” ends in 2 days');
    expect(guest.text).not.toContain('/shares/');
    // Extended by a week: when the new expiry comes near, one more round.
    await updateShare(principal, share.id, { expiresAt: new Date(Date.now() + 9 * DAY) });
    await sendShareExpiryReminders();
    expect(await mails(org.id, 'share_expiry_reminder')).toHaveLength(3);
    await prisma().share.update({ where: { id: share.id }, data: { expiresAt: new Date(Date.now() + DAY) } });
    await sendShareExpiryReminders();
    sent = await mails(org.id, 'share_expiry_reminder');
    expect(sent).toHaveLength(6);
  });

  it('skip revoked and expired shares, shares made inside the window, and organisations that turned reminders off', async () => {
    const a = await sharedPdf();
    await ageShare(a.share.id, 10, DAY);
    await revokeShare(a.principal, a.share.id);
    const b = await sharedPdf();
    await ageShare(b.share.id, 10, -DAY);
    const c = await sharedPdf(); // created now, expires in 2 days: its owner just chose that
    await prisma().share.update({ where: { id: c.share.id }, data: { expiresAt: new Date(Date.now() + 2 * DAY) } });
    const d = await sharedPdf();
    await ageShare(d.share.id, 10, DAY);
    const { principal: admin } = await createStaff(d.org.id, 'ADMIN');
    await updateNotificationSettings(admin, { reminderDays: 0 });
    await sendShareExpiryReminders();
    for (const x of [a, b, c, d]) expect(await mails(x.org.id, 'share_expiry_reminder'), x.org.name).toHaveLength(0);
  });

  it('share.expired is announced once per share to subscribed webhooks', async () => {
    process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE = '1';
    try {
      const { org, share } = await sharedPdf();
      const { principal: admin } = await createStaff(org.id, 'ADMIN');
      await createWebhook(admin, { url: 'http://127.0.0.1:9/hook', events: ['share.expired'] });
      await ageShare(share.id, 10, -60_000);
      await announceExpiredShares();
      await announceExpiredShares();
      expect(await prisma().webhookDelivery.count({ where: { orgId: org.id, eventType: 'share.expired' } })).toBe(1);
    } finally {
      delete process.env.LIAISON_WEBHOOK_ALLOW_PRIVATE;
    }
  });
});

describe('revocation notices', () => {
  it('tell each recipient once when the organisation wants it, and no one otherwise', async () => {
    const quiet = await sharedPdf({ recipients: ['a@example.org'] });
    await revokeShare(quiet.principal, quiet.share.id, 'internal reason');
    expect(await mails(quiet.org.id, 'access_revoked')).toHaveLength(0);

    const told = await sharedPdf({ recipients: ['a@example.org', 'b@example.org'] });
    const { principal: admin } = await createStaff(told.org.id, 'ADMIN');
    await updateNotificationSettings(admin, { notifyGuestOnRevoke: true });
    await revokeShare(told.principal, told.share.id, 'internal reason: wrong firm');
    await revokeShare(told.principal, told.share.id);
    const sent = await mails(told.org.id, 'access_revoked');
    expect(sent.map((m) => m.to).sort()).toEqual(['a@example.org', 'b@example.org']);
    expect(sent[0].subject).toBe('Your access to “Briefing” has ended');
    expect(sent[0].text).not.toContain('wrong firm');
  });
});

describe('settings', () => {
  it('admins change notification settings and branding; bad values are refused; members cannot', async () => {
    const { org } = await sharedPdf();
    const { principal: admin } = await createStaff(org.id, 'ADMIN');
    const { principal: member } = await createStaff(org.id, 'MEMBER');
    expect(await getNotificationSettings(admin)).toMatchObject({ notifyFirstAccess: true, reminderDays: 3, notifyGuestOnRevoke: false, brandColor: '#4f46e5', accentColor: '#4338ca' });
    expect(await updateNotificationSettings(admin, { reminderDays: 7, notifyGuestOnRevoke: true })).toMatchObject({ notifyFirstAccess: true, reminderDays: 7, notifyGuestOnRevoke: true });
    await expect(updateNotificationSettings(admin, { reminderDays: -1 })).rejects.toThrow();
    await expect(updateNotificationSettings(admin, { reminderDays: 2.5 })).rejects.toThrow();
    await expect(updateNotificationSettings(member, { reminderDays: 1 })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await updateMailBranding(admin, { brandColor: '#0F766E', accentColor: '#9a3412' })).toMatchObject({ brandColor: '#0f766e', accentColor: '#9a3412' });
    for (const bad of [{ brandColor: 'red', accentColor: '#9a3412' }, { brandColor: '#0f766e;background:url(x)', accentColor: '#9a3412' }, { brandColor: '#0f766e', accentColor: '#fafafa' }]) {
      await expect(updateMailBranding(admin, bad), JSON.stringify(bad)).rejects.toThrow();
    }
    const audit = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: { in: ['org.notifications', 'org.mail_branding'] } } });
    expect(audit.map((e) => e.type).sort()).toEqual(['org.mail_branding', 'org.notifications']);
  });
});
