'use client';

import Link from 'next/link';
import { useId, useRef, useState } from 'react';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { auditTypeLabel } from '../ui/audit-labels';
import { formatBytes, formatTimestamp, shortHash } from '../ui/format';
import { button, card, input, label, cx } from '../ui/styles';

/** The answer of POST /api/v1/copies/trace (lib/copies/trace.ts TraceResult), dates as JSON strings. */
interface Chain {
  copy: { code: string; kind: 'download' | 'page_image'; page: number | null; releasedAt: string; lastReleasedAt: string; releases: number; ip: string | null; lastIp: string | null; userAgent: string | null; watermarked: boolean; codeEmbedded: boolean };
  document: { id: string; title: string; versionId: string; versionNumber: number; exists: boolean };
  grant:
    | { kind: 'share'; shareId: string; exists: boolean; state: string | null; createdBy: string | null; expiresAt: string | null }
    | { kind: 'portal'; portalId: string | null; portalName: string | null; portalSlug: string | null; grants: Array<{ id: string; exists: boolean; state: string | null }> };
  guest: { id: string | null; email: string | null; identity: string; displayName: string | null; kind: string | null; disabled: boolean | null };
  session: { id: string; openedAt: string | null; openedFromIp: string | null; country: string | null; device: string | null; authMethod: string | null; expiresAt: string | null; revokedAt: string | null; exists: boolean };
  events: Array<{ id: string; seq: number; at: string; type: string; actor: string; ip: string | null; hash: string }>;
}
type Traced = { code: string; source: Source; found: true; chain: Chain } | { code: string; source: Source; found: false };
type Source = 'typed' | 'pdf_text' | 'pdf_metadata' | 'image_metadata' | 'office_metadata';
interface TraceResult { input: 'code' | 'file'; invalidCode: boolean; file: { name: string | null; type: string; sha256: string; size: number } | null; results: Traced[] }

const SOURCE_LABEL: Record<Source, string> = {
  typed: 'typed in', pdf_text: 'the PDF’s watermark text', pdf_metadata: 'the PDF’s metadata', image_metadata: 'the image’s metadata', office_metadata: 'the Office file’s properties',
};
const AUTH_LABEL: Record<string, string> = { link: 'Link', code: 'Email code', password: 'Password (invited guest)', sso: 'Single sign-on' };

const fmtCode = (c: string) => `${c.slice(0, 5)}-${c.slice(5)}`;
const when = (d: string | null) => (d ? formatTimestamp(d) : '—');

