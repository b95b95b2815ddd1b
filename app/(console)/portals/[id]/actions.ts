'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { archivePortal, updatePortal } from '@/lib/portals/admin';
import { updatePortalInput, type UpdatePortalInput } from '@/lib/portals/input';

const update = staffAction(updatePortalInput.extend({ portalId: idSchema }), async (p, { portalId, ...input }) => ({ id: (await updatePortal(p, portalId, input)).id }),
  { where: 'action updatePortal', ids: (i) => ({ portalId: i.portalId }) });

export async function updatePortalAction(portalId: string, input: UpdatePortalInput) {
  const r = await update({ ...input, portalId });
  if (r.ok) revalidatePath('/portals', 'layout');
  return r;
}

const archive = staffAction(z.object({ portalId: idSchema, archived: z.boolean() }), async (p, i) => ({ id: (await archivePortal(p, i.portalId, i.archived)).id }),
  { where: 'action archivePortal', ids: (i) => ({ portalId: i.portalId }) });

export async function archivePortalAction(portalId: string, archived: boolean) {
  const r = await archive({ portalId, archived });
  if (r.ok) revalidatePath('/portals', 'layout');
  return r;
}
