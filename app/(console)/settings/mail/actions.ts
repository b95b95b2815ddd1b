'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { retryMail } from '@/lib/mail/messages';
import { colorSchema } from '@/lib/mail/brand';
import { updateMailBranding } from '@/lib/notifications/settings';

const retry = staffAction(z.object({ id: idSchema }), async (p, { id }) => {
  const m = await retryMail(p, id);
  return { id: m.id, status: m.status };
});

export async function retryMailAction(input: { id: string }) {
  const r = await retry(input);
  if (r.ok) {
    revalidatePath('/settings/mail');
    revalidatePath(`/settings/mail/${input.id}`);
  }
  return r;
}

const branding = staffAction(z.object({ brandColor: colorSchema, accentColor: colorSchema }), async (p, input) => {
  const org = await updateMailBranding(p, input);
  return { brandColor: org.brandColor, accentColor: org.accentColor };
});

export async function updateMailBrandingAction(input: { brandColor: string; accentColor: string }) {
  const r = await branding(input);
  if (r.ok) revalidatePath('/settings/mail');
  return r;
}
