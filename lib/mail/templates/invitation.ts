import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const invitationData = z.object({
  /** The invitation link, `<public URL>/i/<secret>`: only the recipient ever sees it. */
  url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'An http(s) link'),
  inviterName: z.string().trim().min(1).max(200),
  /** What is shared, e.g. the documents' titles. */
  what: z.string().trim().min(1).max(300),
  message: z.string().max(4000).nullish(),
  expiresAt: z.coerce.date().nullish(),
});
export type InvitationData = z.input<typeof invitationData>;

export const invitation: MailTemplate<z.output<typeof invitationData>> = {
  label: 'Invitation',
  parse: (d) => invitationData.parse(d),
  content: (d, ctx) => ({
    subject: `${d.inviterName} shared “${d.what}” with you`,
    preheader: `${ctx.brand.orgName} invited you to view ${d.what}.`,
    heading: 'You have been invited',
    paragraphs: [`${d.inviterName} of ${ctx.brand.orgName} shared ${d.what} with you through Liaison.`],
    quote: d.message?.trim() ? { from: d.inviterName, text: d.message.trim() } : null,
    details: d.expiresAt ? [['Available until', mailDate(d.expiresAt)]] : [],
    action: { label: 'Open the invitation', url: ctx.secret(d.url, 'url') },
    footer: 'This invitation is for you alone: do not forward it. Opening the link does not use it up; you confirm on the page.',
  }),
};
