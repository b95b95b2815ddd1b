import type { Tlp as TlpValue } from '../../generated/prisma/enums';
import { ALERT_STATES, acknowledgeAlert, alertCounts, listAlerts, type AlertView } from '../../alerts/service';
import { getAlertRules, updateAlertRules, type AlertRules as AlertRulesShape } from '../../alerts/rules';
import { getRetentionPolicy, TLPS, updateRetentionPolicy, type RetentionPolicy as Policy } from '../../retention/policy';
import { retentionDryRun } from '../../retention/run';
import type { RetentionPlan as Plan } from '../../retention/plan';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageComplexity, pageSize } from '../connection';
import { Tlp } from './enums';
import { DateTime, Json } from './scalars';

// ---- retention (docs/RETENTION.md) ----

const RetentionRule = builder.objectRef<{ tlp: TlpValue; documentDays: number | null; shareDays: number | null }>('RetentionRule').implement({
  description: 'Retention periods for one TLP marking; null: never purged.',
  fields: (t) => ({
    tlp: t.field({ type: Tlp, resolve: (r) => r.tlp }),
    documentDays: t.exposeInt('documentDays', { nullable: true, description: 'Documents go this many days after their last upload.' }),
    shareDays: t.exposeInt('shareDays', { nullable: true, description: 'Ended shares (expired or revoked) go this many days after they ended.' }),
  }),
});

const RetentionPolicy = builder.objectRef<Policy>('RetentionPolicy').implement({
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled', { description: 'The scheduled job applies the policy only when it is on; a dry run works either way.' }),
    rules: t.field({ type: [RetentionRule], description: 'One per TLP marking.', resolve: (p) => TLPS.map((tlp) => ({ tlp, ...p.tlpRules[tlp] })) }),
    guestDays: t.exposeInt('guestDays', { nullable: true, description: 'Guests are anonymised after this many days without activity.' }),
    sessionDays: t.exposeInt('sessionDays', { nullable: true, description: 'Guest sessions lose their IP address and browser this many days after they were last seen.' }),
    updatedAt: t.field({ type: DateTime, nullable: true, resolve: (p) => p.updatedAt }),
    lastRunAt: t.field({ type: DateTime, nullable: true, resolve: (p) => p.lastRunAt }),
  }),
});

const RetentionDocument = builder.objectRef<Plan['documents'][number] | Plan['heldDocuments'][number]>('RetentionDocument').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    tlp: t.field({ type: Tlp, resolve: (d) => d.tlp }),
    lastUploadAt: t.field({ type: DateTime, resolve: (d) => d.lastUploadAt }),
    heldBecause: t.string({ nullable: true, description: 'in_active_share or in_portal: past its period, but kept while exposed.', resolve: (d) => ('reason' in d ? d.reason : null) }),
  }),
});

const RetentionShare = builder.objectRef<Plan['shares'][number]>('RetentionShare').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    tlp: t.field({ type: Tlp, nullable: true, resolve: (s) => s.tlp }),
    state: t.exposeString('state', { description: 'EXPIRED or REVOKED.' }),
    endedAt: t.field({ type: DateTime, resolve: (s) => s.endedAt }),
  }),
});

const RetentionGuest = builder.objectRef<Plan['guests'][number]>('RetentionGuest').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    label: t.exposeString('label', { description: 'The address or name that anonymisation would replace.' }),
    lastActivityAt: t.field({ type: DateTime, resolve: (g) => g.lastActivityAt }),
  }),
});

