import { headers } from 'next/headers';

/** The nonce of this page's Content-Security-Policy (proxy.ts puts the policy on the request), for a <style> element. */
export async function cspNonce(): Promise<string | undefined> {
  const csp = (await headers()).get('content-security-policy') ?? '';
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
}
