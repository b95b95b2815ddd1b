import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const portalAccessData = z.object({
  /** The portal's address: its verified custom domain when it has one, else /p/<slug> on the console host. */
  url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'An http(s) link'),
  portalName: z.string().trim().min(1).max(200),
  grantedBy: z.string().trim().min(1).max(200),
  expiresAt: z.coerce.date(),
});
export type PortalAccessData = z.input<typeof portalAccessData>;

/**
 * Tells a named guest that a portal has been opened to them. The link holds no secret: signing in still
 * takes a one-time code sent to this address (or the guest's password, or their organisation's IdP).
 */
export const portalAccess: MailTemplate<z.output<typeof portalAccessData>> = {
  label: 'Portal access',
  parse: (d) => portalAccessData.parse(d),
  content: (d, ctx) => ({
    subject: `${ctx.brand.orgName} gave you access to ${d.portalName}`,
    preheader: `Documents are waiting for you in ${d.portalName}.`,
    heading: 'You have access to a secure portal',
    paragraphs: [
      `${d.grantedBy} of ${ctx.brand.orgName} gave you access to ${d.portalName}.`,
      'Open the portal and sign in with this email address: a one-time code will be sent to it.',
    ],
    details: [['Available until', mailDate(d.expiresAt)]],
    action: { label: 'Open the portal', url: d.url },
    footer: 'Everything you open in the portal is recorded. If you did not expect this mail, you can ignore it.',
  }),
};
