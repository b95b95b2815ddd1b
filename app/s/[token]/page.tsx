import type { Metadata } from 'next';
import Link from 'next/link';
import { isLinkToken } from '@/lib/guest/link';
import { guestLanding } from '@/lib/guest/landing';
import { guestPageContext } from '@/lib/http/guest-page';
import { findShareByToken } from '@/lib/guest/share-lookup';
import { DeviceEnrol } from '@/components/device/device-enrol';
import { GuestActivityPanel } from '@/components/collab/guest-activity-panel';
import { participantId } from '@/lib/collab/types';
import { GuestNotice, GuestShell } from '@/components/guest/guest-shell';
import { GateForm } from '@/components/guest/gate-form';
import { humanSize, utc } from '@/components/guest/format';
import { mediaTypeLabel } from '@/components/ui/format';
import { Icon, type IconName } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Secure share', robots: { index: false, follow: false } };

const BLOCKED_TITLES: Record<string, string> = {
  revoked: 'This share has been revoked',
  expired: 'This share has expired',
  ip_denied: 'Not available from your network',
  geo_denied: 'Not available in your country',
  device_denied: 'Not available on this device',
  guest_disabled: 'Your access has ended',
};

// The policy's own description restates the title for these two; say what it means for the guest instead.
const BLOCKED_BODIES: Record<string, string> = {
  device_denied: 'These documents open only on a device the sender has approved. If this is a new browser or computer, it is waiting for approval.',
  revoked: 'The sender has withdrawn access to these documents.',
  expired: 'The period during which these documents were available has ended.',
};

const BLOCKED_ICONS: Record<string, IconName> = { revoked: 'ban', expired: 'clock', ip_denied: 'lock', geo_denied: 'lock', device_denied: 'lock' };

export default async function SharePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ error?: string; retry?: string }> }) {
  const [{ token }, sp] = await Promise.all([params, searchParams]);
  const { request, sessionToken, codeEmail } = await guestPageContext();
  const landing = isLinkToken(token) ? await guestLanding(token, request, sessionToken, codeEmail) : ({ kind: 'not_found' } as const);
  // A device-bound share enrols this browser's key on its pages (components/device/device-enrol.tsx).
  const enrol = landing.kind !== 'not_found' && (await findShareByToken(token))?.requireDevice ? <DeviceEnrol site="console" /> : null;

  if (landing.kind === 'not_found') {
    return (
      <GuestShell>
        <GuestNotice title="Link not found" icon="link">This link does not exist or is no longer valid. Check that you copied the whole link, or ask the sender for a new one.</GuestNotice>
      </GuestShell>
    );
  }
  if (landing.kind === 'blocked') {
    return (
      <GuestShell>
        {enrol}
        <GuestNotice tone="danger" title={BLOCKED_TITLES[landing.reason] ?? 'Access refused'} icon={BLOCKED_ICONS[landing.reason]}>
          {BLOCKED_BODIES[landing.reason] ?? landing.message} If you still need these documents, contact the person who shared them.
        </GuestNotice>
      </GuestShell>
    );
  }
  if (landing.kind === 'gate') {
    // Nothing about the share but what it needs: no message, titles, sender or expiry (see lib/guest/landing.ts).
    return (
      <GuestShell>
        {enrol}
        <GateForm token={token} gate={landing.gate} error={sp.error} retry={sp.retry} />
      </GuestShell>
    );
  }
  const { documents, ctx } = landing;
  return (
    <GuestShell>
      {enrol}
      {landing.message ? <SenderMessage text={landing.message} /> : null}
      <div className="mb-5 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Shared documents</h1>
          <p className="mt-1 text-sm text-slate-600">Signed in as <span className="font-medium break-all text-slate-800">{ctx.identity}</span> · available until {utc(landing.expiresAt)}</p>
        </div>
        <ul className="flex flex-wrap gap-2 text-xs" aria-label="Share conditions">
          <Pill on={ctx.share.allowDownload} icon={ctx.share.allowDownload ? 'download' : 'eye'} label={ctx.share.allowDownload ? 'Download allowed' : 'View only'} />
          <Pill on={ctx.share.allowPrint} icon={ctx.share.allowPrint ? 'check' : 'ban'} label={ctx.share.allowPrint ? 'Printing allowed' : 'No printing'} />
          {ctx.share.watermark ? <Pill on={false} icon="shield" label="Watermarked" /> : null}
        </ul>
      </div>
      {documents.length === 0 ? (
        <GuestNotice title="Nothing to show">The documents in this share are no longer available.</GuestNotice>
      ) : (
        <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          {documents.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-4 px-5 py-4 sm:flex-nowrap">
              <span aria-hidden className="grid size-10 shrink-0 place-items-center rounded-lg bg-indigo-50 text-indigo-600"><Icon name="file" className="size-5" /></span>
              <div className="min-w-0 flex-1">
                <Link href={`/s/${token}/d/${d.id}`} className="block truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline">{d.title}</Link>
                <p className="truncate text-xs text-slate-500"><span title={d.mediaType ?? undefined}>{mediaTypeLabel(d.mediaType)}</span> · {humanSize(d.size)} · {d.fileName}</p>
              </div>
              <div className="flex shrink-0 gap-2">
                <Link href={`/s/${token}/d/${d.id}`} className={button('secondary', 'sm')}><Icon name="eye" className="size-4" />View</Link>
                {d.allowDownload ? (
                  <a href={`/s/${token}/d/${d.id}/download`} className={button('primary', 'sm')}><Icon name="download" className="size-4" />Download</a>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {documents.length ? (
        <GuestActivityPanel base={`/s/${token}`} selfId={participantId('guest', ctx.guestId)} deviceBound={ctx.share.requireDevice}
          titles={Object.fromEntries(documents.map((d) => [d.id, d.title]))} className="mt-6" />
      ) : null}
    </GuestShell>
  );
}

function SenderMessage({ text }: { text: string }) {
  return (
    <aside className="mx-auto mb-6 flex max-w-lg gap-3 rounded-xl bg-white px-5 py-4 text-sm shadow-sm ring-1 ring-slate-200">
      <span aria-hidden className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-indigo-50 text-indigo-600"><Icon name="info" className="size-4" /></span>
      <div className="min-w-0">
        <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Message from the sender</p>
        <p className="mt-1 whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]">{text}</p>
      </div>
    </aside>
  );
}

function Pill({ on, label, icon }: { on: boolean; label: string; icon: IconName }) {
  return (
    <li className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 font-medium ring-1 ring-inset ${on ? 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' : 'bg-white text-slate-700 ring-slate-300'}`}>
      <Icon name={icon} className="size-3.5" />{label}
    </li>
  );
}
