import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { getPortal } from '@/lib/portals/admin';
import { loadPortalUrl } from '@/lib/portals/urls';
import { PortalMark } from '@/components/portals/portal-mark';
import { PortalTabs } from '@/components/portals/portal-tabs';
import { Badge } from '@/components/ui/badge';
import { Icon } from '@/components/ui/icons';
import { Forbidden } from '@/components/ui/status-page';
import { button } from '@/components/ui/styles';
import { pathSegment, requirePageIds } from '../../_shared/ids';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';

type Props = { children: React.ReactNode; params: Promise<{ id: string }> };

/** The portal's header and tab bar, around each of its pages (branding, sections, access, domains, analytics, preview). */
export default async function PortalLayout({ children, params }: Props) {
  const p = await consolePrincipal();
  const id = pathSegment((await params).id);
  await requirePageIds(p, 'page /portals/[id]', { portalId: id });
  if (!can(p, 'portals:read')) return <Forbidden what="Seeing portals is not part of your role." scope="portals:read" />;
  const res = await load(() => getPortal(p, id));
  if (!res.ok) return <LoadError error={res} what="Seeing portals is not part of your role." />;
  const portal = res.data;
  const openUrl = (await loadPortalUrl(portal.id)) ?? `/p/${portal.slug}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/portals" className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />Portals</Link>
      </nav>
      <header className="mb-6 border-b border-slate-200">
        <div className="flex flex-col gap-4 pb-5 sm:flex-row sm:items-center sm:justify-between">
          <div className="flex min-w-0 items-center gap-4">
            <PortalMark portal={portal} size="lg" />
            <div className="min-w-0">
              <div className="flex flex-wrap items-center gap-2">
                <h1 className="truncate text-2xl font-semibold tracking-tight text-slate-900" data-testid="portal-name">{portal.name}</h1>
                {portal.archivedAt ? <Badge tone="slate">Archived</Badge> : <Badge tone="green">Live</Badge>}
              </div>
              <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-500">
                <span className="font-mono text-[13px]">/p/{portal.slug}</span>
                <span aria-hidden="true">·</span>
                <span>{portal.sectionCount} section{portal.sectionCount === 1 ? '' : 's'}</span>
                <span aria-hidden="true">·</span>
                <span>{portal.documentCount} document{portal.documentCount === 1 ? '' : 's'}</span>
                <span aria-hidden="true">·</span>
                <span data-testid="portal-active-grants">{portal.activeGrantCount} active grant{portal.activeGrantCount === 1 ? '' : 's'}</span>
                {portal.pendingGrantCount ? (
                  <>
                    <span aria-hidden="true">·</span>
                    <Link href="/approvals" className="font-medium text-amber-800 underline decoration-amber-300 underline-offset-2 hover:decoration-amber-700" data-testid="portal-pending-grants">
                      {portal.pendingGrantCount} awaiting approval
                    </Link>
                  </>
                ) : null}
              </p>
            </div>
          </div>
          {portal.archivedAt ? null : (
            <a href={openUrl} target="_blank" rel="noopener" className={button('secondary')} data-testid="open-portal">
              <Icon name="externalLink" className="size-4" />Open portal<span className="sr-only"> (opens in a new tab)</span>
            </a>
          )}
        </div>
        <PortalTabs portalId={portal.id} />
      </header>
      {children}
    </>
  );
}
