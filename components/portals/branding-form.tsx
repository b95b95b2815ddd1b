'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/http/action';
import { normaliseHex, portalContrast } from '@/lib/portals/contrast';
import { suggestSlug } from '@/lib/portals/slug';
import { Field, FormSection } from '../shares/fields';
import { fieldErrors, formLevelError, type ActionError } from '../shares/field-errors';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, card, input } from '../ui/styles';
import { ColourField } from './colour-field';
import { ContrastCheck } from './contrast-check';
import { PortalPreview } from './portal-preview';

export interface BrandingValues { name: string; slug: string; primaryColor: string; accentColor: string; welcome: string; footer: string; supportEmail: string }
export type BrandingAction = (input: BrandingValues) => Promise<ActionResult<{ id: string }>>;

/**
 * The portal's name, address and branding, for a new portal and for an existing one. Colours are
 * checked as they change (the server refuses the same pairs below AA), and a preview shows them.
 */
export function BrandingForm({ mode, initial, action, logoUrl, publicBase, children }: {
  mode: 'create' | 'edit'; initial: BrandingValues; action: BrandingAction; logoUrl?: string | null; publicBase: string; children?: React.ReactNode;
}) {
  const id = useId();
  const router = useRouter();
  const topRef = useRef<HTMLDivElement>(null);
  const [v, setV] = useState(initial);
  const [slugEdited, setSlugEdited] = useState(mode === 'edit');
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();

  const primary = normaliseHex(v.primaryColor);
  const accent = normaliseHex(v.accentColor);
  const pairs = useMemo(() => (primary && accent ? portalContrast(primary, accent) : null), [primary, accent]);
  const set = (k: keyof BrandingValues) => (value: string) => { setSaved(false); setV((cur) => ({ ...cur, [k]: value, ...(k === 'name' && !slugEdited ? { slug: suggestSlug(value) } : {}) })); };

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    startTransition(async () => {
      setError(null);
      const r = await action({ ...v, slug: v.slug.trim().toLowerCase() });
      if (!r.ok) { setError(r.error); topRef.current?.scrollIntoView({ block: 'start' }); return; }
      if (mode === 'create') { router.push(`/portals/${r.data.id}`); return; }
      setSaved(true);
      router.refresh();
    });
  }

  const fe = fieldErrors(error);
  const top = formLevelError(error, fe);
  const err = (k: string) => fe[k];
  const described = (k: string) => ({ 'aria-invalid': Boolean(err(k)) || undefined, 'aria-describedby': `${id}-${k}-hint` });
  const weak = pairs?.some((c) => !c.passes) ?? false;

  return (
    <div ref={topRef} className="scroll-mt-8">
      {top ? <Notice tone="error" title={mode === 'create' ? 'The portal was not created' : 'The changes were not saved'} className="mb-4">{top}</Notice> : null}
      {saved ? <Notice tone="success" title="Branding saved" className="mb-4">Guests see the new branding on their next page.</Notice> : null}
      <form method="post" onSubmit={onSubmit} noValidate className={`${card} divide-y divide-slate-200 px-6 py-4 sm:px-8`}>
        <FormSection title="Name and address" description="The name appears in the portal's header and in invitation mails. The slug is part of the portal's address.">
          <Field htmlFor={`${id}-name`} label="Portal name" error={err('name')} hint="2 to 120 characters, e.g. “Northwind — External Counsel”.">
            <input id={`${id}-name`} name="name" value={v.name} onChange={(e) => set('name')(e.target.value)} maxLength={120} required autoFocus={mode === 'create'}
              className={`${input} sm:max-w-md`} {...described('name')} />
          </Field>
          <Field htmlFor={`${id}-slug`} label="Slug" error={err('slug')}
            hint={<>Lower-case letters, digits and hyphens, 3 to 48 characters. The portal opens at <span className="font-mono text-slate-700">{publicBase}/p/{v.slug || '…'}</span>{mode === 'edit' ? '. Changing it breaks links already sent.' : '.'}</>}>
            <div className="flex max-w-md rounded-md shadow-sm">
              <span className="inline-flex items-center rounded-l-md bg-slate-50 px-3 font-mono text-sm text-slate-500 ring-1 ring-slate-300 ring-inset">/p/</span>
              <input id={`${id}-slug`} name="slug" value={v.slug} onChange={(e) => { setSlugEdited(true); set('slug')(e.target.value.toLowerCase()); }} maxLength={48} spellCheck={false} autoCapitalize="none"
                className={`${input} -ml-px rounded-l-none font-mono shadow-none`} {...described('slug')} />
            </div>
          </Field>
        </FormSection>

        <FormSection title="Colours" description="White text sits on the primary colour (header and buttons); links use the accent colour on white. Both need a contrast of at least 4.5:1 (WCAG AA).">
          <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
            <div className="space-y-5">
              <div className="grid gap-5 sm:grid-cols-2">
                <ColourField id={`${id}-primaryColor`} name="primaryColor" label="Primary colour" hint="Header and buttons, under white text." value={v.primaryColor} onChange={set('primaryColor')} invalid={Boolean(err('primaryColor')) || pairs?.[0].passes === false} />
                <ColourField id={`${id}-accentColor`} name="accentColor" label="Accent colour" hint="Links, on white." value={v.accentColor} onChange={set('accentColor')} invalid={Boolean(err('accentColor')) || pairs?.[1].passes === false} />
              </div>
              {pairs ? <ContrastCheck pairs={pairs} /> : <p className="text-xs text-red-700">Enter colours as hex values such as #1F3A5F.</p>}
              {err('primaryColor') || err('accentColor') ? <p className="text-xs text-red-700">{err('primaryColor') ?? err('accentColor')}</p> : null}
            </div>
            <PortalPreview name={v.name} primaryColor={primary ?? '#1f3a5f'} accentColor={accent ?? '#b4471f'} logoUrl={logoUrl} welcome={v.welcome} />
          </div>
        </FormSection>

        {children}

        <FormSection title="Texts" description="Shown to guests as plain text: no links or formatting are interpreted.">
          <Field htmlFor={`${id}-welcome`} label="Welcome text" optional error={err('welcome')} hint="Up to 2,000 characters, shown on the portal's home page.">
            <textarea id={`${id}-welcome`} name="welcome" rows={3} maxLength={2000} value={v.welcome} onChange={(e) => set('welcome')(e.target.value)}
              placeholder="Documents for the Acme v. Initech matter. Contact us with any questions." className={`${input} min-h-[5rem] resize-y`} {...described('welcome')} />
          </Field>
          <Field htmlFor={`${id}-footer`} label="Legal footer" optional error={err('footer')} hint="Up to 4,000 characters, shown at the foot of every portal page.">
            <textarea id={`${id}-footer`} name="footer" rows={3} maxLength={4000} value={v.footer} onChange={(e) => set('footer')(e.target.value)}
              placeholder="Confidential. Access is logged. Unauthorised disclosure is prohibited." className={`${input} min-h-[5rem] resize-y`} {...described('footer')} />
          </Field>
          <Field htmlFor={`${id}-supportEmail`} label="Support contact" optional error={err('supportEmail')} hint="Guests who need help are pointed to this address.">
            <input id={`${id}-supportEmail`} name="supportEmail" type="email" value={v.supportEmail} onChange={(e) => set('supportEmail')(e.target.value)} maxLength={320}
              placeholder="portal-support@example.org" className={`${input} sm:max-w-md`} {...described('supportEmail')} />
          </Field>
        </FormSection>

        <div className="flex flex-col-reverse gap-3 pt-6 sm:flex-row sm:items-center sm:justify-end">
          {weak ? <p className="text-xs text-red-700 sm:mr-auto">Fix the colour contrast before saving.</p> : null}
          {mode === 'create' ? <Link href="/portals" className={button('ghost')}>Cancel</Link> : null}
          <button type="submit" disabled={pending || weak || !pairs} className={button('primary')} data-testid="save-portal">
            <Icon name={mode === 'create' ? 'plus' : 'check'} className="size-4" />
            {pending ? (mode === 'create' ? 'Creating portal…' : 'Saving…') : mode === 'create' ? 'Create portal' : 'Save changes'}
          </button>
        </div>
      </form>
    </div>
  );
}
