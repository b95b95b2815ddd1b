import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const proposalSubmittedData = z.object({
  documentId: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(300),
  /** Who proposed it: an email address, or how a link guest is named. */
  guestLabel: z.string().trim().min(1).max(320),
  fileName: z.string().trim().min(1).max(300),
  at: z.coerce.date(),
  /** The guest's own words about the change, quoted as plain text. */
  note: z.string().max(2000).default(''),
});
export type ProposalSubmittedData = z.input<typeof proposalSubmittedData>;

export const proposalSubmitted: MailTemplate<z.output<typeof proposalSubmittedData>> = {
  label: 'Proposed version',
  parse: (d) => proposalSubmittedData.parse(d),
  content: (d, ctx) => ({
    subject: `${d.guestLabel} proposed a new version of “${d.title}”`,
    preheader: 'It waits for your decision before anyone else sees it.',
    heading: 'A new version was proposed',
    paragraphs: [
      `${d.guestLabel} uploaded ${d.fileName} as a new version of ${d.title}.`,
      'Nobody else sees it until you accept it; then it becomes the current version for every share of the document.',
    ],
    quote: d.note ? { from: d.guestLabel, text: d.note } : null,
    details: [['Proposed', mailDate(d.at)], ['File', d.fileName]],
    action: { label: 'Review the proposal', url: `${ctx.publicUrl}/documents/${encodeURIComponent(d.documentId)}#proposals` },
    footer: `You own a share or portal of ${ctx.brand.orgName} through which this guest may edit the document.`,
  }),
};
