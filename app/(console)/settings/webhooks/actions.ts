'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { createWebhook, deleteWebhook, testWebhook, updateWebhook, WEBHOOK_FORMATS } from '@/lib/webhooks/service';

const PAGE = '/settings/webhooks';

const create = staffAction(z.object({ url: z.string().trim().min(1, 'Enter the URL to call'), events: z.array(z.string()).min(1, 'Choose at least one event'), format: z.enum(WEBHOOK_FORMATS) }), async (p, input) => {
  const { webhook, secret } = await createWebhook(p, input);
  return { id: webhook.id, url: webhook.url, format: webhook.format, secret };
});
const setEnabled = staffAction(z.object({ id: idSchema, enabled: z.boolean() }), async (p, { id, enabled }) => {
  const w = await updateWebhook(p, id, { enabled });
  return { id: w.id, enabled: w.enabled };
});
const remove = staffAction(z.object({ id: idSchema }), (p, { id }) => deleteWebhook(p, id));
const test = staffAction(z.object({ id: idSchema }), async (p, { id }) => {
  const d = await testWebhook(p, id);
  return { id: d.id };
});

const refreshed = <T extends { ok: boolean }>(r: T, id?: string) => {
  if (r.ok) {
    revalidatePath(PAGE);
    if (id) revalidatePath(`${PAGE}/${id}`);
  }
  return r;
};

export async function createWebhookAction(input: { url: string; events: string[]; format: string }) {
  return refreshed(await create(input as { url: string; events: string[]; format: (typeof WEBHOOK_FORMATS)[number] }));
}
export async function setWebhookEnabledAction(input: { id: string; enabled: boolean }) {
  return refreshed(await setEnabled(input), input.id);
}
export async function deleteWebhookAction(input: { id: string }) {
  return refreshed(await remove(input));
}
export async function testWebhookAction(input: { id: string }) {
  return refreshed(await test(input), input.id);
}
