import type { DeviceKeyFacts } from '../policy';
import type { GuestRequest } from '../guest/facts';
import { checkDeviceRequest } from './check';

export interface RequestDevice { facts: DeviceKeyFacts | null; failure: string | null }

/**
 * The device fact of a guest request on a device-bound grant, for the policy: an approved device key,
 * proved with this very request (method, URL, time, one-time jti; the token's hash when it came as a
 * Bearer token) and the key the session was opened with (the token's cnf.jkt). A session opened without
 * a key cannot use a device-bound grant at all. Anything short of that is no device (device_denied),
 * with the reason kept for the audit trail.
 */
export async function requestDevice(request: GuestRequest, guestId: string, token: string, boundThumbprint: string | null): Promise<RequestDevice> {
  const proof = request.proof;
  if (!proof?.value) return { facts: null, failure: 'missing' };
  if (!boundThumbprint) return { facts: null, failure: 'unbound' };
  const r = await checkDeviceRequest({
    proof: proof.value, method: proof.method, url: proof.url, accessToken: proof.bearer ? token : null, guestId, boundThumbprint,
  });
  return r.ok ? { facts: { status: 'APPROVED' }, failure: null } : { facts: null, failure: r.reason };
}
