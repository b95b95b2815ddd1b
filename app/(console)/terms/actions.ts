'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { createTerms, reviseTerms, termsInput } from '@/lib/terms/service';

const create = staffAction(termsInput, async (p, input) => {
  const v = await createTerms(p, input);
  return { id: v.id, version: v.version };
});

const revise = staffAction(termsInput.extend({ termsId: z.string().min(1).max(64) }), async (p, { termsId, ...input }) => {
  const v = await reviseTerms(p, termsId, input);
  return { id: v.id, version: v.version };
});

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
