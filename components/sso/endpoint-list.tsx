import { CopyButton } from '../copy-button';

export interface Endpoint { label: string; value: string; hint?: string }

/** The addresses an administrator registers at an identity provider, each with a copy button. */
export function EndpointList({ endpoints }: { endpoints: Endpoint[] }) {
  return (
    <dl className="divide-y divide-slate-100">
      {endpoints.map((e) => (
        <div key={e.label} className="grid gap-1 py-3 first:pt-0 last:pb-0 sm:grid-cols-[12rem_minmax(0,1fr)_auto] sm:items-center sm:gap-4">
          <dt className="text-sm font-medium text-slate-700">{e.label}{e.hint ? <span className="block text-xs font-normal text-slate-500">{e.hint}</span> : null}</dt>
          <dd className="min-w-0"><code className="block rounded-md bg-slate-50 px-2.5 py-1.5 font-mono text-[13px] break-all text-slate-900 ring-1 ring-slate-200 ring-inset" data-testid={`endpoint-${e.label.toLowerCase().replace(/\W+/g, '-')}`}>{e.value}</code></dd>
          <dd><CopyButton value={e.value} label="Copy" /></dd>
        </div>
      ))}
    </dl>
  );
}

/** What to register at the IdP for a provider, by kind. */
export function idpEndpoints(idp: { kind: 'OIDC' | 'SAML'; redirectUri: string | null; acsUrl: string | null; spMetadataUrl: string | null }): Endpoint[] {
  if (idp.kind === 'OIDC') return [{ label: 'Redirect URI', value: idp.redirectUri ?? '', hint: 'Register it with the client (authorization code flow).' }];
  return [
    { label: 'SP metadata URL', value: idp.spMetadataUrl ?? '', hint: 'Also Liaison’s entity ID (audience).' },
    { label: 'ACS URL', value: idp.acsUrl ?? '', hint: 'Assertion Consumer Service, HTTP-POST.' },
  ];
}
