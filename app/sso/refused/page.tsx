import type { Metadata } from 'next';
import Link from 'next/link';
import { isSsoReason, type SsoReason } from '@/lib/sso/refusal';
import { GuestNotice, GuestShell } from '@/components/guest/guest-shell';
import { button } from '@/components/ui/styles';

export const metadata: Metadata = { title: 'Sign-in not completed', robots: { index: false } };

/** What each refusal means to the person reading it. No internals: the audit trail has the detail. */
const TEXT: Record<SsoReason, { title: string; body: string }> = {
  provider_unavailable: { title: 'Single sign-on is not available', body: 'The sign-in service for your organisation could not be used just now. Try again in a few minutes; if it keeps happening, contact the person who shared with you.' },
  bad_request: { title: 'This sign-in link is not valid', body: 'Open the link you were sent again and start from there.' },
  sign_in_expired: { title: 'Your sign-in took too long', body: 'For your security a sign-in must be completed within 10 minutes. Open your link again to start over.' },
  replayed: { title: 'This sign-in was already used', body: 'Each sign-in can be completed once. Open your link again to sign in afresh.' },
  state_mismatch: { title: 'This sign-in did not start in this browser', body: 'Open your link again in the browser you use, and complete the sign-in there without switching windows or devices.' },
  idp_error: { title: 'Your organisation’s sign-in did not complete', body: 'Your identity provider did not confirm who you are. Try again, or ask your own IT support.' },
  invalid_response: { title: 'Your sign-in could not be verified', body: 'The answer from your organisation’s identity provider did not pass our security checks. Nothing was opened. If this keeps happening, ask your IT support to contact the person who shared with you.' },
  mfa_required: { title: 'Multi-factor sign-in is required', body: 'Access requires that you sign in with a second factor (an authenticator app, a security key…). Sign in again and complete the second step.' },
  email_not_allowed: { title: 'Your account cannot be used here', body: 'The address your identity provider gave us is not one this access was set up for. Make sure you sign in with your work account.' },
  unknown_account: { title: 'No console account for this address', body: 'Single sign-on only works for people who already have a staff account. Ask an administrator to add you, or sign in with your password.' },
  rate_limited: { title: 'Too many sign-in attempts', body: 'Sign-in is paused for your network for a few minutes. Wait a little, then open your link again.' },
  access_refused: { title: 'Access was not granted', body: 'You were signed in, but the share’s conditions do not allow access from here or for this account. Contact the person who shared with you.' },
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SsoRefusedPage({ searchParams }: Props) {
  const sp = await searchParams;
  const raw = sp.reason;
  const reason: SsoReason = isSsoReason(raw) ? raw : 'idp_error';
  const t = TEXT[reason];
  // Staff came from the console's sign-in page: offer the way back (their password still works).
  const staff = reason === 'unknown_account' || sp.staff === '1';
  return (
    <GuestShell>
      <GuestNotice title={t.title} tone={reason === 'invalid_response' || reason === 'access_refused' ? 'danger' : 'neutral'} icon={reason === 'mfa_required' ? 'key' : reason === 'sign_in_expired' ? 'clock' : undefined}>
        <p>{t.body}</p>
        <p className="mt-4 font-mono text-xs text-slate-400" data-testid="sso-reason">Reference: {reason}</p>
        {staff ? <div className="mt-6"><Link href="/signin" className={button('secondary')}>Back to sign-in</Link></div> : null}
      </GuestNotice>
    </GuestShell>
  );
}
