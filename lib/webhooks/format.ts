import crypto from 'node:crypto';
import type { WebhookFormat } from '../generated/prisma/enums';
import type { WebhookEvent } from './events';

/** `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the webhook's secret (the whole whsec_… string). */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = crypto.createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Slack mrkdwn: &, < and > are the only characters that must be escaped (and they stop link and mention injection). */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slackBody(e: WebhookEvent) {
  const s = e.summary;
  const fields = (s.facts ?? []).slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: `*${slackEscape(k)}*\n${slackEscape(v)}` }));
  return {
    // Shown in notifications and by clients that do not render blocks.
    text: slackEscape(`${s.title}${s.text ? ` — ${s.text}` : ''}`).slice(0, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(s.title)}*${s.text ? `\n${slackEscape(s.text)}` : ''}`.slice(0, 3000) } },
      ...(fields.length ? [{ type: 'section', fields }] : []),
      ...(s.url ? [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Liaison' }, url: s.url }] }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(`${e.organization.name} · ${e.type} · ${e.createdAt}`) }] },
    ],
  };
}

/** A Teams (Workflows / incoming webhook) message carrying one Adaptive Card. */
function teamsBody(e: WebhookEvent) {
  const s = e.summary;
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', text: s.title, weight: 'Bolder', size: 'Medium', wrap: true },
          ...(s.text ? [{ type: 'TextBlock', text: s.text, wrap: true }] : []),
          ...(s.facts?.length ? [{ type: 'FactSet', facts: s.facts.map(([title, value]) => ({ title, value })) }] : []),
          { type: 'TextBlock', text: `${e.organization.name} · ${e.type} · ${e.createdAt}`, isSubtle: true, size: 'Small', wrap: true },
        ],
        ...(s.url ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in Liaison', url: s.url }] } : {}),
      },
    }],
  };
}

/** The JSON body for the webhook's format. */
export function webhookBody(format: WebhookFormat, e: WebhookEvent): string {
  switch (format) {
    case 'SLACK': return JSON.stringify(slackBody(e));
    case 'TEAMS': return JSON.stringify(teamsBody(e));
    case 'JSON': return JSON.stringify({ id: e.id, type: e.type, createdAt: e.createdAt, organization: e.organization, data: e.data, summary: e.summary });
  }
}
