import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { getStaffIdentityProvider } from '@/lib/sso/staff-idp';
import { EndpointList, idpEndpoints } from '@/components/sso/endpoint-list';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { StaffIdpForm } from './staff-idp-form';

export const metadata: Metadata = { title: 'Sign-in' };

export default async function SignInSettingsPage() {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Sign-in settings are managed by administrators." scope="admin" />;
  const res = await load(() => getStaffIdentityProvider(p));
  if (!res.ok) return <LoadError error={res} />;
  const idp = res.data;
  return (
    <>
      <PageHeader title="Sign-in" description="Let your staff sign in to the console with your organisation’s identity provider, beside email and password. Only existing, active staff accounts can sign in this way: nobody is created by it." />
      {idp ? (
        <section aria-labelledby="sso-status" className={`${card} mb-8 p-6`}>
          <div className="mb-4 flex flex-wrap items-center gap-2">
            <h2 id="sso-status" className="text-sm font-semibold text-slate-900">{idp.name}</h2>
            <Badge tone={idp.kind === 'OIDC' ? 'blue' : 'indigo'}>{idp.kind === 'OIDC' ? 'OpenID Connect' : 'SAML 2.0'}</Badge>
            {idp.enabled ? <Badge tone="green">Offered</Badge> : <Badge tone="slate">Paused</Badge>}
            <span className="text-sm text-slate-500">for {idp.domains.join(', ')}</span>
          </div>
          <p className="mb-4 text-sm text-slate-600">Register at your identity provider:</p>
          <EndpointList endpoints={idpEndpoints(idp)} />
        </section>
      ) : null}
      <section aria-labelledby="sso-form" className={`${card} p-6`}>
        <h2 id="sso-form" className="mb-5 text-sm font-semibold text-slate-900">{idp ? 'Settings' : 'Set up single sign-on for staff'}</h2>
        <StaffIdpForm current={idp ? { name: idp.name, domains: idp.domains, enabled: idp.enabled, idp: { kind: idp.kind, issuer: idp.issuer, clientId: idp.clientId, requireMfa: idp.requireMfa, hasSecret: idp.kind === 'OIDC' } } : null} />
      </section>
    </>
  );
}
