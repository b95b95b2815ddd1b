'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { idSchema } from '@/lib/http/ids';
import { staffAction } from '@/lib/http/action';
import { endStaffSession, endStaffSessions } from '@/lib/staff/sessions';

const changed = <T>(r: T) => {
  for (const page of ['/settings/sessions', '/settings/staff', '/settings/account']) revalidatePath(page);
  return r;
};

const endOne = staffAction(z.object({ id: idSchema }), async (p, { id }) => {
  const s = await endStaffSession(p, id);
  return { id: s.id, active: s.active };
});
const endAll = staffAction(z.object({ userId: idSchema }), (p, { userId }) => endStaffSessions(p, userId));

/** Ends one session (admins: anyone's in the organisation; everyone: their own). */
export async function endSessionAction(input: { id: string }) {
  return changed(await endOne(input));
}

/** Ends every session of a person except the one making the request. */
export async function endUserSessionsAction(input: { userId: string }) {
  return changed(await endAll(input));
}
