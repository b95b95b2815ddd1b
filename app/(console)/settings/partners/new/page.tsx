import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { consolePrincipal } from '../../../_shared/principal';
import { PartnerForm } from '../partner-form';

export const metadata: Metadata = { title: 'Add partner organisation' };

export default async function NewPartnerPage() {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Partner organisations are managed by administrators." scope="admin" />;
  return (
    <>
      <PageHeader
        eyebrow={<Link href="/settings/partners" className="hover:text-slate-700 hover:underline">Partner organisations</Link>}
        title="Add partner organisation"
        description="You need the partner’s issuer URL and a client registered for Liaison (OpenID Connect), or their IdP metadata (SAML). Once added, you get the addresses to register on their side."
      />
      <section className={`${card} p-6`}><PartnerForm /></section>
    </>
  );
}
