import { z } from 'zod';
import { idSchema } from '../http/ids';

/** Markup in free text is kept as typed and always rendered as text; only controls are removed. */
const plainText = (max: number) => z.string().max(max).transform((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim());

const email = z.string().trim().toLowerCase().email('Each recipient must be an email address').max(254);
const country = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Countries are ISO 3166-1 alpha-2 codes, e.g. GB');
const device = z.enum(['desktop', 'mobile', 'tablet']);
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
  recipients: z.array(email).max(50).default([]),
  message: plainText(2000).optional(),
});
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
  recipients: z.array(email).max(50).optional(),
  message: plainText(2000).nullable().optional(),
});
export type UpdateShareInput = z.input<typeof updateShareInput>;

export const listSharesInput = z.object({
  status: z.enum(['ACTIVE', 'EXPIRED', 'REVOKED']).optional(),
  q: z.string().trim().max(200).optional(),
  documentId: idSchema.optional(),
  first: z.coerce.number().int().min(1).max(100).default(25),
  after: idSchema.optional(),
});