async function postTrace(body: FormData | { code: string }): Promise<TraceResult> {
  const res = await fetch('/api/v1/copies/trace', {
    method: 'POST',
    ...(body instanceof FormData ? { body } : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const json = await res.json().catch(() => null) as (TraceResult & { error?: string; error_description?: string }) | null;
  if (!res.ok || !json) throw new Error(json?.error_description ?? `The trace failed (${res.status}). Try again.`);
  return json;
}

export function TraceLeak() {
  const ids = { code: useId(), file: useId(), codeHint: useId(), fileHint: useId() };
  const [mode, setMode] = useState<'code' | 'file'>('code');
  const [code, setCode] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TraceResult | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  async function run(body: FormData | { code: string }) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await postTrace(body));
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The trace failed. Try again.');
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    if (mode === 'code') {
      if (code.trim()) void run({ code: code.trim() });
      return;
    }
    if (!file) return;
    const form = new FormData();
    form.set('file', file, file.name);
    void run(form);
  }

  const tab = (m: 'code' | 'file', text: string) => (
    <button
      type="button" role="tab" data-tab={m} aria-selected={mode === m} aria-controls={`${ids.code}-panel`} tabIndex={mode === m ? 0 : -1}
      onClick={() => { setMode(m); setError(null); }}
      className={cx('rounded-md px-3 py-1.5 text-sm font-medium', mode === m ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900')}
    >{text}</button>
  );

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className={cx(card, 'p-5')} aria-busy={busy}>
        <div
          role="tablist" aria-label="What to trace" className="mb-4 inline-flex gap-1 rounded-lg bg-slate-100 p-1"
          onKeyDown={(e) => {
            // Arrow keys, Home and End move between the two tabs, as in the viewer's side panel.
            if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
            e.preventDefault();
            const next = e.key === 'Home' ? 'code' : e.key === 'End' ? 'file' : mode === 'code' ? 'file' : 'code';
            setMode(next);
            setError(null);
            e.currentTarget.querySelector<HTMLButtonElement>(`[data-tab="${next}"]`)?.focus();
          }}
        >
          {tab('code', 'Copy code')}
          {tab('file', 'Leaked file')}
        </div>
        <div id={`${ids.code}-panel`} role="tabpanel">
          {mode === 'code' ? (
            <div className="max-w-md">
              <label htmlFor={ids.code} className={label}>Copy code</label>
              <input
                id={ids.code} name="code" value={code} onChange={(e) => setCode(e.currentTarget.value)} autoComplete="off" spellCheck={false}
                placeholder="7K3QM-2XH9A" maxLength={64} aria-describedby={ids.codeHint} className={cx(input, 'mt-1 font-mono tracking-wider uppercase')}
              />
              <p id={ids.codeHint} className="mt-1.5 text-xs text-slate-500">
                Printed at the end of the watermark line (“copy XXXXX-XXXXX”). Case, spaces and hyphens do not matter; O and I are read as 0 and 1.
              </p>
            </div>
          ) : (
            <div>
              <label
                htmlFor={ids.file}
                onDragEnter={(e) => { e.preventDefault(); setDragging(true); }}
                onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; if (!dragging) setDragging(true); }}
                onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false); }}
                onDrop={(e) => { e.preventDefault(); setDragging(false); const f = e.dataTransfer.files?.[0]; if (f) setFile(f); }}
                className={cx('flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-8 text-center transition-colors focus-within:border-indigo-500 focus-within:ring-4 focus-within:ring-indigo-100',
                  dragging ? 'border-indigo-500 bg-indigo-50/70' : 'border-slate-300 bg-slate-50/60 hover:border-slate-400 hover:bg-slate-50')}
              >
                <input ref={fileRef} id={ids.file} name="file" type="file" className="sr-only" accept="application/pdf,image/png,image/jpeg,image/webp,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.openxmlformats-officedocument.presentationml.presentation,.pdf,.png,.jpg,.jpeg,.webp,.docx,.docm,.xlsx,.xlsm,.pptx,.pptm"
                  aria-describedby={ids.fileHint} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
                <span className="mb-2 flex size-10 items-center justify-center rounded-full bg-white text-slate-500 ring-1 ring-slate-200"><Icon name="fileUp" className="size-5" /></span>
                <span className="text-sm font-medium text-slate-900">{file ? file.name : <><span className="text-indigo-600">Choose the leaked file</span> or drag it here</>}</span>
                <span id={ids.fileHint} className="mt-1 text-xs text-slate-500">
                  {file ? formatBytes(file.size) : 'PDF, PNG, JPEG, WebP, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx), up to 50 MB. The code is read from the watermark text, the image metadata or the document properties; the file is not kept.'}
                </span>
              </label>
            </div>
          )}
        </div>
        <div className="mt-4 flex items-center gap-3">
          <button type="submit" className={button('primary')} disabled={busy || (mode === 'code' ? !code.trim() : !file)}>
            <Icon name="search" className="size-4" />{busy ? 'Tracing…' : 'Trace'}
          </button>
          {mode === 'file' && file && !busy ? (
            <button type="button" className={button('ghost')} onClick={() => { setFile(null); if (fileRef.current) fileRef.current.value = ''; }}>Clear</button>
          ) : null}
          <span className="text-xs text-slate-500">Every trace is recorded in the audit trail.</span>
        </div>
      </form>

      <div aria-live="polite">
        {error ? <Notice tone="error" title="The trace could not be made">{error}</Notice> : null}
        {result ? <Results result={result} /> : null}
      </div>
    </div>
  );
}

