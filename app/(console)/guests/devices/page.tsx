import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { DEVICE_STATUSES, listDevices } from '@/lib/devices/registry';
import { DevicesTable } from '@/components/guests/devices-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { queryValue, requirePageIds } from '../../_shared/ids';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { approveDeviceAction, revokeDeviceAction } from '../actions';

export const metadata: Metadata = { title: 'Guest devices' };

const PAGE_SIZE = 50;
const TABS = [
  { value: 'PENDING', label: 'Awaiting approval' },
  { value: 'APPROVED', label: 'Approved' },
  { value: 'REVOKED', label: 'Revoked' },
  { value: 'all', label: 'All' },
] as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GuestDevicesPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  const sp = await searchParams;
  const after = queryValue(sp.after);
  await requirePageIds(p, 'page /guests/devices', { cursor: after });
  if (!can(p, 'shares:read') && !can(p, 'audit:read') && !can(p, 'admin')) return <Forbidden what="Seeing guests is not part of your role." scope="shares:read" />;
  // Pending first: this page is where approvals are waiting.
  const tab = TABS.find((t) => t.value === queryValue(sp.status))?.value ?? 'PENDING';
  const status = DEVICE_STATUSES.find((s) => s === tab);
  const res = await load(async () => {
    const page = await listDevices(p, { status, after, first: PAGE_SIZE });
    return { ...page, total: await page.totalCount() };
  });
  const href = (extra: Record<string, string | undefined>) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: tab === 'PENDING' ? undefined : tab, ...extra })) if (v) u.set(k, v);
    const s = u.toString();
    return `/guests/devices${s ? `?${s}` : ''}`;
  };

  return (
    <>
      <PageHeader
        eyebrow={<nav aria-label="Breadcrumb"><Link href="/guests" className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />Guests</Link></nav>}
        title="Guest devices"
        description="Browser keys that guests registered on shares and portals requiring an approved device. A guest's first device is approved on first use; every later one waits here for an owner or admin."
      />
      <section aria-labelledby="devices-list-title" className={card}>
        <h2 id="devices-list-title" className="sr-only">Devices</h2>
        <div className="border-b border-slate-200 p-4">
          <nav aria-label="Filter by status">
            <ul role="list" className="flex w-fit gap-1 rounded-lg bg-slate-100 p-1">
              {TABS.map((t) => {
                const active = tab === t.value;
                return (
                  <li key={t.value}>
                    <Link href={href({ status: t.value === 'PENDING' ? undefined : t.value })} aria-current={active ? 'page' : undefined}
                      className={`block rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                      {t.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        </div>
        {!res.ok ? (
          <div className="p-4"><LoadError error={res} what="Seeing guests is not part of your role." /></div>
        ) : res.data.nodes.length === 0 ? (
          <EmptyState icon={tab === 'PENDING' ? 'shieldCheck' : 'key'} title={tab === 'PENDING' ? 'Nothing awaits approval' : 'No devices'}>
            {tab === 'PENDING' ? 'When a guest opens a device-bound share from a new browser, the device appears here for you to approve or decline.' : 'No device has this status.'}
          </EmptyState>
        ) : (
          <>
            <div className="max-h-[70vh] overflow-auto">
              <DevicesTable devices={res.data.nodes} now={Date.now()} showGuest approve={approveDeviceAction} revoke={revokeDeviceAction} />
            </div>
            <Pager
              summary={<>Showing {res.data.nodes.length} of {res.data.total.toLocaleString('en-US')} device{res.data.total === 1 ? '' : 's'}</>}
              prevHref={after ? href({}) : null} prevLabel="First page"
              nextHref={res.data.hasNextPage && res.data.endCursor ? href({ after: res.data.endCursor }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
