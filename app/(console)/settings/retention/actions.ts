'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { retentionPolicyInput, updateRetentionPolicy } from '@/lib/retention/policy';

// The form sends text; an empty box means "never".
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
}).transform((v, ctx) => {
  // The domain's own rules, so that each refused period is named on its field in the form.
  const r = retentionPolicyInput.safeParse(v);
  if (r.success) return r.data;
  for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
  return z.NEVER;
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
