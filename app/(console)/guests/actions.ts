'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { idSchema } from '@/lib/http/ids';
import { staffAction } from '@/lib/http/action';
import { disableGuest, enableGuest, revokeGuestSession, revokeGuestSessions } from '@/lib/guest/admin';
import { approveDevice, revokeDevice } from '@/lib/devices/registry';

const changed = <T extends { ok: boolean }>(r: T, guestId?: string) => {
  if (r.ok) {
    revalidatePath('/guests');
    if (guestId) revalidatePath(`/guests/${guestId}`);
    revalidatePath('/guests/devices');
  }
  return r;
};

const endOne = staffAction(z.object({ id: idSchema }), async (p, { id }) => {
  const s = await revokeGuestSession(p, id);
  return { id: s.id, guestId: s.guestId, state: s.state };
}, { where: 'action revokeGuestSession', ids: (i) => ({ sessionId: i.id }) });

const endAll = staffAction(z.object({ guestId: idSchema }), async (p, { guestId }) => {
  const r = await revokeGuestSessions(p, guestId);
  return { revokedCount: r.revokedCount };
}, { where: 'action revokeGuestSessions', ids: (i) => ({ guestId: i.guestId }) });

const disable = staffAction(z.object({ guestId: idSchema, reason: z.string().max(500, 'Keep the reason under 500 characters').optional() }), async (p, { guestId, reason }) => {
  const g = await disableGuest(p, guestId, reason);
  return { id: g.id, state: g.state };
}, { where: 'action disableGuest', ids: (i) => ({ guestId: i.guestId }) });

const enable = staffAction(z.object({ guestId: idSchema }), async (p, { guestId }) => {
  const g = await enableGuest(p, guestId);
  return { id: g.id, state: g.state };
}, { where: 'action enableGuest', ids: (i) => ({ guestId: i.guestId }) });

export async function revokeGuestSessionAction(input: { id: string }) {
  const r = await endOne(input);
  return changed(r, r.ok ? r.data.guestId : undefined);
}

export async function revokeGuestSessionsAction(input: { guestId: string }) {
  return changed(await endAll(input), input.guestId);
}

export async function disableGuestAction(input: { guestId: string; reason?: string }) {
  return changed(await disable(input), input.guestId);
}

export async function enableGuestAction(input: { guestId: string }) {
  return changed(await enable(input), input.guestId);
}

const approve = staffAction(z.object({ id: idSchema }), async (p, { id }) => {
  const d = await approveDevice(p, id);
  return { id: d.id, guestId: d.guestId, status: d.status };
}, { where: 'action approveDevice', ids: (i) => ({ deviceId: i.id }) });

const revokeOne = staffAction(z.object({ id: idSchema }), async (p, { id }) => {
  const d = await revokeDevice(p, id);
  return { id: d.id, guestId: d.guestId, status: d.status };
}, { where: 'action revokeDevice', ids: (i) => ({ deviceId: i.id }) });

export async function approveDeviceAction(input: { id: string }) {
  const r = await approve(input);
  return changed(r, r.ok ? r.data.guestId : undefined);
}

export async function revokeDeviceAction(input: { id: string }) {
  const r = await revokeOne(input);
  return changed(r, r.ok ? r.data.guestId : undefined);
}
