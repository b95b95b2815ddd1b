import type { GuestDevice } from '../generated/prisma/client';
import { deviceForProof, verifyDeviceProof, type ProofFailure, type ProofInput } from './dpop';
import { touchDevice } from './registry';

export type DeviceFailure = ProofFailure | 'unregistered' | 'pending' | 'revoked' | 'key_mismatch';

export type DeviceCheck = { ok: true; device: GuestDevice } | { ok: false; reason: DeviceFailure };

/**
 * Everything a device-bound request needs, in one call: a valid proof (verifyDeviceProof), made with
 * the key the session's token is bound to (`cnf.jkt`, when given), which is an APPROVED device of the
 * guest. Marks the device used. Any failure is the caller's `device_denied`; `reason` goes to the audit
 * trail, not to the guest.
 */
export async function checkDeviceRequest(input: ProofInput & { guestId: string; boundThumbprint?: string | null }): Promise<DeviceCheck> {
  const proof = await verifyDeviceProof(input);
  if (!proof.ok) return proof;
  if (input.boundThumbprint && input.boundThumbprint !== proof.thumbprint) return { ok: false, reason: 'key_mismatch' };
  const device = await deviceForProof(input.guestId, proof.thumbprint);
  if (!device) return { ok: false, reason: 'unregistered' };
  if (device.status === 'PENDING') return { ok: false, reason: 'pending' };
  if (device.status === 'REVOKED') return { ok: false, reason: 'revoked' };
  await touchDevice(device.id);
  return { ok: true, device };
}
