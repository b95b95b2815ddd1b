import type { Metadata } from 'next';
import { isInvitationSecret, viewInvitation } from '@/lib/guest/invitation-accept';
import { newTotpSecret, totpUri } from '@/lib/identity/totp';
import { GuestNotice, GuestShell } from '@/components/guest/guest-shell';
import { InvitationForm } from '@/components/guest/invitation-form';
import { qrSvg } from '@/lib/identity/qr';
import { button } from '@/components/ui/styles';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Invitation', robots: { index: false, follow: false }, referrer: 'no-referrer' };

/** An invitation link. Opening it (GET) consumes nothing: mail scanners that pre-open links do no harm. */
export default async function InvitationPage({ params, searchParams }: { params: Promise<{ secret: string }>; searchParams: Promise<{ error?: string; why?: string; retry?: string }> }) {
  const [{ secret }, sp] = await Promise.all([params, searchParams]);
  const inv = isInvitationSecret(secret) ? await viewInvitation(secret) : ({ state: 'not_found' } as const);
  if (inv.state === 'not_found') {
    return <GuestShell><GuestNotice title="Invitation not found" icon="link">This invitation link does not exist. Check that you opened the whole link from your mail.</GuestNotice></GuestShell>;
  }
  if (inv.state === 'revoked') {
    return <GuestShell><GuestNotice tone="danger" title="Invitation withdrawn" icon="ban">The sender has withdrawn this invitation. If you still need access, contact them.</GuestNotice></GuestShell>;
  }
  if (inv.state === 'expired') {
    return <GuestShell><GuestNotice tone="danger" title="Invitation expired" icon="clock">This invitation is no longer valid. Ask the sender to invite you again.</GuestNotice></GuestShell>;
  }
  if (inv.state === 'accepted') {
    return (
      <GuestShell orgName={inv.orgName}>
        <GuestNotice title="Invitation already accepted" icon="check">
          This invitation for <span className="font-medium break-all text-slate-800">{inv.email}</span> has been accepted. Sign in with the password chosen then.
          {inv.shareUrl ? <span className="mt-5 block"><a href={inv.shareUrl} className={button('primary', 'md')}>Go to the sign-in page</a></span> : null}
        </GuestNotice>
      </GuestShell>
    );
  }
  const totpSecret = newTotpSecret();
  const uri = totpUri(totpSecret, inv.email, `Liaison (${inv.orgName})`);
  return (
    <GuestShell orgName={inv.orgName}>
      <InvitationForm secret={secret} invitation={inv} totp={{ secret: totpSecret, qr: await qrSvg(uri) }} error={sp.error} why={sp.why} />
    </GuestShell>
  );
}
