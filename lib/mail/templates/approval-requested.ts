import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const approvalRequestedData = z.object({
  requestId: z.string().min(1).max(64),
  /** "share" or "portal grant", as the reader knows it. */
  what: z.enum(['share', 'portal grant']),
  /** Titles of the documents (or the portal's name) the grant releases. */
  subject: z.string().trim().min(1).max(300),
  requestedBy: z.string().trim().min(1).max(320),
  /** Human reasons, e.g. "TLP:RED material". */
  reasons: z.array(z.string().trim().min(1).max(200)).min(1).max(10),
  recipients: z.array(z.string().max(320)).max(50),
  at: z.coerce.date(),
});
export type ApprovalRequestedData = z.input<typeof approvalRequestedData>;

/**
 * Tells an administrator that a share or portal grant waits for a second person's approval. Carries no
 * link secret: approving takes signing in to the console as another administrator than the requester.
 */
export const approvalRequested: MailTemplate<z.output<typeof approvalRequestedData>> = {
  label: 'Approval requested',
  parse: (d) => approvalRequestedData.parse(d),
  content: (d, ctx) => ({
    subject: `Approval needed: a ${d.what} of “${d.subject}”`,
    preheader: `${d.requestedBy} asks a second administrator to approve it.`,
    heading: `A ${d.what} waits for your approval`,
    paragraphs: [
      `${d.requestedBy} created a ${d.what} of ${d.subject}. It releases ${d.reasons.join(', ')}, so it serves nothing until another administrator approves it.`,
      'Check who it reaches and why, then approve or refuse it in the console. The person who created it cannot approve it themselves.',
    ],
    details: [['Requested', mailDate(d.at)], ...(d.recipients.length ? [['Recipients', d.recipients.join(', ')] as [string, string]] : [])],
    action: { label: 'Review approvals', url: `${ctx.publicUrl}/approvals#${encodeURIComponent(d.requestId)}` },
    footer: `You are an administrator of ${ctx.brand.orgName}. Approvals and refusals are recorded in the audit trail.`,
  }),
};
