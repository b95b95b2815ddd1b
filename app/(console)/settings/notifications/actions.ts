'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { updateNotificationSettings } from '@/lib/notifications/settings';

const input = z.object({
  notifyFirstAccess: z.boolean(),
  reminderDays: z.coerce.number({ message: 'Enter a number of days' }).int('Use whole days').min(0, 'At least 0 (no reminders)').max(90, 'At most 90 days'),
  notifyGuestOnRevoke: z.boolean(),
});

const update = staffAction(input, async (p, v) => {
  const org = await updateNotificationSettings(p, v);
  return { notifyFirstAccess: org.notifyFirstAccess, reminderDays: org.reminderDays, notifyGuestOnRevoke: org.notifyGuestOnRevoke };
});

export async function updateNotificationSettingsAction(v: { notifyFirstAccess: boolean; reminderDays: string; notifyGuestOnRevoke: boolean }) {
  const r = await update(v);
  if (r.ok) revalidatePath('/settings/notifications');
  return r;
}