const RetentionPlan = builder.objectRef<Plan>('RetentionPlan').implement({
  description: 'What a retention run would do now. Reading it changes nothing.',
  fields: (t) => ({
    at: t.field({ type: DateTime, resolve: (p) => p.at }),
    policyEnabled: t.boolean({ resolve: (p) => p.policy.enabled }),
    documents: t.field({ type: [RetentionDocument], description: 'Documents that would be purged (rows and encrypted content).', resolve: (p) => p.documents }),
    heldDocuments: t.field({ type: [RetentionDocument], resolve: (p) => p.heldDocuments }),
    shares: t.field({ type: [RetentionShare], resolve: (p) => p.shares }),
    guests: t.field({ type: [RetentionGuest], description: 'Guests that would be anonymised.', resolve: (p) => p.guests }),
    sessionCount: t.int({ description: 'Guest sessions whose IP address and browser would be replaced.', resolve: (p) => p.sessions.length }),
    truncated: t.exposeBoolean('truncated', { description: 'More is due than one run handles (500 of each kind); the next run continues.' }),
  }),
});

const RetentionRuleInput = builder.inputType('RetentionRuleInput', {
  fields: (t) => ({
    tlp: t.field({ type: Tlp, required: true }),
    documentDays: t.int({ required: false, description: '1 to 36500; null: never.' }),
    shareDays: t.int({ required: false, description: '0 to 36500; null: never.' }),
  }),
});

const RetentionPolicyInput = builder.inputType('RetentionPolicyInput', {
  fields: (t) => ({
    enabled: t.boolean({ required: true }),
    rules: t.field({ type: [RetentionRuleInput], required: false, description: 'Markings not listed have no periods.' }),
    guestDays: t.int({ required: false }),
    sessionDays: t.int({ required: false }),
  }),
});

// ---- alerts (docs/ALERTS.md) ----

const Alert = builder.objectRef<AlertView>('Alert').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    rule: t.exposeString('rule', { description: 'downloads, new_country, share_refusals or guest_ips.' }),
    ruleLabel: t.exposeString('ruleLabel'),
    title: t.exposeString('title'),
    subject: t.exposeString('subject', { description: 'Whom or what it is about (a guest, a share).' }),
    guestId: t.exposeString('guestId', { nullable: true }),
    shareId: t.exposeString('shareId', { nullable: true }),
    windowStart: t.field({ type: DateTime, resolve: (a) => a.windowStart }),
    windowEnd: t.field({ type: DateTime, resolve: (a) => a.windowEnd }),
    raisedAt: t.field({ type: DateTime, resolve: (a) => a.raisedAt }),
    acknowledgedAt: t.field({ type: DateTime, nullable: true, resolve: (a) => a.acknowledgedAt }),
    acknowledgedBy: t.exposeString('acknowledgedByName', { nullable: true }),
    details: t.field({ type: Json, resolve: (a) => a.details }),
  }),
});
const AlertConnection = connectionType('Alert', Alert);
const AlertState = builder.enumType('AlertState', { values: ALERT_STATES });

const CountRule = builder.objectRef<{ enabled: boolean; count: number; minutes?: number }>('AlertCountRule').implement({
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled'),
    count: t.exposeInt('count', { description: 'The alert is raised when the count goes above this.' }),
    minutes: t.int({ nullable: true, description: 'The sliding window; null for the per-day rule.', resolve: (r) => r.minutes ?? null }),
  }),
});
const AlertRules = builder.objectRef<AlertRulesShape>('AlertRules').implement({
  fields: (t) => ({
    downloads: t.field({ type: CountRule, description: 'One guest downloads more than count documents within minutes.', resolve: (r) => r.downloads }),
    newCountry: t.boolean({ description: 'A guest opens a session from a country none of their earlier sessions came from.', resolve: (r) => r.newCountry.enabled }),
    shareRefusals: t.field({ type: CountRule, description: 'More than count refusals on one share within minutes.', resolve: (r) => r.shareRefusals }),
    guestIps: t.field({ type: CountRule, description: 'One guest from more than count IP addresses in a day (UTC).', resolve: (r) => r.guestIps }),
  }),
});
const CountRuleInput = builder.inputType('AlertCountRuleInput', {
  fields: (t) => ({ enabled: t.boolean({ required: true }), count: t.int({ required: true }), minutes: t.int({ required: false }) }),
});
const AlertRulesInput = builder.inputType('AlertRulesInput', {
  fields: (t) => ({
    downloads: t.field({ type: CountRuleInput, required: true }),
    newCountry: t.boolean({ required: true }),
    shareRefusals: t.field({ type: CountRuleInput, required: true }),
    guestIps: t.field({ type: CountRuleInput, required: true, description: 'minutes is ignored: the window is a day.' }),
  }),
});

