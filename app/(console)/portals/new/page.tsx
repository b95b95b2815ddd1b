import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { config } from '@/lib/config';
import { BrandingForm } from '@/components/portals/branding-form';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { consolePrincipal } from '../../_shared/principal';
import { createPortalAction } from './actions';

export const metadata: Metadata = { title: 'New portal' };

export default async function NewPortalPage() {
  const p = await consolePrincipal();
  if (!can(p, 'portals:write')) return <Forbidden what="Creating portals is not part of your role." scope="portals:write" />;
  return (
    <>
      <PageHeader
        eyebrow={<nav aria-label="Breadcrumb"><Link href="/portals" className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />Portals</Link></nav>}
        title="New portal"
        description="Name the portal and choose its colours. You add a logo, sections of documents and the people who may enter on the next pages."
      />
      <BrandingForm
        mode="create"
        action={createPortalAction}
        publicBase={config().publicUrl}
        initial={{ name: '', slug: '', primaryColor: '#1F3A5F', accentColor: '#B4471F', welcome: '', footer: '', supportEmail: '' }}
      />
    </>
  );
}
