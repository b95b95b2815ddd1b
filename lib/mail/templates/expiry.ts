import { z } from 'zod';
import { mailDate, plural, type MailTemplate } from './content';

export const shareExpiryReminderData = z.object({
  shareId: z.string().min(1).max(64),
  what: z.string().trim().min(1).max(300),
  expiresAt: z.coerce.date(),
  /** owner: the staff member who shared it (gets a link to extend it); recipient: a guest. */
  audience: z.enum(['owner', 'recipient']),
});
export type ShareExpiryReminderData = z.input<typeof shareExpiryReminderData>;

const daysUntil = (d: Date) => Math.max(0, Math.ceil((d.getTime() - Date.now()) / 86_400_000));
const inDays = (d: Date) => (daysUntil(d) === 0 ? 'today' : `in ${plural(daysUntil(d), 'day')}`);

export const shareExpiryReminder: MailTemplate<z.output<typeof shareExpiryReminderData>> = {
  label: 'Share expiry reminder',
  parse: (d) => shareExpiryReminderData.parse(d),
  content: (d, ctx) => d.audience === 'owner' ? {
    subject: `Your share of “${d.what}” expires ${inDays(d.expiresAt)}`,
    preheader: `It closes on ${mailDate(d.expiresAt)}.`,
    heading: 'A share is about to expire',
    paragraphs: [`Your share of ${d.what} closes ${inDays(d.expiresAt)}. Guests lose access then. Extend it if they still need it.`],
    details: [['Expires', mailDate(d.expiresAt)]],
    action: { label: 'Review the share', url: `${ctx.publicUrl}/shares/${encodeURIComponent(d.shareId)}` },
    footer: `You shared this from ${ctx.brand.orgName}. Reminders are set by your administrators (Settings → Notifications).`,
  } : {
    subject: `Your access to “${d.what}” ends ${inDays(d.expiresAt)}`,
    preheader: `Access ends on ${mailDate(d.expiresAt)}.`,
    heading: 'Your access ends soon',
    paragraphs: [`${ctx.brand.orgName} shared ${d.what} with you. Your access ends ${inDays(d.expiresAt)}. If you still need it, ask the person who shared it.`],
    details: [['Access ends', mailDate(d.expiresAt)]],
    footer: `You are a recipient of a share from ${ctx.brand.orgName}.`,
  },
};

export const guestExpiryReminderData = z.object({
  expiresAt: z.coerce.date(),
  /** Where the account is used, e.g. a portal's name; default the organisation. */
  where: z.string().trim().max(200).optional(),
  /** Sign-in page for the guest, when there is one. */
  url: z.string().url().optional(),
});
export type GuestExpiryReminderData = z.input<typeof guestExpiryReminderData>;

export const guestExpiryReminder: MailTemplate<z.output<typeof guestExpiryReminderData>> = {
  label: 'Guest account expiry reminder',
  parse: (d) => guestExpiryReminderData.parse(d),
  content: (d, ctx) => ({
    subject: `Your guest account with ${ctx.brand.orgName} expires ${inDays(d.expiresAt)}`,
    preheader: `It closes on ${mailDate(d.expiresAt)}.`,
    heading: 'Your guest account expires soon',
    paragraphs: [`Your guest account${d.where ? ` for ${d.where}` : ''} expires ${inDays(d.expiresAt)}. After that you can no longer sign in or open what was shared with you. If you still need access, contact your contact at ${ctx.brand.orgName}.`],
    details: [['Expires', mailDate(d.expiresAt)]],
    action: d.url ? { label: 'Sign in', url: d.url } : undefined,
    footer: `You have a guest account with ${ctx.brand.orgName}.`,
  }),
};