const AlertCounts = builder.objectRef<{ open: number; acknowledged: number }>('AlertCounts').implement({
  fields: (t) => ({ open: t.exposeInt('open'), acknowledged: t.exposeInt('acknowledged') }),
});

builder.queryFields((t) => ({
  retentionPolicy: t.field({ type: RetentionPolicy, authScopes: { 'audit:read': true }, resolve: (_r, _a, ctx) => getRetentionPolicy(ctx.principal) }),
  retentionDryRun: t.field({
    type: RetentionPlan,
    description: 'Exactly what the next retention run would purge or anonymise, without changing anything.',
    authScopes: { 'audit:read': true },
    resolve: (_r, _a, ctx) => retentionDryRun(ctx.principal),
  }),
  alerts: t.field({
    type: AlertConnection,
    description: 'Anomaly alerts, newest first (default: open ones).',
    authScopes: { 'audit:read': true },
    args: { ...pageArgs(t.arg, 100), state: t.arg({ type: AlertState, required: false }) },
    complexity: pageComplexity(50, 100),
    resolve: async (_r, a, ctx) => {
      const page = await listAlerts(ctx.principal, { first: pageSize(a.first, 100), after: decodeIdCursor('alert', a.after), state: a.state ?? undefined });
      return { nodes: page.nodes, hasNextPage: page.hasNextPage, cursorOf: (n) => encodeIdCursor('alert', n.id) };
    },
  }),
  alertCounts: t.field({ type: AlertCounts, authScopes: { 'audit:read': true }, resolve: (_r, _a, ctx) => alertCounts(ctx.principal) }),
  alertRules: t.field({ type: AlertRules, authScopes: { 'audit:read': true }, resolve: (_r, _a, ctx) => getAlertRules(ctx.principal) }),
}));

builder.mutationFields((t) => ({
  updateRetentionPolicy: t.field({
    type: RetentionPolicy,
    description: 'Replaces the retention policy as a whole (admins).',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RetentionPolicyInput, required: true }) },
    resolve: (_r, a, ctx) => updateRetentionPolicy(ctx.principal, {
      enabled: a.input.enabled,
      tlpRules: Object.fromEntries((a.input.rules ?? []).map((r) => [r.tlp, { documentDays: r.documentDays ?? null, shareDays: r.shareDays ?? null }])),
      guestDays: a.input.guestDays ?? null,
      sessionDays: a.input.sessionDays ?? null,
    }),
  }),
  updateAlertRules: t.field({
    type: AlertRules,
    description: 'Replaces the anomaly alert rules (admins). Turning alerting on starts at the current end of the audit trail.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: AlertRulesInput, required: true }) },
    resolve: (_r, a, ctx) => updateAlertRules(ctx.principal, {
      downloads: { enabled: a.input.downloads.enabled, count: a.input.downloads.count, minutes: a.input.downloads.minutes ?? undefined },
      newCountry: { enabled: a.input.newCountry },
      shareRefusals: { enabled: a.input.shareRefusals.enabled, count: a.input.shareRefusals.count, minutes: a.input.shareRefusals.minutes ?? undefined },
      guestIps: { enabled: a.input.guestIps.enabled, count: a.input.guestIps.count },
    }),
  }),
  acknowledgeAlert: t.field({
    type: Alert,
    description: 'Marks an alert as looked at (admins), with an optional note kept in the audit trail.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => acknowledgeAlert(ctx.principal, a.id, a.note ?? undefined),
  }),
}));
