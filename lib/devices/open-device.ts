import type { DeviceKeyFacts } from '../policy';
import type { GuestRequest } from '../guest/facts';
import { verifyDeviceProof, type ProofResult } from './dpop';
import { registerDevice } from './registry';

export interface OpeningDevice { proof: Extract<ProofResult, { ok: true }> | null }

/**
 * The device key presented with a sign-in (the DPoP header of POST /api/portal/v1/sessions, or the
 * browser form's proof field), checked but not yet registered: the guest may not exist yet.
 */
export async function deviceAtSignIn(request: GuestRequest): Promise<OpeningDevice> {
  const p = request.proof;
  if (!p?.value) return { proof: null };
  const r = await verifyDeviceProof({ proof: p.value, method: p.method, url: p.url, accessToken: null });
  return { proof: r.ok ? r : null };
}

/**
 * Registers the key with the guest (the first key of a guest is approved, later ones wait for staff;
 * docs/DEVICES.md) and returns what the policy and the token need: its approval, and the thumbprint the
 * session's token is bound to (cnf.jkt). Registering in the request that opens the session is what
 * keeps a copied cookie from bringing its own key later.
 */
export async function registerSignInDevice(opening: OpeningDevice, guestId: string, orgId: string, request: GuestRequest): Promise<{ jkt: string | null; facts: DeviceKeyFacts | null }> {
  if (!opening.proof) return { jkt: null, facts: null };
  const row = await registerDevice({ guestId, orgId, jwk: opening.proof.jwk, userAgent: request.userAgent, request });
  return { jkt: opening.proof.thumbprint, facts: { status: row.status } };
}
