import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const accessReviewNoticeData = z.object({
  what: z.string().trim().min(1).max(300),
  change: z.enum(['revoked', 'extended', 'permission']),
  expiresAt: z.coerce.date().nullable().optional(),
  permission: z.enum(['VIEW', 'COMMENT', 'EDIT']).nullable().optional(),
  message: z.string().trim().max(2000).default(''),
});
export type AccessReviewNoticeData = z.input<typeof accessReviewNoticeData>;

const PERMISSION_TEXT = { VIEW: 'view only', COMMENT: 'view and comment', EDIT: 'view, comment and edit' } as const;

/** The optional notice of an access review's bulk action to the guests it affected. */
export const accessReviewNotice: MailTemplate<z.output<typeof accessReviewNoticeData>> = {
  label: 'Access review notice',
  parse: (d) => accessReviewNoticeData.parse(d),
  content: (d, ctx) => {
    const headline = d.change === 'revoked' ? 'Your access has ended' : d.change === 'extended' ? 'Your access has been extended' : 'Your access has changed';
    const line = d.change === 'revoked'
      ? `${ctx.brand.orgName} reviewed who has access to ${d.what} and ended yours.`
      : d.change === 'extended'
        ? `${ctx.brand.orgName} reviewed who has access to ${d.what} and extended yours.`
        : `${ctx.brand.orgName} reviewed who has access to ${d.what} and changed what you may do: ${d.permission ? PERMISSION_TEXT[d.permission] : 'see the portal or share'}.`;
    return {
      subject: `${headline}: ${d.what}`,
      preheader: `${ctx.brand.orgName} reviewed your access.`,
      heading: headline,
      paragraphs: [line, ...(d.message ? [d.message] : []), 'If you think this is a mistake, contact the person who shared it with you.'],
      details: d.change === 'extended' && d.expiresAt ? [['Available until', mailDate(d.expiresAt)]] : [],
      footer: `You were given access by ${ctx.brand.orgName}.`,
    };
  },
};

export const accessReviewReminderData = z.object({
  campaignName: z.string().trim().min(1).max(200),
  pending: z.number().int().min(1),
  deadline: z.coerce.date(),
  autoRevoke: z.boolean(),
  url: z.string().url(),
});
export type AccessReviewReminderData = z.input<typeof accessReviewReminderData>;

/** Tells an owner or sponsor how many of their items an access review still waits for. */
export const accessReviewReminder: MailTemplate<z.output<typeof accessReviewReminderData>> = {
  label: 'Access review reminder',
  parse: (d) => accessReviewReminderData.parse(d),
  content: (d, ctx) => ({
    subject: `Access review “${d.campaignName}”: ${d.pending} ${d.pending === 1 ? 'decision' : 'decisions'} waiting`,
    preheader: `Decide by ${mailDate(d.deadline)}.`,
    heading: 'Your decisions are needed',
    paragraphs: [
      `The ${ctx.brand.orgName} access review “${d.campaignName}” asks you to keep, revoke or change ${d.pending} external ${d.pending === 1 ? 'grant' : 'grants'}.`,
      d.autoRevoke ? 'Anything you have not decided by the deadline is revoked automatically.' : 'Anything you have not decided by the deadline is closed as undecided.',
    ],
    details: [['Deadline', mailDate(d.deadline)]],
    action: { label: 'Open the review', url: d.url },
    footer: 'You receive this because you own these grants or sponsor the review.',
  }),
};
