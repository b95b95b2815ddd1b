import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listPartnerOrgs } from '@/lib/sso/partners';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { button, card, cx, td, th } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';

export const metadata: Metadata = { title: 'Partner organisations' };

export default async function PartnersPage() {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Partner organisations are managed by administrators." scope="admin" />;
  const res = await load(() => listPartnerOrgs(p));
  return (
    <>
      <PageHeader
        title="Partner organisations"
        description="Organisations whose people sign in with their own identity provider (OpenID Connect or SAML 2.0) to reach what you share with them. A guest whose address is in a partner’s domains is sent to that provider."
        actions={<Link href="/settings/partners/new" className={button('primary')}><Icon name="plus" className="size-4" />Add partner organisation</Link>}
      />
      <section aria-labelledby="partners-title" className={card}>
        <div className="border-b border-slate-200 px-5 py-4"><h2 id="partners-title" className="text-sm font-semibold text-slate-900">Partners</h2></div>
        {!res.ok ? <div className="p-4"><LoadError error={res} /></div> : res.data.length === 0 ? (
          <EmptyState icon="users" title="No partner organisations yet" action={<Link href="/settings/partners/new" className={button('secondary')}><Icon name="plus" className="size-4" />Add the first one</Link>}>
            Add a partner to let its people sign in through their own identity provider, with their own MFA.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="partners-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Organisation</th>
                  <th scope="col" className={th}>Domains</th>
                  <th scope="col" className={th}>Sign-in</th>
                  <th scope="col" className={th}>Ceiling</th>
                  <th scope="col" className={cx(th, 'text-right')}>Guests</th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {res.data.map((o) => (
                  <tr key={o.id} className="hover:bg-slate-50/80">
                    <td className={cx(td, 'border-b border-slate-100')}>
                      <Link href={`/settings/partners/${o.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">{o.name}</Link>
                      {o.lawEnforcement ? <span className="ml-2 align-middle"><Badge tone="amber" title="Law-enforcement agency">Law enforcement</Badge></span> : null}
                    </td>
                    <td className={cx(td, 'border-b border-slate-100')}>
                      <div className="flex max-w-sm flex-wrap gap-1">{o.domains.map((d) => <span key={d} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{d}</span>)}</div>
                    </td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>
                      {o.idp ? (
                        <span className="flex items-center gap-2">
                          <Badge tone={o.idp.kind === 'OIDC' ? 'blue' : 'indigo'}>{o.idp.kind === 'OIDC' ? 'OpenID Connect' : 'SAML 2.0'}</Badge>
                          {o.idp.requireMfa ? <Badge tone="green" title="The provider must show a second factor">MFA required</Badge> : null}
                          {!o.idp.enabled ? <Badge tone="slate">Disabled</Badge> : null}
                        </span>
                      ) : <span className="text-slate-400">Not set</span>}
                    </td>
                    <td className={cx(td, 'border-b border-slate-100')}>{o.tlpCeiling ? <TlpBadge tlp={o.tlpCeiling} /> : <span className="text-slate-400">—</span>}</td>
                    <td className={cx(td, 'tabular border-b border-slate-100 text-right')}>{o.guestCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
