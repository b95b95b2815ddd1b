import type { Metadata } from 'next';
import Link from 'next/link';
import { cache } from 'react';
import { can, type Principal } from '@/lib/auth/principal';
import { getGuest, GUEST_SESSIONS_LIMIT, listGuestSessions } from '@/lib/guest/admin';
import { isId } from '@/lib/http/ids';
import { listDevices } from '@/lib/devices/registry';
import { DevicesTable } from '@/components/guests/devices-table';
import { GuestKindBadge, GuestStateBadge, SessionStateBadge } from '@/components/guests/badges';
import { DisableGuestButton, EnableGuestButton, RevokeAllSessionsButton, RevokeSessionButton } from '@/components/guests/guest-actions';
import { authMethodLabel, deviceIcon, guestName, kindOf } from '@/components/guests/labels';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { EvidenceBundleLink } from '@/components/feed/evidence-bundle-link';
import { card, cx, td, th } from '@/components/ui/styles';
import { pathSegment, requirePageIds } from '../../_shared/ids';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { approveDeviceAction, disableGuestAction, enableGuestAction, revokeDeviceAction, revokeGuestSessionAction, revokeGuestSessionsAction } from '../actions';

type Props = { params: Promise<{ id: string }> };

const guestFor = cache((p: Principal, id: string) => getGuest(p, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  if (!isId(id)) return { title: 'Not found' };
  try {
    return { title: `Guest: ${guestName(await guestFor(await consolePrincipal(), id))}` };
  } catch {
    return { title: 'Guest' };
  }
}

function Panel({ title, actions, children, id, className = '' }: { title: string; actions?: React.ReactNode; children: React.ReactNode; id: string; className?: string }) {
  return (
    <section aria-labelledby={id} className={`${card} min-w-0 ${className}`}>
      <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-5 py-4">
        <h2 id={id} className="text-sm font-semibold text-slate-900">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

function Row({ label, children }: { label: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-3 py-2.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </div>
  );
}

export default async function GuestPage({ params }: Props) {
  const { id } = await params;
  const p = await consolePrincipal();
  await requirePageIds(p, 'page /guests/[id]', { guestId: pathSegment(id) });
  const res = await load(async () => {
    const [guest, sessions, devices] = await Promise.all([guestFor(p, id), listGuestSessions(p, id), listDevices(p, { guestId: id, first: 200 })]);
    return { guest, sessions, devices: devices.nodes };
  });
  if (!res.ok) return <LoadError error={res} what="Seeing guests is not part of your role." />;
  const { guest: g, sessions, devices } = res.data;
  const waiting = devices.filter((d) => d.status === 'PENDING').length;
  const now = Date.now();
  const name = guestName(g);
  const open = sessions.filter((s) => s.state === 'ACTIVE');
  const cell = cx(td, 'border-b border-slate-100 align-middle');

  return (
    <>
      <PageHeader
        eyebrow={<nav aria-label="Breadcrumb"><Link href="/guests" className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />Guests</Link></nav>}
        title={<span className="flex flex-wrap items-center gap-3"><span data-testid="guest-name" className="[overflow-wrap:anywhere]">{name}</span><GuestKindBadge kind={g.kind} /><span data-testid="guest-state"><GuestStateBadge state={g.state} disabledAt={g.disabledAt} expiresAt={g.expiresAt} /></span></span>}
        description={<>{kindOf(g.kind).hint} First seen {formatDateTime(g.createdAt)}{g.lastSeenAt ? <> · last seen {relativeTime(g.lastSeenAt, now)}</> : null}.</>}
        actions={<>
          {can(p, 'audit:read') ? <EvidenceBundleLink kind="guest" id={g.id} /> : null}
          {g.canRevokeSessions && open.some((s) => s.canRevoke) ? <RevokeAllSessionsButton guestId={g.id} who={name} count={open.filter((x) => x.canRevoke).length} everywhere={g.canDisable} action={revokeGuestSessionsAction} /> : null}
          {g.canDisable ? (g.state === 'DISABLED'
            ? <EnableGuestButton guestId={g.id} who={name} action={enableGuestAction} />
            : <DisableGuestButton guestId={g.id} who={name} action={disableGuestAction} />) : null}
        </>}
      />

      {g.state === 'DISABLED' ? (
        <Notice tone="error" title={`Disabled ${formatDateTime(g.disabledAt)}`} className="mb-6">
          This guest is refused on every share and portal.{g.disabledReason ? <> Reason: <span className="whitespace-pre-wrap" data-testid="disabled-reason">{g.disabledReason}</span></> : ' No reason was given.'}
        </Notice>
      ) : g.state === 'EXPIRED' ? (
        <Notice tone="warning" title={`Expired ${formatDateTime(g.expiresAt)}`} className="mb-6">This guest&rsquo;s access ended on that date; they are refused on every share.</Notice>
      ) : null}

      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Panel id="details-title" title="Details">
          <dl className="divide-y divide-slate-100 px-5" data-testid="guest-details">
            <Row label="Email">{g.email ? <span className="[overflow-wrap:anywhere]">{g.email}</span> : <span className="text-slate-500">Not known</span>}</Row>
            <Row label="Name">{g.displayName ?? <span className="text-slate-500">Not given</span>}</Row>
            <Row label="Kind">{kindOf(g.kind).label}</Row>
            <Row label="Organisation">{g.partnerOrg?.name ?? <span className="text-slate-500">None</span>}</Row>
            {g.groups.length ? <Row label="Groups"><span className="font-mono text-xs">{g.groups.join(', ')}</span></Row> : null}
            <Row label="First seen"><span className="tabular">{formatDateTime(g.createdAt)}</span></Row>
            <Row label="Last seen">{g.lastSeenAt ? <span title={formatDateTime(g.lastSeenAt)}>{relativeTime(g.lastSeenAt, now)}</span> : <span className="text-slate-500">Never</span>}</Row>
            <Row label="Access ends">{g.expiresAt ? <span className="tabular">{formatDateTime(g.expiresAt)}</span> : <span className="text-slate-500">With each share</span>}</Row>
            <Row label="Guest id"><code className="font-mono text-xs break-all text-slate-700">{g.id}</code></Row>
          </dl>
        </Panel>

        <Panel id="shares-title" title={`Shares (${g.shares.length})`} className="lg:col-span-2">
          {g.shares.length ? (
            <ul role="list" className="divide-y divide-slate-100" data-testid="guest-shares">
              {g.shares.map((s) => {
                const expired = s.expiresAt.getTime() <= now;
                return (
                  <li key={s.id} className="flex items-center gap-3 px-5 py-3">
                    <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-500" aria-hidden="true"><Icon name="share" className="size-4" /></span>
                    <div className="min-w-0 flex-1">
                      <Link href={`/shares/${s.id}`} className="block truncate text-sm font-medium text-slate-900 hover:text-indigo-600">{s.title}</Link>
                      <p className="text-xs text-slate-500">{s.documentCount} document{s.documentCount === 1 ? '' : 's'} · {s.state === 'REVOKED' ? 'revoked' : `${expired ? 'expired' : 'expires'} ${formatDateTime(s.expiresAt)}`}{s.ownedByCaller ? ' · created by you' : ''}</p>
                    </div>
                    {s.state === 'REVOKED' ? <Badge tone="red">Revoked</Badge> : expired ? <Badge tone="amber">Expired</Badge> : <Badge tone="green">Active</Badge>}
                  </li>
                );
              })}
            </ul>
          ) : <EmptyState icon="share" title="No shares">This guest has not opened a share yet.</EmptyState>}
        </Panel>

        <Panel id="devices-title" title={`Devices (${devices.length})`} className="lg:col-span-3"
          actions={<span className="text-xs text-slate-500">{waiting ? `${waiting} awaiting approval · ` : ''}first device approved on first use · times in UTC</span>}>
          {devices.length === 0 ? (
            <EmptyState icon="key" title="No devices">
              A browser registers its device key when the guest opens a share or portal that requires an approved device. The first one is approved automatically; later ones wait for you here.
            </EmptyState>
          ) : (
            <div className="max-h-[24rem] overflow-auto" data-testid="guest-devices">
              <DevicesTable devices={devices} now={now} approve={approveDeviceAction} revoke={revokeDeviceAction} />
            </div>
          )}
        </Panel>

        <Panel id="sessions-title" title="Sessions" className="lg:col-span-3"
          actions={<span className="text-xs text-slate-500">{open.length ? `${open.length} open` : 'None open'} · newest first · times in UTC</span>}>
          {sessions.length === 0 ? (
            <EmptyState icon="monitor" title="No sessions">A session starts when the guest passes a share&rsquo;s conditions and opens it.</EmptyState>
          ) : (
            <div className="max-h-[32rem] overflow-auto">
              <table className="min-w-full border-separate border-spacing-0" data-testid="guest-sessions">
                <thead>
                  <tr>
                    <th scope="col" className={th}>Device and browser</th>
                    <th scope="col" className={th}>Share</th>
                    <th scope="col" className={cx(th, 'whitespace-nowrap')}>IP address</th>
                    <th scope="col" className={th}>Country</th>
                    <th scope="col" className={th}>Started</th>
                    <th scope="col" className={cx(th, 'whitespace-nowrap')}>Last seen</th>
                    <th scope="col" className={th}>State</th>
                    <th scope="col" className={th}><span className="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody className="[&>tr:last-child>td]:border-b-0">
                  {sessions.map((s) => (
                    <tr key={s.id} className="hover:bg-slate-50/80" data-testid={`guest-session-${s.id}`}>
                      <td className={cell}>
                        <div className="flex items-center gap-3">
                          <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-500" aria-hidden="true"><Icon name={deviceIcon(s.device)} className="size-4" /></span>
                          <div className="min-w-0">
                            <p className="max-w-[16rem] truncate font-medium text-slate-900" title={s.userAgent ?? undefined}>{s.browser.label}</p>
                            <p className="text-xs text-slate-500"><span className="capitalize">{s.device ?? 'Unknown device'}</span> · {authMethodLabel(s.authMethod)}</p>
                          </div>
                        </div>
                      </td>
                      <td className={cx(cell, 'max-w-[14rem]')}>{s.shareId ? <Link href={`/shares/${s.shareId}`} className="block truncate hover:text-indigo-600" title={s.shareTitle ?? undefined}>{s.shareTitle}</Link> : <span className="text-slate-400">—</span>}</td>
                      <td className={cell}><code className="font-mono text-xs text-slate-700">{s.ip}</code></td>
                      <td className={cell}>{s.country ?? <span className="text-slate-400">Unknown</span>}</td>
                      <td className={cx(cell, 'whitespace-nowrap')}>
                        <time dateTime={s.createdAt.toISOString()} className="block text-slate-900">{relativeTime(s.createdAt, now)}</time>
                        <span className="tabular block text-xs text-slate-500">{formatDateTime(s.createdAt)}</span>
                      </td>
                      <td className={cx(cell, 'whitespace-nowrap')}><time dateTime={s.lastSeenAt.toISOString()} title={formatDateTime(s.lastSeenAt)}>{relativeTime(s.lastSeenAt, now)}</time></td>
                      <td className={cell}><SessionStateBadge state={s.state} revokedAt={s.revokedAt} /></td>
                      <td className={cx(cell, 'text-right whitespace-nowrap')}>
                        {s.canRevoke ? <RevokeSessionButton id={s.id} what={`${s.browser.label}, ${s.ip}`} action={revokeGuestSessionAction} /> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {sessions.length >= GUEST_SESSIONS_LIMIT ? <p className="border-t border-slate-200 px-5 py-3 text-xs text-slate-500">Showing the {GUEST_SESSIONS_LIMIT} newest sessions.</p> : null}
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
