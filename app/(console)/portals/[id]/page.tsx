import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { config } from '@/lib/config';
import { getPortal } from '@/lib/portals/admin';
import { ArchivePortalButton } from '@/components/portals/archive-portal-button';
import { BrandingForm } from '@/components/portals/branding-form';
import { LogoUpload } from '@/components/portals/logo-upload';
import { Painted } from '@/components/portals/painted';
import { FormSection } from '@/components/shares/fields';
import { Notice } from '@/components/ui/notice';
import { card } from '@/components/ui/styles';
import { pathSegment, requirePageIds } from '../../_shared/ids';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { archivePortalAction, updatePortalAction } from './actions';

export const metadata: Metadata = { title: 'Portal' };

type Props = { params: Promise<{ id: string }> };

export default async function PortalOverviewPage({ params }: Props) {
  const p = await consolePrincipal();
  const id = pathSegment((await params).id);
  await requirePageIds(p, 'page /portals/[id]', { portalId: id });
  const res = await load(() => getPortal(p, id));
  if (!res.ok) return <LoadError error={res} />;
  const portal = res.data;
  const canWrite = can(p, 'portals:write');
  const logoUrl = portal.logoUpdatedAt ? `/api/v1/portals/${portal.id}/logo?v=${portal.logoUpdatedAt.getTime().toString(36)}` : null;

  if (!canWrite || portal.archivedAt) {
    return (
      <div className="space-y-6">
        {portal.archivedAt ? (
          <Notice tone="warning" title="This portal is archived">
            It is offline: guests cannot open it and their sessions were ended. Restore it to change it or to let guests in again.
          </Notice>
        ) : <Notice tone="info" title="Read only">Changing portals is not part of your role.</Notice>}
        <dl className={`${card} grid gap-6 p-6 sm:grid-cols-2 lg:grid-cols-4`}>
          <div><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Primary colour</dt><dd className="mt-1 flex items-center gap-2 font-mono text-sm"><Painted className="size-4 rounded ring-1 ring-slate-300" paint={{ backgroundColor: portal.primaryColor }} />{portal.primaryColor}</dd></div>
          <div><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Accent colour</dt><dd className="mt-1 flex items-center gap-2 font-mono text-sm"><Painted className="size-4 rounded ring-1 ring-slate-300" paint={{ backgroundColor: portal.accentColor }} />{portal.accentColor}</dd></div>
          <div><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Support contact</dt><dd className="mt-1 text-sm text-slate-900">{portal.supportEmail ?? '—'}</dd></div>
          <div><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Welcome text</dt><dd className="mt-1 line-clamp-3 text-sm text-slate-900">{portal.welcome || '—'}</dd></div>
        </dl>
        {canWrite && portal.archivedAt ? <ArchivePortalButton portalId={portal.id} archived action={archivePortalAction} /> : null}
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <BrandingForm
        mode="edit"
        action={updatePortalAction.bind(null, portal.id)}
        publicBase={config().publicUrl}
        logoUrl={logoUrl}
        initial={{ name: portal.name, slug: portal.slug, primaryColor: portal.primaryColor.toUpperCase(), accentColor: portal.accentColor.toUpperCase(), welcome: portal.welcome, footer: portal.footer, supportEmail: portal.supportEmail ?? '' }}
      >
        <FormSection title="Logo" description="Shown in the portal's header and on its sign-in page. It is re-encoded on upload, with any metadata removed.">
          <LogoUpload portalId={portal.id} logoUrl={logoUrl} />
        </FormSection>
      </BrandingForm>
      <section aria-labelledby="archive-title" className={`${card} flex flex-col gap-4 p-6 sm:flex-row sm:items-center sm:justify-between`}>
        <div>
          <h2 id="archive-title" className="text-sm font-semibold text-slate-900">Archive this portal</h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-500">Takes the portal offline at once and ends every guest session on it. Sections, grants and the audit trail are kept, and you can restore it later.</p>
        </div>
        <ArchivePortalButton portalId={portal.id} archived={false} action={archivePortalAction} />
      </section>
    </div>
  );
}
