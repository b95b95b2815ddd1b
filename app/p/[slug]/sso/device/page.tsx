import type { Metadata } from 'next';
import { cspNonce } from '@/lib/http/csp-nonce';
import { portalPageContext } from '@/lib/http/portal-page';
import { isHandoffCode } from '@/lib/sso/handoff-code';
import { brandingOf } from '@/lib/portals/portal-lookup';
import { DeviceEnrol } from '@/components/device/device-enrol';
import { SsoDeviceStep } from '@/components/device/sso-device-step';
import { PortalShell, portalButton } from '@/components/portal/portal-shell';
import { PortalNotFound } from '@/components/portal/portal-not-found';
import { GuestNotice } from '@/components/guest/guest-shell';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Securing this browser', robots: { index: false, follow: false }, referrer: 'no-referrer' };

/**
 * After a partner's IdP vouched for the guest, on a portal with a device-bound grant (on the console host
 * or the portal's own domain): the browser creates (or loads) its device key and posts the one-time code
 * with a proof (../complete/route.ts). Nothing is decided here; the code is only carried to the form.
 */
export default async function PortalSsoDevicePage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ code?: string }> }) {
  const [{ slug }, sp] = await Promise.all([params, searchParams]);
  const pc = await portalPageContext(slug);
  if (!pc) return <PortalNotFound />;
  const nonce = await cspNonce();
  const brand = brandingOf(pc.portal);
  if (!isHandoffCode(sp.code)) {
    return (
      <PortalShell brand={brand} nonce={nonce} base={pc.base}>
        <GuestNotice title="This sign-in link is not valid" icon="link">
          Sign in again from <a className="font-medium underline" href={pc.base || '/'}>the portal&rsquo;s sign-in page</a>.
        </GuestNotice>
      </PortalShell>
    );
  }
  return (
    <PortalShell brand={brand} nonce={nonce} base={pc.base}>
      <DeviceEnrol site={pc.base ? 'console' : 'portal'} />
      <GuestNotice title="Securing this browser" icon="lock">
        Your organisation has signed you in. This portal opens only on an approved device, so this browser is proving its
        device key before the portal opens. This takes a moment.
        <SsoDeviceStep action={`${pc.base}/sso/complete`} code={sp.code} buttonClass={portalButton} />
      </GuestNotice>
    </PortalShell>
  );
}
