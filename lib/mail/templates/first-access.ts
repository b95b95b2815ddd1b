import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const firstAccessData = z.object({
  shareId: z.string().min(1).max(64),
  what: z.string().trim().min(1).max(300),
  /** Who opened it: an email address, or "Anyone with the link". */
  guestLabel: z.string().trim().min(1).max(320),
  at: z.coerce.date(),
  ip: z.string().max(64).nullish(),
  country: z.string().max(8).nullish(),
});
export type FirstAccessData = z.input<typeof firstAccessData>;

export const firstAccess: MailTemplate<z.output<typeof firstAccessData>> = {
  label: 'First access',
  parse: (d) => firstAccessData.parse(d),
  content: (d, ctx) => ({
    subject: `${d.guestLabel} opened “${d.what}”`,
    preheader: `First access on ${mailDate(d.at)}.`,
    heading: 'Your share was opened',
    paragraphs: [`${d.guestLabel} opened ${d.what} for the first time.`],
    details: [
      ['Opened', mailDate(d.at)],
      ...(d.ip ? [['From address', d.ip] as [string, string]] : []),
      ...(d.country ? [['Country', d.country] as [string, string]] : []),
    ],
    action: { label: 'See the access log', url: `${ctx.publicUrl}/shares/${encodeURIComponent(d.shareId)}` },
    footer: `You shared this from ${ctx.brand.orgName}. Your administrators decide whether these mails are sent (Settings → Notifications).`,
  }),
};
