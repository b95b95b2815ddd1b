'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { createTerms, reviseTerms, termsInput } from '@/lib/terms/service';

const create = staffAction(termsInput, async (p, input) => {
  const v = await createTerms(p, input);
  return { id: v.id, version: v.version };
});

const revise = staffAction(termsInput.extend({ termsId: idSchema }), async (p, { termsId, ...input }) => {
  const v = await reviseTerms(p, termsId, input);
  return { id: v.id, version: v.version };
}, { where: 'action reviseTerms', ids: (i) => ({ termsId: i.termsId }) });

export async function createTermsAction(input: { title: string; body: string }) {
  const result = await create(input);
  if (result.ok) revalidatePath('/terms');
  return result;
}

export async function reviseTermsAction(termsId: string, input: { title: string; body: string }) {
  const result = await revise({ ...input, termsId });
  if (result.ok) revalidatePath('/terms');
  return result;
}
