import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { getPartnerOrg } from '@/lib/sso/partners';
import { EndpointList, idpEndpoints } from '@/components/sso/endpoint-list';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';
import { pathSegment, requirePageIds } from '../../../_shared/ids';
import { PartnerForm } from '../partner-form';
import { DeletePartner } from './delete-partner';

export const metadata: Metadata = { title: 'Partner organisation' };

export default async function PartnerPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> }) {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Partner organisations are managed by administrators." scope="admin" />;
  const { id } = await params;
  await requirePageIds(p, 'page /settings/partners/[id]', { partnerOrgId: pathSegment(id) });
  const res = await load(() => getPartnerOrg(p, id));
  if (!res.ok) return <LoadError error={res} />;
  const o = res.data;
  const created = (await searchParams).created === '1';
  return (
    <>
      <PageHeader
        eyebrow={<Link href="/settings/partners" className="hover:text-slate-700 hover:underline">Partner organisations</Link>}
        title={o.name}
        description={`${o.guestCount === 0 ? 'No guests have signed in through this partner yet' : `${o.guestCount} guest${o.guestCount === 1 ? ' has' : 's have'} signed in through this partner`}. Domains: ${o.domains.join(', ')}.`}
        actions={<DeletePartner id={o.id} name={o.name} />}
      />
      {created ? <Notice tone="success" title="Partner organisation added" className="mb-6">Register the address{o.idp?.kind === 'SAML' ? 'es' : ''} below at {o.name}’s identity provider; then their people can sign in.</Notice> : null}
      {o.idp ? (
        <section aria-labelledby="endpoints-title" className={`${card} mb-8 p-6`}>
          <h2 id="endpoints-title" className="text-sm font-semibold text-slate-900">Register at the partner’s identity provider</h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">{o.idp.kind === 'OIDC'
            ? <>Client <code className="font-mono text-xs text-slate-800">{o.idp.clientId}</code> at <code className="font-mono text-xs break-all text-slate-800">{o.idp.issuer}</code>. Liaison uses the authorization code flow with PKCE and checks the ID token’s issuer, audience, expiry and nonce{o.idp.requireMfa ? ', and that a second factor was used' : ''}.</>
            : <>Identity provider <code className="font-mono text-xs break-all text-slate-800">{o.idp.entityId}</code>. Assertions must be signed; audience, recipient, destination, validity and InResponseTo are checked.</>}</p>
          <EndpointList endpoints={idpEndpoints(o.idp)} />
        </section>
      ) : null}
      <section aria-labelledby="edit-title" className={`${card} p-6`}>
        <h2 id="edit-title" className="mb-5 text-sm font-semibold text-slate-900">Settings</h2>
        <PartnerForm partner={{
          id: o.id, name: o.name, domains: o.domains, tlpCeiling: o.tlpCeiling, lawEnforcement: o.lawEnforcement,
          idp: o.idp ? { kind: o.idp.kind, issuer: o.idp.issuer, clientId: o.idp.clientId, requireMfa: o.idp.requireMfa, hasSecret: o.idp.kind === 'OIDC' } : null,
        }} />
      </section>
    </>
  );
}
