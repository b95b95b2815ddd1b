'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { idSchema } from '@/lib/http/ids';
import { staffAction } from '@/lib/http/action';
import { createStaffUser, createStaffUserInput, resetStaffPassword, STAFF_ROLES, updateStaffUser } from '@/lib/staff/users';

const changed = <T>(r: T) => { revalidatePath('/settings/staff'); revalidatePath('/settings/sessions'); return r; };

const create = staffAction(createStaffUserInput, (p, input) => createStaffUser(p, input));
const update = staffAction(
  z.object({ id: idSchema, role: z.enum(STAFF_ROLES).optional(), disabled: z.boolean().optional() }),
  (p, { id, ...input }) => updateStaffUser(p, id, input),
);
const reset = staffAction(z.object({ id: idSchema }), (p, { id }) => resetStaffPassword(p, id));

export async function createStaffUserAction(input: { email: string; name: string; role: string }) {
  return changed(await create(input as z.input<typeof createStaffUserInput>));
}

export async function updateStaffUserAction(input: { id: string; role?: (typeof STAFF_ROLES)[number]; disabled?: boolean }) {
  return changed(await update(input));
}

export async function resetStaffPasswordAction(input: { id: string }) {
  return changed(await reset(input));
}
