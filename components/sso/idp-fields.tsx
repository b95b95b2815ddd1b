'use client';

import { useId, useState } from 'react';
import { input, label } from '../ui/styles';

export interface IdpDefaults { kind: 'OIDC' | 'SAML'; issuer?: string | null; clientId?: string | null; requireMfa?: boolean; hasSecret?: boolean }

const hintClass = (error?: string) => `mt-1 text-xs ${error ? 'text-red-700' : 'text-slate-500'}`;

/**
 * The identity provider part of a form: OIDC (issuer, client id and secret, MFA) or SAML (metadata,
 * pasted or read from a file). Field names: kind, issuer, clientId, clientSecret, requireMfa, metadataXml.
 */
export function IdpFields({ defaults, errors, editing }: { defaults?: IdpDefaults; errors: Record<string, string | undefined>; editing: boolean }) {
  const id = useId();
  const [kind, setKind] = useState<'OIDC' | 'SAML'>(defaults?.kind ?? 'OIDC');
  const [xml, setXml] = useState('');
  const [fileNote, setFileNote] = useState<string | null>(null);
  const keepSecret = editing && defaults?.kind === 'OIDC' && defaults.hasSecret;
  return (
    <fieldset className="space-y-5">
      <legend className="text-sm font-semibold text-slate-900">Identity provider</legend>
      <div className="grid gap-2 sm:grid-cols-2" role="radiogroup">
        {([['OIDC', 'OpenID Connect', 'Entra ID, Okta, Google, Keycloak… Authorization code flow with PKCE.'], ['SAML', 'SAML 2.0', 'ADFS, Shibboleth, any SAML IdP. Signed assertions required.']] as const).map(([value, title, hint]) => (
          <label key={value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 transition-colors ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300">
            <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} className="mt-0.5 size-4 shrink-0 accent-indigo-600" />
            <span className="min-w-0"><span className="block text-sm font-medium text-slate-900">{title}</span><span className="block text-xs text-slate-600">{hint}</span></span>
          </label>
        ))}
      </div>
      {kind === 'OIDC' ? (
        <div className="grid gap-5 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <label htmlFor={`${id}-issuer`} className={label}>Issuer URL</label>
            <input id={`${id}-issuer`} name="issuer" type="url" defaultValue={defaults?.issuer ?? ''} placeholder="https://login.partner.example/realms/staff" spellCheck={false}
              className={`${input} mt-1.5 font-mono`} aria-invalid={Boolean(errors.issuer) || undefined} aria-describedby={`${id}-issuer-hint`} />
            <p id={`${id}-issuer-hint`} className={hintClass(errors.issuer)}>{errors.issuer ?? 'Discovery is read from its /.well-known/openid-configuration when you save; its issuer must match exactly.'}</p>
          </div>
          <div>
            <label htmlFor={`${id}-client`} className={label}>Client ID</label>
            <input id={`${id}-client`} name="clientId" defaultValue={defaults?.clientId ?? ''} spellCheck={false} autoComplete="off" className={`${input} mt-1.5 font-mono`} aria-invalid={Boolean(errors.clientId) || undefined} aria-describedby={`${id}-client-hint`} />
            <p id={`${id}-client-hint`} className={hintClass(errors.clientId)}>{errors.clientId ?? 'As registered at the provider.'}</p>
          </div>
          <div>
            <label htmlFor={`${id}-secret`} className={label}>Client secret</label>
            <input id={`${id}-secret`} name="clientSecret" type="password" autoComplete="new-password" placeholder={keepSecret ? '•••••••• (unchanged)' : ''} className={`${input} mt-1.5 font-mono`} aria-invalid={Boolean(errors.clientSecret) || undefined} aria-describedby={`${id}-secret-hint`} />
            <p id={`${id}-secret-hint`} className={hintClass(errors.clientSecret)}>{errors.clientSecret ?? (keepSecret ? 'Leave empty to keep the stored secret.' : 'Stored encrypted; never shown again.')}</p>
          </div>
          <label className="flex gap-3 sm:col-span-2">
            <input type="checkbox" name="requireMfa" defaultChecked={defaults?.requireMfa ?? false} className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600" />
            <span><span className="block text-sm font-medium text-slate-900">Require multi-factor sign-in</span><span className="block text-xs text-slate-600">The ID token must show a second factor (<code className="font-mono">amr</code> such as <code className="font-mono">mfa</code> or <code className="font-mono">otp</code>); otherwise the sign-in is refused.</span></span>
          </label>
        </div>
      ) : (
        <div>
          <div className="flex flex-wrap items-end justify-between gap-2">
            <label htmlFor={`${id}-xml`} className={label}>IdP metadata XML</label>
            <label className="cursor-pointer text-sm font-medium text-indigo-700 hover:text-indigo-600 focus-within:underline">
              Upload a file…
              <input type="file" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" className="sr-only" onChange={async (e) => {
                const f = e.currentTarget.files?.[0];
                if (!f) return;
                if (f.size > 256 * 1024) { setFileNote('That file is larger than 256 KB.'); return; }
                setXml(await f.text());
                setFileNote(`Read ${f.name}.`);
              }} />
            </label>
          </div>
          <textarea id={`${id}-xml`} name="metadataXml" rows={8} value={xml} onChange={(e) => setXml(e.target.value)} spellCheck={false}
            placeholder={editing && defaults?.kind === 'SAML' ? 'Leave empty to keep the current metadata, or paste new metadata to replace it.' : '<md:EntityDescriptor entityID="https://idp.partner.example/…">…'}
            className={`${input} mt-1.5 font-mono text-xs leading-relaxed`} aria-invalid={Boolean(errors.metadataXml) || undefined} aria-describedby={`${id}-xml-hint`} />
          <p id={`${id}-xml-hint`} className={hintClass(errors.metadataXml)} aria-live="polite">{errors.metadataXml ?? fileNote ?? 'The entity ID, the HTTP-Redirect sign-on URL and the signing certificates are read from it.'}</p>
        </div>
      )}
    </fieldset>
  );
}

/** Splits "a.example, b.example" or one per line. */
export const splitDomains = (s: string) => s.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean);
