import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const accessRevokedData = z.object({
  what: z.string().trim().min(1).max(300),
  revokedAt: z.coerce.date(),
});
export type AccessRevokedData = z.input<typeof accessRevokedData>;

/** The staff member's reason for revoking stays internal: the guest learns only that access ended. */
export const accessRevoked: MailTemplate<z.output<typeof accessRevokedData>> = {
  label: 'Access revoked',
  parse: (d) => accessRevokedData.parse(d),
  content: (d, ctx) => ({
    subject: `Your access to “${d.what}” has ended`,
    preheader: `${ctx.brand.orgName} ended your access.`,
    heading: 'Your access has ended',
    paragraphs: [`${ctx.brand.orgName} has ended your access to ${d.what}. Links and sessions for it no longer open.`, 'If you think this is a mistake, contact the person who shared it with you.'],
    details: [['Ended', mailDate(d.revokedAt)]],
    footer: `You were a recipient of a share from ${ctx.brand.orgName}.`,
  }),
};
