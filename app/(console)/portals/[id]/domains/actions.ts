'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { addPortalDomain, removePortalDomain, verifyPortalDomain } from '@/lib/portals/domains';

const page = (portalId: string) => `/portals/${portalId}/domains`;

const add = staffAction(z.object({ portalId: idSchema, hostname: z.string().max(300, 'hostname: at most 253 characters') }),
  (p, i) => addPortalDomain(p, i.portalId, i.hostname), { where: 'action addPortalDomain', ids: (i) => ({ portalId: i.portalId }) });
const verify = staffAction(z.object({ portalId: idSchema, id: idSchema }),
  (p, i) => verifyPortalDomain(p, i.id), { where: 'action verifyPortalDomain', ids: (i) => ({ portalId: i.portalId, domainId: i.id }) });
const remove = staffAction(z.object({ portalId: idSchema, id: idSchema }),
  (p, i) => removePortalDomain(p, i.id), { where: 'action removePortalDomain', ids: (i) => ({ portalId: i.portalId, domainId: i.id }) });

const refreshed = <T extends { ok: boolean }>(r: T, portalId: string) => {
  if (r.ok) revalidatePath(page(portalId));
  return r;
};

export async function addPortalDomainAction(input: { portalId: string; hostname: string }) {
  return refreshed(await add(input), input.portalId);
}
export async function verifyPortalDomainAction(input: { portalId: string; id: string }) {
  return refreshed(await verify(input), input.portalId);
}
export async function removePortalDomainAction(input: { portalId: string; id: string }) {
  return refreshed(await remove(input), input.portalId);
}
