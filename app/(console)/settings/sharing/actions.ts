'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { updateSharePolicy } from '@/lib/shares/service';

const days = z.coerce.number({ message: 'Enter a number of days' }).int('Use whole days').min(1, 'At least 1 day').max(3650, 'At most 3,650 days');
const policyInput = z.object({ defaultShareDays: days, maxShareDays: days })
  .refine((v) => v.defaultShareDays <= v.maxShareDays, { path: ['defaultShareDays'], message: 'The default cannot be longer than the maximum' });

const update = staffAction(policyInput, async (p, input) => {
  const org = await updateSharePolicy(p, input);
  return { defaultShareDays: org.defaultShareDays, maxShareDays: org.maxShareDays };
});

export async function updateSharePolicyAction(input: { defaultShareDays: string; maxShareDays: string }) {
  const result = await update(input);
  if (result.ok) revalidatePath('/settings/sharing');
  return result;
}
