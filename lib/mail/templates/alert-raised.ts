import { z } from 'zod';
import { mailDate, type MailTemplate } from './content';

export const alertRaisedData = z.object({
  alertId: z.string().min(1).max(64),
  /** What the rule saw, in one line ("guest x downloaded 21 documents in 10 minutes"). */
  title: z.string().trim().min(1).max(300),
  ruleLabel: z.string().trim().min(1).max(120),
  subject: z.string().trim().min(1).max(320),
  raisedAt: z.coerce.date(),
  facts: z.array(z.tuple([z.string().max(80), z.string().max(300)])).max(8).default([]),
});
export type AlertRaisedData = z.input<typeof alertRaisedData>;

/** An anomaly alert (lib/alerts) to the organisation's administrators. */
export const alertRaised: MailTemplate<z.output<typeof alertRaisedData>> = {
  label: 'Anomaly alert',
  parse: (d) => alertRaisedData.parse(d),
  content: (d, ctx) => ({
    subject: `Alert: ${d.title}`,
    preheader: `${d.ruleLabel}: ${d.subject}.`,
    heading: 'An anomaly alert was raised',
    paragraphs: [`${d.title}. Review the activity in the console, and acknowledge the alert once it has been looked at.`],
    details: [['Rule', d.ruleLabel], ['About', d.subject], ...d.facts, ['Raised', mailDate(d.raisedAt)]],
    action: { label: 'Open the alert', url: `${ctx.publicUrl}/alerts?alert=${encodeURIComponent(d.alertId)}` },
    footer: `You are receiving this because you are an administrator of ${ctx.brand.orgName}. Alert rules are under Settings → Alert rules.`,
  }),
};
