import type { Metadata } from 'next';
import { isLinkToken } from '@/lib/guest/link';
import { isHandoffCode } from '@/lib/sso/handoff-code';
import { DeviceEnrol } from '@/components/device/device-enrol';
import { SsoDeviceStep } from '@/components/device/sso-device-step';
import { GuestNotice, GuestShell } from '@/components/guest/guest-shell';
import { button } from '@/components/ui/styles';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Securing this browser', robots: { index: false, follow: false }, referrer: 'no-referrer' };

/**
 * After a partner's IdP vouched for the guest, on a share that requires an approved device: the browser
 * creates (or loads) its device key and posts the one-time code with a proof (../complete/route.ts).
 * Nothing is decided here; the code is only carried to the form.
 */
export default async function ShareSsoDevicePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ code?: string }> }) {
  const [{ token }, sp] = await Promise.all([params, searchParams]);
  if (!isLinkToken(token) || !isHandoffCode(sp.code)) {
    return (
      <GuestShell>
        <GuestNotice title="This sign-in link is not valid" icon="link">Open the link you were sent again and sign in once more.</GuestNotice>
      </GuestShell>
    );
  }
  return (
    <GuestShell>
      <DeviceEnrol site="console" />
      <GuestNotice title="Securing this browser" icon="lock">
        Your organisation has signed you in. These documents open only on an approved device, so this browser is proving its
        device key before the share opens. This takes a moment.
        <SsoDeviceStep action={`/s/${token}/sso/complete`} code={sp.code} buttonClass={button('primary')} />
      </GuestNotice>
    </GuestShell>
  );
}
