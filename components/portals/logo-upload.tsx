'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { Icon } from '../ui/icons';
import { button, label } from '../ui/styles';

const MAX = 1024 * 1024;

/**
 * Uploads the logo to POST /api/v1/portals/<id>/logo (a route, not a server action: server action
 * bodies are capped at 1 MB by Next, which a 1 MB image plus the form would exceed). The server decides
 * what the file is from its bytes; the checks here only save a round trip for the obvious cases.
 */
export function LogoUpload({ portalId, logoUrl, disabled }: { portalId: string; logoUrl: string | null; disabled?: boolean }) {
  const id = useId();
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const send = (file: File) => start(async () => {
    setError(null); setDone(null);
    if (file.size > MAX) { setError(`“${file.name}” is ${(file.size / 1048576).toFixed(1)} MB. Logos may be at most 1 MB.`); return; }
    const form = new FormData();
    form.set('file', file);
    const res = await fetch(`/api/v1/portals/${portalId}/logo`, { method: 'POST', body: form, credentials: 'same-origin' }).catch(() => null);
    if (!res) { setError('The upload did not reach the server. Check your connection and try again.'); return; }
    if (!res.ok) {
      const body = await res.json().catch(() => null) as { error_description?: string } | null;
      setError((body?.error_description ?? `The upload failed (${res.status}).`).replace(/^logo: /, ''));
      return;
    }
    setDone('Logo uploaded. It was re-encoded as a PNG with its metadata removed.');
    router.refresh();
  });

  const remove = () => start(async () => {
    setError(null); setDone(null);
    const res = await fetch(`/api/v1/portals/${portalId}/logo`, { method: 'DELETE', credentials: 'same-origin' }).catch(() => null);
    if (!res?.ok) { setError('The logo could not be removed. Try again.'); return; }
    setDone('Logo removed.');
    router.refresh();
  });

  return (
    <div>
      <span className={label} id={`${id}-label`}>Logo</span>
      <div className="mt-1.5 flex flex-col gap-4 sm:flex-row sm:items-center">
        <div className="flex h-20 w-40 shrink-0 items-center justify-center overflow-hidden rounded-md bg-[repeating-conic-gradient(#f1f5f9_0_25%,#fff_0_50%)] bg-[length:16px_16px] ring-1 ring-slate-200 ring-inset" data-testid="logo-preview">
          {logoUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- served by our own route
            <img src={logoUrl} alt="Current logo" className="max-h-16 max-w-[9rem] object-contain" />
          ) : <span className="flex flex-col items-center gap-1 text-xs text-slate-400"><Icon name="image" className="size-5" />No logo</span>}
        </div>
        <div className="min-w-0 space-y-2">
          <div className="flex flex-wrap gap-2">
            <input ref={fileRef} id={`${id}-file`} type="file" accept="image/png,image/jpeg,image/webp" className="sr-only" disabled={disabled || pending}
              aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint`} data-testid="logo-file"
              onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) send(f); }} />
            <button type="button" onClick={() => fileRef.current?.click()} disabled={disabled || pending} className={button('secondary', 'sm')}>
              <Icon name="upload" className="size-4" />{pending ? 'Working…' : logoUrl ? 'Replace logo' : 'Upload logo'}
            </button>
            {logoUrl ? <button type="button" onClick={remove} disabled={disabled || pending} className={button('danger-ghost', 'sm')}><Icon name="trash" className="size-4" />Remove</button> : null}
          </div>
          <p id={`${id}-hint`} className="text-xs text-slate-500">PNG, JPEG or WebP, at most 1 MB. SVG is not accepted. Shown at most 512×512 pixels.</p>
          {error ? <p role="alert" className="text-xs font-medium text-red-700" data-testid="logo-error">{error}</p> : null}
          {done ? <p role="status" className="text-xs text-emerald-700">{done}</p> : null}
        </div>
      </div>
    </div>
  );
}
