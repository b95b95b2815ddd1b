'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { SCOPES } from '@/lib/auth/scopes';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';

const PAGE = '/settings/api-keys';

// Stricter than the API's input: the console never creates a key with no scope at all.
const createInput = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'Keep the name under 100 characters'),
  scopes: z.array(z.enum(SCOPES)).min(1, 'Choose at least one permission'),
});

const create = staffAction(createInput, (p, input) => createApiKey(p, input));
const revoke = staffAction(z.object({ id: idSchema }), async (p, { id }) => {
  await revokeApiKey(p, id);
  return { id };
}, { where: 'action revokeApiKey', ids: (i) => ({ apiKeyId: i.id }) });

export async function createApiKeyAction(input: { name: string; scopes: string[] }) {
  const result = await create(input as z.input<typeof createInput>);
  if (result.ok) revalidatePath(PAGE);
  return result;
}

export async function revokeApiKeyAction(input: { id: string }) {
  const result = await revoke(input);
  if (result.ok) revalidatePath(PAGE);
  return result;
}