function Results({ result }: { result: TraceResult }) {
  if (result.invalidCode) {
    return (
      <Notice tone="error" title="That is not a valid copy code">
        A copy code has 10 characters (letters and digits, no I, L, O or U), the last being a check character. Check each character against the copy; a misread one fails the check.
      </Notice>
    );
  }
  return (
    <div className="space-y-4">
      {result.file ? (
        <p className="text-sm text-slate-600">
          Read {result.file.name ? <strong className="font-medium text-slate-900">{result.file.name}</strong> : 'the file'} ({result.file.type.toUpperCase()}, {formatBytes(result.file.size)},
          SHA-256 <code className="font-mono text-xs" title={result.file.sha256}>{shortHash(result.file.sha256, 16)}</code>).
        </p>
      ) : null}
      {result.input === 'file' && result.results.length === 0 ? (
        <Notice tone="warning" title="No copy code was found in this file">
          Screenshots, scans and re-encoded images lose the metadata, and scanned pages have no text to read. Read the code from the watermark on the copy and enter it under “Copy code”.
        </Notice>
      ) : null}
      {result.results.map((r) => (r.found ? <ChainCard key={r.code} traced={r} /> : (
        <Notice key={r.code} tone="warning" title={`No copy ${fmtCode(r.code)} is known`}>
          This organisation released no copy under this code{r.source === 'typed' ? '' : ` (read from ${SOURCE_LABEL[r.source]})`}. Check it against the copy; codes are never reused.
        </Notice>
      )))}
    </div>
  );
}

function Field({ name, children, mono }: { name: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-[9.5rem_1fr] gap-3 py-1.5 text-sm">
      <dt className="text-slate-500">{name}</dt>
      <dd className={cx('min-w-0 break-words text-slate-900', mono ? 'font-mono text-xs leading-5' : '')}>{children ?? '—'}</dd>
    </div>
  );
}

function Section({ title, icon, children }: { title: string; icon: Parameters<typeof Icon>[0]['name']; children: React.ReactNode }) {
  return (
    <section className="rounded-md bg-slate-50/70 p-4 ring-1 ring-slate-200">
      <h3 className="mb-2 flex items-center gap-2 text-sm font-semibold text-slate-900"><Icon name={icon} className="size-4 text-slate-500" />{title}</h3>
      <dl className="divide-y divide-slate-200/70">{children}</dl>
    </section>
  );
}

const gone = <span className="text-slate-500"> (deleted since)</span>;

