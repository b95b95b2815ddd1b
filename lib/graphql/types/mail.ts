import { getMailMessage, listMailMessages, mailCounts, mailDelivery, retryMail, type MailMessageView } from '../../mail/messages';
import { MAIL_STATUSES } from '../../mail/status';
import { getNotificationSettings, updateMailBranding, updateNotificationSettings } from '../../notifications/settings';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageSize } from '../connection';
import { DateTime } from './scalars';

const MailStatus = builder.enumType('MailStatus', {
  description: 'QUEUED (waiting, or retrying after a failure), SENDING, SENT, FAILED (permanently), OUTBOX (development outbox: SMTP_URL unset, never delivered).',
  values: MAIL_STATUSES,
});

type MessageDetail = Awaited<ReturnType<typeof getMailMessage>>;

export const MailMessage = builder.objectRef<MailMessageView & Partial<Pick<MessageDetail, 'text' | 'html' | 'masked'>>>('MailMessage').implement({
  description: 'A mail Liaison sent or will send (admins).',
  fields: (t) => ({
    id: t.exposeID('id'),
    to: t.exposeString('to', { description: 'Address as sent: lower case, domain in punycode (xn--…) when internationalised.' }),
    toDisplay: t.exposeString('toDisplay', { description: 'The same address with the domain in Unicode.' }),
    toName: t.exposeString('toName', { nullable: true }),
    lookalikeDomain: t.boolean({ description: 'The domain mixes scripts or imitates Latin letters (e.g. a Cyrillic а): a possible look-alike.', resolve: (m) => m.toMixedScript }),
    template: t.exposeString('template', { description: 'email_code, invitation, first_access, share_expiry_reminder, guest_expiry_reminder or access_revoked.' }),
    subject: t.exposeString('subject'),
    from: t.exposeString('fromAddress'),
    status: t.field({ type: MailStatus, resolve: (m) => m.status }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
    nextAttemptAt: t.field({ type: DateTime, nullable: true, description: 'When a queued mail is tried (again).', resolve: (m) => m.nextAttemptAt }),
    createdAt: t.field({ type: DateTime, resolve: (m) => m.createdAt }),
    sentAt: t.field({ type: DateTime, nullable: true, resolve: (m) => m.sentAt }),
    text: t.string({ description: 'Text part. Codes and secret links are masked unless the mail is in the development outbox.', resolve: async (m, _a, ctx) => m.text ?? (await getMailMessage(ctx.principal, m.id)).text }),
    html: t.string({ description: 'HTML part, masked like `text`. Render it sandboxed.', resolve: async (m, _a, ctx) => m.html ?? (await getMailMessage(ctx.principal, m.id)).html }),
    masked: t.boolean({ description: 'text and html hide a code or link that only the recipient sees.', resolve: async (m, _a, ctx) => m.masked ?? (await getMailMessage(ctx.principal, m.id)).masked }),
  }),
});

const MailMessageConnection = connectionType('MailMessage', MailMessage);

const MailDelivery = builder.objectRef<ReturnType<typeof mailDelivery> & { counts: Record<string, number> }>('MailDelivery').implement({
  description: 'How this installation sends mail.',
  fields: (t) => ({
    mode: t.string({ description: 'smtp, or outbox when SMTP_URL is unset (nothing is delivered).', resolve: (d) => d.mode }),
    server: t.exposeString('server', { nullable: true, description: 'SMTP server, without credentials.' }),
    from: t.exposeString('from'),
    queued: t.int({ resolve: (d) => d.counts.QUEUED }),
    sending: t.int({ resolve: (d) => d.counts.SENDING }),
    sent: t.int({ resolve: (d) => d.counts.SENT }),
    failed: t.int({ resolve: (d) => d.counts.FAILED }),
    outbox: t.int({ resolve: (d) => d.counts.OUTBOX }),
  }),
});

const NotificationSettings = builder.objectRef<Awaited<ReturnType<typeof getNotificationSettings>>>('NotificationSettings').implement({
  description: 'What Liaison tells people, and how its mail looks (admins).',
  fields: (t) => ({
    notifyFirstAccess: t.exposeBoolean('notifyFirstAccess', { description: "Mail a share's owner when a guest opens it for the first time." }),
    reminderDays: t.exposeInt('reminderDays', { description: 'Expiry reminders this many days before a share or guest account expires; 0: none.' }),
    notifyGuestOnRevoke: t.exposeBoolean('notifyGuestOnRevoke', { description: 'Tell recipients and guests when their access is revoked.' }),
    brandColor: t.exposeString('brandColor', { description: 'Mail header colour, #rrggbb.' }),
    accentColor: t.exposeString('accentColor', { description: 'Mail button and link colour, #rrggbb.' }),
  }),
});

const NotificationSettingsInput = builder.inputType('NotificationSettingsInput', {
  fields: (t) => ({
    notifyFirstAccess: t.boolean(),
    reminderDays: t.int({ description: '0 to 90; 0 turns reminders off.' }),
    notifyGuestOnRevoke: t.boolean(),
  }),
});

const orUndefined = <T>(v: T | null | undefined) => (v === null ? undefined : v);

builder.queryFields((t) => ({
  mailMessages: t.field({
    type: MailMessageConnection,
    description: 'Mail of your organisation, newest first (admins).',
    authScopes: { admin: true },
    args: { ...pageArgs(t.arg, 100), status: t.arg({ type: MailStatus, required: false }) },
    resolve: async (_r, a, ctx) => {
      const page = await listMailMessages(ctx.principal, { first: pageSize(a.first, 100), after: decodeIdCursor('mail', a.after), status: a.status ?? undefined });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (n) => encodeIdCursor('mail', n.id) };
    },
  }),
  mailMessage: t.field({
    type: MailMessage,
    description: 'One mail with its body (admins).',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getMailMessage(ctx.principal, a.id),
  }),
  mailDelivery: t.field({
    type: MailDelivery,
    authScopes: { admin: true },
    resolve: async (_r, _a, ctx) => ({ ...mailDelivery(), counts: await mailCounts(ctx.principal) }),
  }),
  notificationSettings: t.field({
    type: NotificationSettings,
    authScopes: { admin: true },
    resolve: (_r, _a, ctx) => getNotificationSettings(ctx.principal),
  }),
}));

builder.mutationFields((t) => ({
  retryMail: t.field({
    type: MailMessage,
    description: 'Sends a failed (or waiting) mail again now, with a fresh allowance of attempts. Not for the development outbox.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => retryMail(ctx.principal, a.id),
  }),
  updateNotificationSettings: t.field({
    type: NotificationSettings,
    description: 'Changes the fields given; the others stay.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: NotificationSettingsInput, required: true }) },
    resolve: (_r, a, ctx) => updateNotificationSettings(ctx.principal, { notifyFirstAccess: orUndefined(a.input.notifyFirstAccess), reminderDays: orUndefined(a.input.reminderDays), notifyGuestOnRevoke: orUndefined(a.input.notifyGuestOnRevoke) }),
  }),
  updateMailBranding: t.field({
    type: NotificationSettings,
    description: 'Mail colours, as #rrggbb. The accent (buttons) needs a contrast of at least 3:1 with white.',
    authScopes: { admin: true },
    args: { brandColor: t.arg.string({ required: true }), accentColor: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => updateMailBranding(ctx.principal, { brandColor: a.brandColor, accentColor: a.accentColor }),
  }),
}));
