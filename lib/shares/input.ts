import { z } from 'zod';
import { domainToASCII } from 'node:url';
import { idSchema } from '../http/ids';
import { normaliseEmail } from '../mail/address';

/** Markup in free text is kept as typed and always rendered as text; only controls are removed. */
export const plainText = (max: number) => z.string().max(max).transform((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim());

// Addresses as Liaison compares them: lower-case, IDN domains in punycode, control characters refused.
export const email = z.string().max(320).transform((s, ctx) => {
  try { return normaliseEmail(s).address; } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : 'Each recipient must be an email address' });
    return z.NEVER;
  }
});
// A domain whose addresses may prove themselves (VERIFIED_EMAIL): ASCII (punycode) and lower-case.
export const domain = z.string().trim().toLowerCase().max(253).transform((s, ctx) => {
  const ascii = domainToASCII(s.replace(/^@/, ''));
  if (!ascii || !/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/.test(ascii)) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a domain name` });
    return z.NEVER;
  }
  return ascii;
});
export const AudienceEnum = z.enum(['ANYONE_WITH_LINK', 'VERIFIED_EMAIL', 'INVITED']);
export const country = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Countries are ISO 3166-1 alpha-2 codes, e.g. GB');
export const device = z.enum(['desktop', 'mobile', 'tablet']);
const future = z.coerce.date();

export const PermissionEnum = z.enum(['VIEW', 'COMMENT', 'EDIT']);

// Secure defaults: no download, no print, watermark on. Staff opt in to anything looser.
export const createShareInput = z.object({
  documentIds: z.array(idSchema).min(1, 'Choose at least one document').max(100),
  permission: PermissionEnum.default('VIEW'),
  allowDownload: z.boolean().default(false),
  allowPrint: z.boolean().default(false),
  watermark: z.boolean().default(true),
  expiresAt: future.optional(),
  password: z.string().min(8, 'Passwords need at least 8 characters').max(256).optional(),
  termsVersionId: idSchema.optional(),
  allowedIpRanges: z.array(z.string().trim().max(64)).max(50).default([]),
  allowedCountries: z.array(country).max(250).default([]),
  allowedDevices: z.array(device).max(3).default([]),
  // Proof of possession of an approved device key on every request (lib/devices); off by default.
  requireDevice: z.boolean().default(false),
  recipients: z.array(email).max(50).default([]),
  message: plainText(2000).optional(),
  audience: AudienceEnum.default('ANYONE_WITH_LINK'),
  allowedDomains: z.array(domain).max(20).default([]),
  // Real time (docs/COLLABORATION.md): guests see each other's presence; an information barrier
  // keeps them from seeing each other at all (presence, comments, questions). Both off by default.
  showGuestPresence: z.boolean().default(false),
  keepPartiesApart: z.boolean().default(false),
  // 28 CFR Part 23: why these recipients need and have a right to criminal intelligence (docs/CRIMINAL-INTELLIGENCE.md).
  needToKnow: plainText(2000).optional(),
}).superRefine((s, ctx) => audienceRules(s, ctx));
export type CreateShareInput = z.input<typeof createShareInput>;

export const updateShareInput = z.object({
  permission: PermissionEnum.optional(),
  allowDownload: z.boolean().optional(),
  allowPrint: z.boolean().optional(),
  watermark: z.boolean().optional(),
  expiresAt: future.optional(),
  // null removes the password; a string sets a new one (and ends sessions opened with the old).
  password: z.string().min(8, 'Passwords need at least 8 characters').max(256).nullable().optional(),
  termsVersionId: idSchema.nullable().optional(),
  allowedIpRanges: z.array(z.string().trim().max(64)).max(50).optional(),
  allowedCountries: z.array(country).max(250).optional(),
  allowedDevices: z.array(device).max(3).optional(),
  requireDevice: z.boolean().optional(),
  recipients: z.array(email).max(50).optional(),
  message: plainText(2000).nullable().optional(),
  audience: AudienceEnum.optional(),
  allowedDomains: z.array(domain).max(20).optional(),
  showGuestPresence: z.boolean().optional(),
  keepPartiesApart: z.boolean().optional(),
  needToKnow: plainText(2000).nullable().optional(),
});
export type UpdateShareInput = z.input<typeof updateShareInput>;

export const listSharesInput = z.object({
  status: z.enum(['ACTIVE', 'EXPIRED', 'REVOKED']).optional(),
  q: z.string().trim().max(200).optional(),
  documentId: idSchema.optional(),
  first: z.coerce.number().int().min(1).max(100).default(25),
  after: idSchema.optional(),
});

type AudienceFields = { audience?: z.infer<typeof AudienceEnum>; password?: string | null; recipients?: string[]; allowedDomains?: string[] };

/**
 * What each audience needs. An identified audience replaces the link password (each guest proves
 * themselves), so it carries none; INVITED needs someone to invite; VERIFIED_EMAIL needs addresses or
 * domains that may ask for a code. Also checked against the stored share on update (lib/shares/service.ts).
 */
export function audienceRules(s: AudienceFields, ctx: z.RefinementCtx): void {
  if (!s.audience || s.audience === 'ANYONE_WITH_LINK') return;
  if (s.password) ctx.addIssue({ code: 'custom', path: ['password'], message: 'A share for verified or invited people has no link password: each guest proves who they are.' });
  if (s.audience === 'INVITED' && !(s.recipients?.length)) ctx.addIssue({ code: 'custom', path: ['recipients'], message: 'Name at least one person to invite.' });
  if (s.audience === 'VERIFIED_EMAIL' && !(s.recipients?.length) && !(s.allowedDomains?.length)) {
    ctx.addIssue({ code: 'custom', path: ['recipients'], message: 'Name the people or the email domains that may open this share.' });
  }
}
