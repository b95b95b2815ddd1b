import { z } from 'zod';
import { plural, type MailTemplate } from './content';

export const emailCodeData = z.object({
  code: z.string().regex(/^\d{6,8}$/, 'A code is 6 to 8 digits'),
  /** How long the code stays valid. */
  minutes: z.number().int().min(1).max(24 * 60),
  /** What the code opens, e.g. the share's documents or a portal's name. */
  what: z.string().trim().max(300).optional(),
});
export type EmailCodeData = z.input<typeof emailCodeData>;

export const emailCode: MailTemplate<z.output<typeof emailCodeData>> = {
  label: 'Verification code',
  singleCode: true,
  parse: (d) => emailCodeData.parse(d),
  content: (d, ctx) => ({
    subject: `Your verification code for ${ctx.brand.orgName}`,
    preheader: `Use this code to continue. It expires in ${plural(d.minutes, 'minute')}.`,
    heading: 'Your verification code',
    paragraphs: [
      d.what ? `Enter this code to open ${d.what}.` : 'Enter this code on the page where you asked for it.',
    ],
    code: ctx.secret(d.code, 'code'),
    details: [['Valid for', plural(d.minutes, 'minute')]],
    footer: `Someone, probably you, asked ${ctx.brand.orgName} for a code for this address. If it was not you, ignore this mail: nothing opens without the code.`,
  }),
};
