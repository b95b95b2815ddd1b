'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { grantPortalAccess, revokePortalAccess, setPortalGrantCollaboration } from '@/lib/portals/grants';
import { portalGrantInput, type PortalGrantInput } from '@/lib/portals/input';

const grant = staffAction(z.intersection(z.object({ portalId: idSchema }), portalGrantInput), async (p, { portalId, ...input }) => ({ id: (await grantPortalAccess(p, portalId, input)).id }),
  { where: 'action grantPortalAccess', ids: (i) => ({ portalId: i.portalId, partnerOrgId: i.partnerOrgId, termsVersionId: i.termsVersionId, sectionIds: i.sectionIds }) });

export async function grantAccessAction(portalId: string, input: PortalGrantInput) {
  const r = await grant({ ...input, portalId });
  if (r.ok) revalidatePath('/portals', 'layout');
  return r;
}

const revoke = staffAction(z.object({ grantId: idSchema, reason: z.string().max(500) }), async (p, i) => ({ id: (await revokePortalAccess(p, i.grantId, i.reason)).id }),
  { where: 'action revokePortalAccess', ids: (i) => ({ grantId: i.grantId }) });

export async function revokeAccessAction(grantId: string, reason: string) {
  const r = await revoke({ grantId, reason });
  if (r.ok) revalidatePath('/portals', 'layout');
  return r;
}

const flags = staffAction(z.object({ grantId: idSchema, showGuestPresence: z.boolean().optional(), keepPartiesApart: z.boolean().optional() }),
  async (p, { grantId, ...input }) => ({ id: (await setPortalGrantCollaboration(p, grantId, input)).id }),
  { where: 'action setPortalGrantCollaboration', ids: (i) => ({ grantId: i.grantId }) });

export async function setGrantCollaborationAction(grantId: string, input: { showGuestPresence?: boolean; keepPartiesApart?: boolean }) {
  const r = await flags({ grantId, ...input });
  if (r.ok) revalidatePath('/portals', 'layout');
  return r;
}
