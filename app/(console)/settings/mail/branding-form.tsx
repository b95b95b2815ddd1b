'use client';

import { useId, useState, useTransition } from 'react';
import { Notice } from '@/components/ui/notice';
import { button, input, label } from '@/components/ui/styles';
import { textOn } from '@/lib/mail/brand';
import { updateMailBrandingAction } from './actions';

const HEX = /^#[0-9a-fA-F]{6}$/;

function ColorField({ id, name, title, hint, value, onChange, error }: { id: string; name: string; title: string; hint: string; value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <div>
      <label htmlFor={id} className={label}>{title}</label>
      <div className="mt-1.5 flex items-center gap-2">
        <input type="color" aria-label={`${title}: colour picker`} value={HEX.test(value) ? value : '#000000'} onChange={(e) => onChange(e.target.value)}
          className="h-9 w-11 cursor-pointer rounded-md border-0 bg-white p-1 shadow-sm ring-1 ring-slate-300 ring-inset" />
        <input id={id} name={name} value={value} onChange={(e) => onChange(e.target.value.trim())} maxLength={7} spellCheck={false}
          className={`${input.replace('w-full', '')} w-28 font-mono`} aria-invalid={Boolean(error) || undefined} aria-describedby={`${id}-hint`} />
      </div>
      <p id={`${id}-hint`} className={`mt-1.5 text-xs ${error ? 'text-red-700' : 'text-slate-500'}`}>{error ?? hint}</p>
    </div>
  );
}

/** The organisation's mail colours, with a preview of a mail's header and button as they will look. */
export function BrandingForm({ orgName, brandColor, accentColor }: { orgName: string; brandColor: string; accentColor: string }) {
  const id = useId();
  const [brand, setBrand] = useState(brandColor);
  const [accent, setAccent] = useState(accentColor);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const ok = HEX.test(brand) && HEX.test(accent);

  return (
    <form className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]" noValidate onSubmit={(e) => {
      e.preventDefault();
      start(async () => {
        setError(null);
        setSaved(false);
        const r = await updateMailBrandingAction({ brandColor: brand, accentColor: accent });
        if (!r.ok) setError(r.error);
        else setSaved(true);
      });
    }}>
      <div className="space-y-5">
        {saved ? <Notice tone="success" title="Branding saved">Mail queued from now on uses these colours.</Notice> : null}
        {error && !error.fields ? <Notice tone="error" title="The colours were not saved">{error.message}</Notice> : null}
        <div className="grid gap-5 sm:grid-cols-2">
          <ColorField id={`${id}-brand`} name="brandColor" title="Header colour" hint="The bar with your organisation's name." value={brand} onChange={setBrand} error={error?.fields?.brandColor} />
          <ColorField id={`${id}-accent`} name="accentColor" title="Button colour" hint="Buttons and quote marks; needs contrast with white." value={accent} onChange={setAccent} error={error?.fields?.accentColor} />
        </div>
        <button type="submit" disabled={pending || !ok} className={button('primary')}>{pending ? 'Saving…' : 'Save branding'}</button>
      </div>
      <figure aria-label="Preview" className="overflow-hidden rounded-lg bg-slate-100 p-4 ring-1 ring-slate-200">
        <div className="overflow-hidden rounded-md bg-white shadow-sm ring-1 ring-slate-200">
          <div className="truncate px-4 py-3 text-sm font-semibold" style={{ background: ok ? brand : '#4f46e5', color: textOn(ok ? brand : '#4f46e5') }}>{orgName}</div>
          <div className="space-y-2 px-4 py-4">
            <div className="h-2.5 w-3/4 rounded bg-slate-200" />
            <div className="h-2.5 w-1/2 rounded bg-slate-200" />
            <span className="mt-2 inline-block rounded px-3 py-1.5 text-xs font-semibold" style={{ background: ok ? accent : '#4338ca', color: textOn(ok ? accent : '#4338ca') }}>Open the invitation</span>
          </div>
        </div>
        <figcaption className="mt-2 text-center text-xs text-slate-500">Preview</figcaption>
      </figure>
    </form>
  );
}
