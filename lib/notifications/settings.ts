import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { colorSchema, contrastRatio } from '../mail/brand';

const settingsSelect = { notifyFirstAccess: true, reminderDays: true, notifyGuestOnRevoke: true, brandColor: true, accentColor: true, name: true } as const;

export const notificationSettingsInput = z.object({
  notifyFirstAccess: z.boolean().optional(),
  /** 0 turns reminders off. */
  reminderDays: z.number().int('Use whole days').min(0, 'At least 0 (off)').max(90, 'At most 90 days').optional(),
  notifyGuestOnRevoke: z.boolean().optional(),
});

export const mailBrandingInput = z.object({ brandColor: colorSchema, accentColor: colorSchema })
  // Buttons carry white or dark text, whichever reads better; a colour too close to white leaves a
  // button on a white mail unreadable as a button.
  .refine((v) => contrastRatio(v.accentColor, '#ffffff') >= 3, { path: ['accentColor'], message: 'Choose a darker accent colour: buttons must stand out from the white page (contrast of at least 3:1)' });

/** The organisation's notification settings and mail branding (admins). */
export async function getNotificationSettings(p: Principal) {
  authorize(p, 'admin');
  const org = await prisma().organization.findUnique({ where: { id: p.orgId }, select: settingsSelect });
  if (!org) throw new AppError('not_found', 'No such organisation.');
  return org;
}

export async function updateNotificationSettings(p: Principal, raw: unknown) {
  authorize(p, 'admin');
  const input = notificationSettingsInput.parse(raw);
  return prisma().$transaction(async (tx) => {
    const org = await tx.organization.update({ where: { id: p.orgId }, data: input, select: settingsSelect });
    await recordAudit({ orgId: p.orgId, type: 'org.notifications', actor: actorOf(p), request: p.request, details: { ...input } }, tx);
    return org;
  });
}

export async function updateMailBranding(p: Principal, raw: unknown) {
  authorize(p, 'admin');
  const input = mailBrandingInput.parse(raw);
  return prisma().$transaction(async (tx) => {
    const org = await tx.organization.update({ where: { id: p.orgId }, data: input, select: settingsSelect });
    await recordAudit({ orgId: p.orgId, type: 'org.mail_branding', actor: actorOf(p), request: p.request, details: input }, tx);
    return org;
  });
}
