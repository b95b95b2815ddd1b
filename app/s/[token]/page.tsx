import type { Metadata } from 'next';
import Link from 'next/link';
import { isLinkToken } from '@/lib/guest/link';
import { guestLanding } from '@/lib/guest/landing';
import { guestPageContext } from '@/lib/http/guest-page';
import { GuestNotice, GuestShell } from '@/components/guest/guest-shell';
import { GateForm } from '@/components/guest/gate-form';
import { humanSize, utc } from '@/components/guest/format';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Secure share', robots: { index: false, follow: false } };

const BLOCKED_TITLES: Record<string, string> = {
  revoked: 'This share has been revoked',
  expired: 'This share has expired',
  ip_denied: 'Not available from your network',
  geo_denied: 'Not available in your country',
  device_denied: 'Not available on this device',
};

export default async function SharePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ error?: string; retry?: string }> }) {
  const [{ token }, sp] = await Promise.all([params, searchParams]);
  const { request, sessionToken } = await guestPageContext();
  const landing = isLinkToken(token) ? await guestLanding(token, request, sessionToken) : ({ kind: 'not_found' } as const);

  if (landing.kind === 'not_found') {
    return (
      <GuestShell>
        <GuestNotice title="Link not found">This link does not exist or is no longer valid. Check that you copied the whole link, or ask the sender for a new one.</GuestNotice>
      </GuestShell>
    );
  }
  if (landing.kind === 'blocked') {
    return (
      <GuestShell>
        <GuestNotice tone="danger" title={BLOCKED_TITLES[landing.reason] ?? 'Access refused'}>
          {landing.message} If you still need these documents, contact the person who shared them.
        </GuestNotice>
      </GuestShell>
    );
  }
  if (landing.kind === 'gate') {
    return (
      <GuestShell>
        {landing.message ? <SenderMessage text={landing.message} /> : null}
        <GateForm token={token} needsPassword={landing.needsPassword} terms={landing.terms} error={sp.error} retry={sp.retry} />
        <p className="mt-6 text-center text-xs text-slate-500">Available until {utc(landing.expiresAt)}</p>
      </GuestShell>
    );
  }
  const { documents, ctx } = landing;
  return (
    <GuestShell>
      {landing.message ? <SenderMessage text={landing.message} /> : null}
      <div className="mb-4 flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Shared documents</h1>
          <p className="text-sm text-slate-600">Signed in as <span className="font-medium text-slate-800">{ctx.identity}</span> · available until {utc(landing.expiresAt)}</p>
        </div>
        <ul className="flex gap-2 text-xs" aria-label="Share conditions">
          <Pill on={ctx.share.allowDownload} label={ctx.share.allowDownload ? 'Download allowed' : 'View only'} />
          <Pill on={ctx.share.allowPrint} label={ctx.share.allowPrint ? 'Printing allowed' : 'No printing'} />
          {ctx.share.watermark ? <Pill on={false} label="Watermarked" /> : null}
        </ul>
      </div>
      {documents.length === 0 ? (
        <GuestNotice title="Nothing to show">The documents in this share are no longer available.</GuestNotice>
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          {documents.map((d) => (
            <li key={d.id} className="flex items-center justify-between gap-4 px-5 py-4">
              <div className="min-w-0">
                <Link href={`/s/${token}/d/${d.id}`} className="truncate font-medium text-indigo-800 hover:underline focus:outline-none focus:ring-2 focus:ring-indigo-600">{d.title}</Link>
                <p className="text-xs text-slate-600">{d.fileName} · {d.mediaType} · {humanSize(d.size)}</p>
              </div>
              <div className="flex shrink-0 gap-2">
                <Link href={`/s/${token}/d/${d.id}`} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">View</Link>
                {d.allowDownload ? (
                  <a href={`/s/${token}/d/${d.id}/download`} className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800">Download</a>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </GuestShell>
  );
}

function SenderMessage({ text }: { text: string }) {
  return (
    <aside className="mx-auto mb-6 max-w-lg rounded-lg border border-indigo-100 bg-indigo-50 px-4 py-3 text-sm text-indigo-950">
      <p className="text-xs font-semibold uppercase tracking-wide text-indigo-800">Message from the sender</p>
      <p className="mt-1 whitespace-pre-wrap">{text}</p>
    </aside>
  );
}

function Pill({ on, label }: { on: boolean; label: string }) {
  return <li className={`rounded-full px-2.5 py-1 font-medium ${on ? 'bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200' : 'bg-slate-200 text-slate-800'}`}>{label}</li>;
}
