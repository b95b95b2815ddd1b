'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { updateRetentionPolicy } from '@/lib/retention/policy';

// The form sends text; an empty box means "never". The domain validates the ranges (and says so per field).
const days = z.string().trim().transform((v, ctx) => {
  if (v === '') return null;
  if (!/^-?\d+$/.test(v)) { ctx.addIssue({ code: 'custom', message: 'Use whole days, or leave empty for never' }); return z.NEVER; }
  return Number(v);
});
const rule = z.object({ documentDays: days, shareDays: days });
const input = z.object({
  enabled: z.boolean(),
  tlpRules: z.object({ CLEAR: rule, GREEN: rule, AMBER: rule, AMBER_STRICT: rule, RED: rule }),
  guestDays: days,
  sessionDays: days,
});

const update = staffAction(input, async (p, v) => {
  const saved = await updateRetentionPolicy(p, v);
  return { enabled: saved.enabled };
});

export type RetentionFormValues = z.input<typeof input>;

export async function updateRetentionPolicyAction(v: RetentionFormValues) {
  const r = await update(v);
  if (r.ok) revalidatePath('/settings/retention');
  return r;
}
