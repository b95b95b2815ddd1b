import { z } from 'zod';
import { idSchema } from '../http/ids';
import { TLP_ORDER } from '../policy/types';

/** The kinds of external access the review lists: each is revoked through its own lib function. */
export const GRANT_KINDS = ['share', 'portal_grant', 'guest', 'session', 'device'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

export const GRANT_KIND_LABELS: Record<GrantKind, string> = {
  share: 'Share', portal_grant: 'Portal grant', guest: 'Guest account', session: 'Guest session', device: 'Device',
};

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The access-review filters. They choose the rows of the page, the targets of a bulk action and the
 * scope of a campaign alike, so "what the admin saw" is what the action or campaign covers.
 */
export const grantFilters = z.object({
  kinds: z.array(z.enum(GRANT_KINDS)).min(1).max(GRANT_KINDS.length).optional(),
  /** No access in the last N days (never used counts when the grant is older than that). */
  noAccessDays: z.coerce.number().int().min(1).max(3650).optional(),
  neverUsed: z.boolean().optional(),
  noExpiry: z.boolean().optional(),
  expiringWithinDays: z.coerce.number().int().min(1).max(365).optional(),
  /** Classification at or above this marking (the highest current version the grant reaches). */
  minTlp: z.enum(TLP_ORDER).optional(),
  /** An external email domain the grant names or whose guest it is. */
  domain: z.string().trim().toLowerCase().regex(DOMAIN, 'domain: a domain name such as example.org').optional(),
  partnerOrgId: idSchema.optional(),
  ownerId: idSchema.optional(),
}).strict();
export type GrantFilters = z.infer<typeof grantFilters>;

export const listGrantsInput = grantFilters.extend({
  first: z.number().int().min(1).max(200).default(50),
  after: z.string().max(200).optional(),
}).strict();

export const grantRef = z.object({ kind: z.enum(GRANT_KINDS), id: idSchema }).strict();
export type GrantRef = z.infer<typeof grantRef>;

export const BULK_ACTIONS = ['revoke', 'extend', 'permission'] as const;
export type BulkActionName = (typeof BULK_ACTIONS)[number];

const reason = z.string().trim().max(500);
const notice = z.string().trim().max(2000);

/** What a bulk action does, whichever grants it acts on. */
const bulkOptions = {
  action: z.enum(BULK_ACTIONS),
  expiresAt: z.coerce.date().optional(),
  permission: z.enum(['VIEW', 'COMMENT', 'EDIT']).optional(),
  reason: reason.optional(),
  /** When given, every affected guest is told by mail (through the mail queue), with this text. */
  notice: notice.optional(),
};
function needsItsValue(v: { action: BulkActionName; expiresAt?: Date; permission?: string }, ctx: z.RefinementCtx) {
  if (v.action === 'extend' && !v.expiresAt) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'Extending needs the new expiry.' });
  if (v.action === 'permission' && !v.permission) ctx.addIssue({ code: 'custom', path: ['permission'], message: 'Changing the permission needs the new permission.' });
}

/** A bulk action on the rows the admin selected (at most a few pages). */
export const bulkActionInput = z.object({ ...bulkOptions, items: z.array(grantRef).min(1).max(500) }).strict().superRefine(needsItsValue);
export type BulkActionInput = z.infer<typeof bulkActionInput>;

/** The most grants one "all matching" bulk action may cover: beyond it, narrow the filters and act in parts. */
export const BULK_ALL_MAX = 10_000;

/**
 * A bulk action on every grant the filters match ("select all N matching"). The grants are found again
 * on the server from the filters, never from a list of ids the client sends; `expectedCount` is the
 * count the admin confirmed, and the action is refused when the filters now match a different number.
 */
export const bulkAllMatchingInput = z.object({
  ...bulkOptions,
  filters: grantFilters.default({}),
  expectedCount: z.number().int().min(1).max(1_000_000),
}).strict().superRefine(needsItsValue);
export type BulkAllMatchingInput = z.infer<typeof bulkAllMatchingInput>;

export const startCampaignInput = z.object({
  name: z.string().trim().min(1).max(200),
  scope: grantFilters.default({}),
  deadline: z.coerce.date(),
  sponsorId: idSchema.nullable().optional(),
  autoRevoke: z.boolean().default(true),
}).strict();

export const DECISIONS = ['KEEP', 'REVOKE', 'CHANGE'] as const;
export const decideItemInput = z.object({
  decision: z.enum(DECISIONS),
  reason: z.string().trim().min(1, 'Give a reason for the decision.').max(500),
  expiresAt: z.coerce.date().optional(),
  permission: z.enum(['VIEW', 'COMMENT', 'EDIT']).optional(),
}).strict().superRefine((v, ctx) => {
  if (v.decision === 'CHANGE' && !v.expiresAt && !v.permission) ctx.addIssue({ code: 'custom', path: ['decision'], message: 'A change needs a new expiry or a new permission.' });
});

export const explainInput = z.object({
  guestId: idSchema,
  documentId: idSchema,
  action: z.enum(['view', 'download', 'comment', 'edit']).default('view'),
}).strict();
