'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { alertRulesSchema } from '@/lib/alerts/rules';
import { updateAlertRules } from '@/lib/alerts/rules';

const num = (what: string) => z.coerce.number({ message: `Enter a number for ${what}` });
// Text from the form, coerced; the domain's schema (the same one GraphQL uses) then decides.
const input = z.object({
  downloads: z.object({ enabled: z.boolean(), count: num('downloads'), minutes: num('minutes') }),
  newCountry: z.object({ enabled: z.boolean() }),
  shareRefusals: z.object({ enabled: z.boolean(), count: num('refusals'), minutes: num('minutes') }),
  guestIps: z.object({ enabled: z.boolean(), count: num('addresses') }),
}).pipe(alertRulesSchema);

const update = staffAction(input, async (p, v) => updateAlertRules(p, v));

export type AlertRulesFormValues = z.input<typeof input>;

export async function updateAlertRulesAction(v: AlertRulesFormValues) {
  const r = await update(v);
  if (r.ok) revalidatePath('/settings/alerts');
  return r;
}
