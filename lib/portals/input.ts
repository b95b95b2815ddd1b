import { z } from 'zod';
import { idSchema } from '../http/ids';
import { country, device, domain, email, PermissionEnum, plainText } from '../shares/input';
import { normaliseHex } from './contrast';
import { slugSchema } from './slug';

const hex = z.string().max(16).transform((s, ctx) => {
  const v = normaliseHex(s);
  if (!v) { ctx.addIssue({ code: 'custom', message: 'Colours are hex values such as #1f3a5f.' }); return z.NEVER; }
  return v;
});
const name = plainText(120).pipe(z.string().min(2, 'A portal needs a name of at least 2 characters.'));
const supportEmail = z.union([z.literal('').transform(() => null), email]);

/**
 * Portal fields as staff type them. Welcome text and footer are plain text, rendered as text (never
 * HTML) on the portal; the footer holds the legal notice, so it is allowed to be long.
 */
export const createPortalInput = z.object({
  name,
  slug: slugSchema,
  primaryColor: hex.default('#1f3a5f'),
  accentColor: hex.default('#b4471f'),
  welcome: plainText(2000).default(''),
  footer: plainText(4000).default(''),
  supportEmail: supportEmail.nullable().optional(),
});
export type CreatePortalInput = z.input<typeof createPortalInput>;

/** Omitted fields stay as they are; supportEmail null (or '') removes the address. */
export const updatePortalInput = z.object({
  name: name.optional(),
  slug: slugSchema.optional(),
  primaryColor: hex.optional(),
  accentColor: hex.optional(),
  welcome: plainText(2000).optional(),
  footer: plainText(4000).optional(),
  supportEmail: supportEmail.nullable().optional(),
});
export type UpdatePortalInput = z.input<typeof updatePortalInput>;

export const listPortalsInput = z.object({
  first: z.coerce.number().int().min(1).max(100).default(50),
  after: idSchema.optional(),
  includeArchived: z.boolean().default(true),
});

export const sectionName = plainText(120).pipe(z.string().min(1, 'A section needs a name.'));

// SSO group names as identity providers send them (case kept: IdPs compare them exactly).
const group = z.string().trim().min(1).max(200);

/**
 * Who may enter and what they may do, with the same conditions as a share. sectionIds omitted or
 * empty means every section of the portal, including sections added later (allSections).
 * Secure defaults as for shares: view only, no download, no print, watermark on.
 */
export const portalGrantInput = z.object({
  emails: z.array(email).max(200).default([]),
  domains: z.array(domain).max(50).default([]),
  partnerOrgId: idSchema.nullable().optional(),
  groups: z.array(group).max(50).default([]),
  sectionIds: z.array(idSchema).max(200).default([]),
  permission: PermissionEnum.default('VIEW'),
  allowDownload: z.boolean().default(false),
  allowPrint: z.boolean().default(false),
  watermark: z.boolean().default(true),
  expiresAt: z.coerce.date().optional(),
  termsVersionId: idSchema.nullable().optional(),
  requireDevice: z.boolean().default(false),
  allowedIpRanges: z.array(z.string().trim().max(64)).max(50).default([]),
  allowedCountries: z.array(country).max(250).default([]),
  allowedDevices: z.array(device).max(3).default([]),
  // Real time (docs/COLLABORATION.md): presence between the grant's guests, and the information barrier.
  showGuestPresence: z.boolean().default(false),
  keepPartiesApart: z.boolean().default(false),
  // 28 CFR Part 23: why these grantees need and have a right to criminal intelligence in the sections.
  needToKnow: plainText(2000).optional(),
}).superRefine((g, ctx) => {
  if (!g.emails.length && !g.domains.length && !g.partnerOrgId && !g.groups.length) {
    ctx.addIssue({ code: 'custom', path: ['emails'], message: 'Name who gets access: email addresses, email domains, a partner organisation or SSO groups.' });
  }
  if (g.groups.length && !g.partnerOrgId) {
    // Group names come from a partner's identity provider; without the partner they would match any IdP's groups.
    ctx.addIssue({ code: 'custom', path: ['groups'], message: 'SSO groups belong to a partner organisation: choose the partner whose identity provider sends them.' });
  }
});
export type PortalGrantInput = z.input<typeof portalGrantInput>;

/** The real-time flags of an existing grant; omitted ones stay as they are. */
export const portalGrantCollaborationInput = z.object({
  showGuestPresence: z.boolean().optional(),
  keepPartiesApart: z.boolean().optional(),
}).strict();

/** A grant's term and permission (extend, narrow or widen); omitted ones stay as they are. */
export const portalGrantTermsInput = z.object({
  expiresAt: z.coerce.date().optional(),
  permission: PermissionEnum.optional(),
}).strict().refine((v) => v.expiresAt !== undefined || v.permission !== undefined, { message: 'Give a new expiry or a new permission.' });
