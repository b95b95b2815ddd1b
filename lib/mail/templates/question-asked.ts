import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const questionAskedData = z.object({
  /** A console path ("/shares/<id>", "/documents/<id>", "/portals/<id>"), made absolute with the public URL. */
  consolePath: z.string().regex(/^\/[A-Za-z0-9/_#-]{1,200}$/, 'A console path'),
  /** Who asked: their address, or "Guest <tag>" for an anonymous link guest. */
  asker: z.string().trim().min(1).max(320),
  /** Where: "your share to …" or the portal's name. */
  where: z.string().trim().min(1).max(300),
  documentTitle: z.string().trim().max(300).nullish(),
  sectionName: z.string().trim().max(200).nullish(),
  question: z.string().min(1).max(2000),
  at: z.coerce.date(),
});
export type QuestionAskedData = z.input<typeof questionAskedData>;

/**
 * Routes a guest's question to the share's owner (a portal's creator; the organisation's admins when
 * neither can be reached). The question is quoted as plain text: its reader is staff of the same
 * organisation, who would read it in the console anyway; the answer is given in the console.
 */
export const questionAsked: MailTemplate<z.output<typeof questionAskedData>> = {
  label: 'Question from a guest',
  parse: (d) => questionAskedData.parse(d),
  content: (d, ctx) => ({
    subject: `Question from ${d.asker}${d.documentTitle ? ` about “${d.documentTitle}”` : ''}`,
    preheader: `${d.asker} asked a question in ${d.where}.`,
    heading: 'A guest asked a question',
    paragraphs: [`${d.asker} asked a question in ${d.where}. Answer it in the console; you may publish the answer to every guest of the grant.`],
    quote: { from: d.asker, text: d.question },
    details: [
      ...(d.documentTitle ? [['Document', d.documentTitle] as [string, string]] : []),
      ...(d.sectionName ? [['Section', d.sectionName] as [string, string]] : []),
      ['Asked', mailDate(d.at)],
    ],
    action: { label: 'Answer in the console', url: `${ctx.publicUrl}${d.consolePath}` },
    footer: `You are receiving this because you shared documents from ${ctx.brand.orgName} with this guest.`,
  }),
};
