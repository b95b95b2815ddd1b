'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { acknowledgeAlert } from '@/lib/alerts/service';

const input = z.object({ id: z.string(), note: z.string().max(500, 'At most 500 characters').optional() });

const ack = staffAction(input, async (p, v) => {
  const a = await acknowledgeAlert(p, v.id, v.note);
  return { id: a.id };
}, { where: 'action acknowledgeAlert', ids: (v) => ({ alertId: v.id }) });

export async function acknowledgeAlertAction(v: { id: string; note?: string }) {
  const r = await ack(v);
  if (r.ok) revalidatePath('/alerts');
  return r;
}
