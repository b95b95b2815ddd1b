'use server';

import { revalidatePath } from 'next/cache';
import { staffAction } from '@/lib/http/action';
import { createPortal } from '@/lib/portals/admin';
import { createPortalInput, type CreatePortalInput } from '@/lib/portals/input';

const create = staffAction(createPortalInput, async (p, input) => ({ id: (await createPortal(p, input)).id }));

export async function createPortalAction(input: CreatePortalInput) {
  const r = await create(input);
  if (r.ok) revalidatePath('/portals');
  return r;
}