function ChainCard({ traced }: { traced: Extract<Traced, { found: true }> }) {
  const { copy, document: doc, grant, guest, session, events } = traced.chain;
  const what = copy.kind === 'download' ? 'Download' : `Page image, page ${copy.page}`;
  return (
    <article className={cx(card, 'overflow-hidden')} aria-label={`Copy ${fmtCode(copy.code)}`}>
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-5 py-4">
        <span className="rounded-md bg-indigo-50 px-2.5 py-1 font-mono text-sm font-semibold tracking-wider text-indigo-700 ring-1 ring-indigo-200">{fmtCode(copy.code)}</span>
        <div className="min-w-0">
          <p className="text-sm font-semibold text-slate-900">{what} of “{doc.title}”, version {doc.versionNumber}</p>
          <p className="text-xs text-slate-500">Released to <strong className="font-medium text-slate-700">{guest.identity}</strong> on {when(copy.releasedAt)} from {copy.ip ?? 'an unknown address'}{traced.source === 'typed' ? '' : ` · code read from ${SOURCE_LABEL[traced.source]}`}</p>
        </div>
      </header>
      <div className="grid gap-4 p-5 lg:grid-cols-2">
        <Section title="Copy" icon="copy">
          <Field name="Kind">{what}</Field>
          <Field name="Released">{when(copy.releasedAt)}</Field>
          {copy.kind === 'page_image' ? <Field name="Fetched">{copy.releases === 1 ? 'once' : `${copy.releases} times, last ${when(copy.lastReleasedAt)}${copy.lastIp && copy.lastIp !== copy.ip ? ` from ${copy.lastIp}` : ''}`}</Field> : null}
          <Field name="IP address" mono>{copy.ip}</Field>
          <Field name="User agent" mono>{copy.userAgent}</Field>
          <Field name="Watermarked">{copy.watermarked ? 'Yes' : 'No'}</Field>
          <Field name="Code in the file">{copy.codeEmbedded ? 'Yes: watermark text and metadata' : 'No: the original was released unchanged'}</Field>
        </Section>
        <Section title="Recipient" icon="userCheck">
          <Field name="Named on copy">{guest.identity}</Field>
          <Field name="Email">{guest.email}</Field>
          <Field name="Guest">{guest.id ? <Link className="text-indigo-600 hover:text-indigo-500" href={`/guests/${guest.id}`}>{guest.displayName ?? guest.email ?? guest.id}</Link> : null}{guest.id && guest.kind === null ? gone : null}</Field>
          {guest.disabled ? <Field name="Status"><span className="font-medium text-red-700">Disabled</span></Field> : null}
        </Section>
        <Section title={grant.kind === 'share' ? 'Share' : 'Portal'} icon={grant.kind === 'share' ? 'share' : 'globe'}>
          {grant.kind === 'share' ? (
            <>
              <Field name="Share">{grant.exists ? <Link className="font-mono text-xs text-indigo-600 hover:text-indigo-500" href={`/shares/${grant.shareId}`}>{grant.shareId}</Link> : <><span className="font-mono text-xs">{grant.shareId}</span>{gone}</>}</Field>
              <Field name="State">{grant.state ? grant.state.toLowerCase() : null}</Field>
              <Field name="Created by">{grant.createdBy}</Field>
              <Field name="Expires">{when(grant.expiresAt)}</Field>
            </>
          ) : (
            <>
              <Field name="Portal">{grant.portalId && grant.portalName ? <Link className="text-indigo-600 hover:text-indigo-500" href={`/portals/${grant.portalId}`}>{grant.portalName}</Link> : <>{grant.portalId}{gone}</>}{grant.portalSlug ? <span className="text-slate-500"> · /p/{grant.portalSlug}</span> : null}</Field>
              <Field name="Grants">
                {grant.grants.length ? (
                  <ul className="space-y-0.5">
                    {grant.grants.map((g) => <li key={g.id}><span className="font-mono text-xs">{g.id}</span> <span className="text-slate-500">{g.exists ? `(${g.state?.toLowerCase()})` : '(deleted since)'}</span></li>)}
                  </ul>
                ) : null}
              </Field>
            </>
          )}
        </Section>
        <Section title="Session" icon="monitor">
          <Field name="Session" mono>{session.id}{session.exists ? null : gone}</Field>
          <Field name="Opened">{session.openedAt ? `${when(session.openedAt)} from ${session.openedFromIp ?? '?'}` : null}</Field>
          <Field name="Signed in by">{session.authMethod ? AUTH_LABEL[session.authMethod] ?? session.authMethod : null}</Field>
          <Field name="Device (reported)">{session.device}</Field>
          <Field name="Country">{session.country}</Field>
          <Field name="Ended">{session.revokedAt ? when(session.revokedAt) : session.exists ? `Expires ${when(session.expiresAt)}` : null}</Field>
        </Section>
      </div>
      <div className="border-t border-slate-200 px-5 py-4">
        <h3 className="mb-2 flex items-center gap-2 text-sm font-semibold text-slate-900"><Icon name="history" className="size-4 text-slate-500" />Audit trail</h3>
        <p className="mb-3 text-sm text-slate-600">
          Document <Link className="text-indigo-600 hover:text-indigo-500" href={`/documents/${doc.id}`}>{doc.title}</Link>{doc.exists ? null : gone}, version {doc.versionNumber}
          {' '}(<span className="font-mono text-xs">{doc.versionId}</span>).
          {' '}<Link className="text-indigo-600 hover:text-indigo-500" href={`/audit?document=${doc.id}`}>All events of this document</Link>
        </p>
        {events.length ? (
          <div className="overflow-x-auto rounded-md ring-1 ring-slate-200">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
                <tr><th scope="col" className="px-3 py-2">#</th><th scope="col" className="px-3 py-2">Time</th><th scope="col" className="px-3 py-2">Event</th><th scope="col" className="px-3 py-2">Actor</th><th scope="col" className="px-3 py-2">IP</th><th scope="col" className="px-3 py-2">Hash</th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100 bg-white">
                {events.map((e) => (
                  <tr key={e.id}>
                    <td className="px-3 py-2 font-mono text-xs text-slate-500">{e.seq}</td>
                    <td className="px-3 py-2 whitespace-nowrap text-slate-700">{formatTimestamp(e.at)}</td>
                    <td className="px-3 py-2 text-slate-900">{auditTypeLabel(e.type)}</td>
                    <td className="px-3 py-2 text-slate-700">{e.actor}</td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-700">{e.ip ?? '—'}</td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-500" title={e.hash}>{shortHash(e.hash, 12)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p className="text-sm text-slate-500">No event names this copy (a page first shown as a thumbnail is audited with the thumbnails).</p>}
      </div>
    </article>
  );
}
