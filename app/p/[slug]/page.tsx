import type { Metadata } from 'next';
import { BLOCKED_TITLES } from '@/lib/portals/refusal-view';
import { portalSsoStep } from '@/lib/portals/codes';
import { cspNonce } from '@/lib/http/csp-nonce';
import { portalPageContext } from '@/lib/http/portal-page';
import { portalLanding, portalNeedsDevice } from '@/lib/portals/landing';
import { DeviceEnrol } from '@/components/device/device-enrol';
import { GuestActivityPanel } from '@/components/collab/guest-activity-panel';
import { participantId } from '@/lib/collab/types';
import { brandingOf } from '@/lib/portals/portal-lookup';
import { PortalShell, portalButton } from '@/components/portal/portal-shell';
import { PortalSignIn, type SignInStep } from '@/components/portal/portal-signin';
import { PortalHome } from '@/components/portal/portal-home';
import { PortalNotFound } from '@/components/portal/portal-not-found';
import { GuestNotice } from '@/components/guest/guest-shell';
import { Icon } from '@/components/ui/icons';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Secure portal', robots: { index: false, follow: false } };

const BLOCKED = BLOCKED_TITLES;

export default async function PortalPage({ params, searchParams }: {
  params: Promise<{ slug: string }>; searchParams: Promise<{ q?: string; error?: string; retry?: string; method?: string; sso?: string }>;
}) {
  const [{ slug }, sp] = await Promise.all([params, searchParams]);
  const pc = await portalPageContext(slug);
  if (!pc) return <PortalNotFound />;
  const nonce = await cspNonce();
  const brand = brandingOf(pc.portal);
  const [landing, needsDevice] = await Promise.all([
    portalLanding(pc.portal, pc.request, pc.sessionToken, typeof sp.q === 'string' ? sp.q : '', pc.hosts),
    portalNeedsDevice(pc.portal.id),
  ]);
  const enrol = needsDevice ? <DeviceEnrol site={pc.base ? 'console' : 'portal'} /> : null;
  if (landing.kind === 'signin') {
    const sso = sp.sso ? await portalSsoStep(pc.portal, sp.sso, pc.request.host ?? null) : null;
    const step: SignInStep = sso ? 'sso' : sp.method === 'password' ? 'password' : pc.codeEmail ? 'code' : 'email';
    return (
      <PortalShell brand={brand} nonce={nonce} base={pc.base}>
        {enrol}
        <PortalSignIn base={pc.base} step={step} email={pc.codeEmail} welcome={brand.welcome} portalName={brand.name} error={sp.error} retry={sp.retry} sso={sso} />
      </PortalShell>
    );
  }
  if (landing.kind === 'blocked') {
    return (
      <PortalShell brand={brand} nonce={nonce} base={pc.base} signedInAs={null}>
        {enrol}
        <GuestNotice tone="danger" title={BLOCKED[landing.reason] ?? 'Access refused'}>
          {landing.reason === 'device_denied'
            ? 'This portal opens only on a device its owner has approved. If this is a new browser or computer, it has been registered and is waiting for approval; try again once your contact has approved it.'
            : landing.message} {brand.supportEmail ? <>If you think this is a mistake, write to {brand.supportEmail}.</> : 'If you think this is a mistake, contact the person who invited you.'}
          <form method="post" action={`${pc.base}/signout`} className="mt-5"><button type="submit" className={portalButton}>Sign in with another address</button></form>
        </GuestNotice>
      </PortalShell>
    );
  }
  if (landing.kind === 'terms') {
    return (
      <PortalShell brand={brand} nonce={nonce} base={pc.base} signedInAs={landing.identity}>
        <form method="post" action={`${pc.base}/terms`} className="mx-auto max-w-2xl space-y-6 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
          <div className="flex items-start gap-4">
            <span aria-hidden className="grid size-11 shrink-0 place-items-center rounded-full bg-slate-100 text-[var(--portal-accent)]"><Icon name="shieldCheck" className="size-5" /></span>
            <div>
              <h1 className="text-xl font-semibold tracking-tight text-slate-900">Before you continue</h1>
              <p className="mt-1 text-sm text-slate-600">Review and accept the terms of use to open the documents.</p>
            </div>
          </div>
          {sp.error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200 ring-inset">You need to accept the terms to continue.</p> : null}
          {landing.terms.map((t) => (
            <fieldset key={t.id} className="space-y-2">
              <legend className="text-sm font-medium text-slate-800">{t.title} <span className="font-normal text-slate-500">(version {t.version})</span></legend>
              <div tabIndex={0} aria-label={`${t.title}, terms of use`} className="max-h-64 overflow-y-auto rounded-lg bg-slate-50 p-4 text-sm leading-6 whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200 ring-inset [overflow-wrap:anywhere]">{t.body}</div>
            </fieldset>
          ))}
          <input type="hidden" name="termsVersionIds" value={landing.terms.map((t) => t.id).join(',')} />
          <label className="flex cursor-pointer items-start gap-3 rounded-lg p-3 text-sm text-slate-800 ring-1 ring-slate-200 ring-inset">
            <input type="checkbox" name="accept" required className="mt-0.5 size-4 shrink-0 rounded border-slate-400" />
            <span>I have read and accept {landing.terms.length === 1 ? 'these terms' : 'all of these terms'}. My acceptance, IP address and browser are recorded.</span>
          </label>
          <button type="submit" className={`${portalButton} h-11 w-full`}><Icon name="check" className="size-4" />Accept and continue</button>
        </form>
      </PortalShell>
    );
  }
  return (
    <PortalShell brand={brand} nonce={nonce} base={pc.base} signedInAs={landing.ctx.identity}>
      {enrol}
      <PortalHome base={pc.base} sections={landing.sections} total={landing.total} query={landing.query} activity={landing.activity}
        expiresAt={landing.expiresAt} watermark={landing.ctx.obligations.watermark}
        live={landing.sections.length ? (
          <GuestActivityPanel base={pc.base} selfId={participantId('guest', landing.ctx.guestId)} deviceBound={needsDevice}
            titles={Object.fromEntries(landing.sections.flatMap((s) => s.documents.map((d) => [d.id, d.title])))} />
        ) : null} />
    </PortalShell>
  );
}
