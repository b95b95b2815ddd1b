'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { formatBytes } from '../ui/format';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, input, label, select } from '../ui/styles';
import { TLP_OPTIONS } from '../ui/tlp-badge';
import { startUpload, UploadError, type UploadResult } from './xhr-upload';

type Mode = { kind: 'create' } | { kind: 'version'; documentId: string };

function explain(e: unknown, maxBytes: number): { title: string; body: string } {
  if (!(e instanceof UploadError)) return { title: 'Upload failed', body: 'Something unexpected happened. Try again.' };
  switch (e.status === 413 ? 'payload_too_large' : e.code) {
    case 'payload_too_large': return { title: 'The file is too large', body: `${e.message} The limit is ${formatBytes(maxBytes)} per file.` };
    case 'unauthenticated':
    case 'invalid_token': return { title: 'Your session has ended', body: 'Sign in again, then repeat the upload.' };
    case 'forbidden':
    case 'insufficient_scope': return { title: 'Upload refused', body: e.message };
    case 'validation_failed':
    case 'bad_request':
    case 'unsupported_media_type': return { title: 'The upload was not accepted', body: e.message };
    case 'not_found': return { title: 'Document not found', body: 'It may have been deleted meanwhile.' };
    case 'database_unavailable': return { title: 'The database is unavailable', body: 'Nothing was stored. Try again in a minute.' };
    case 'rate_limited': return { title: 'Too many uploads', body: e.message };
    case 'aborted': return { title: 'Upload cancelled', body: 'Nothing was stored.' };
    case 'network': return { title: 'Connection lost', body: e.message };
    default: return { title: 'Upload failed', body: e.message };
  }
}

/**
 * Drop zone, file picker and form for one file. The picker is a real <input type="file"> inside the
 * zone's label, so keyboard users tab to it and press Enter or Space as with any file field.
 */
export function UploadPanel({ mode, maxBytes, defaultTlp = 'AMBER', onUploaded, compact = false }: {
  mode: Mode; maxBytes: number; defaultTlp?: string; onUploaded?: (r: UploadResult) => void; compact?: boolean;
}) {
  const router = useRouter();
  const ids = { file: useId(), title: useId(), tlp: useId(), hint: useId() };
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<(() => void) | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [done, setDone] = useState<{ result: UploadResult; title: string } | null>(null);

  const endpoint = mode.kind === 'create' ? '/api/v1/documents' : `/api/v1/documents/${encodeURIComponent(mode.documentId)}/versions`;

  const upload = useMutation({
    mutationFn: (v: { file: File; title?: string; tlp: string }) => {
      setProgress({ sent: 0, total: v.file.size });
      const h = startUpload(endpoint, v, (sent, total) => setProgress({ sent, total }));
      abortRef.current = h.abort;
      return h.promise.finally(() => { abortRef.current = null; });
    },
    onSuccess: (result, v) => {
      setDone({ result, title: v.title || v.file.name });
      setFile(null);
      setProgress(null);
      if (inputRef.current) inputRef.current.value = '';
      router.refresh();
      onUploaded?.(result);
    },
    onError: () => setProgress(null),
  });

  function choose(list: FileList | null | undefined) {
    setNote(null);
    setDone(null);
    upload.reset();
    const f = list?.[0];
    if (!f) return;
    if (list && list.length > 1) setNote(`Only one file is uploaded at a time; “${f.name}” was selected.`);
    if (f.size === 0) { setNote('That file is empty.'); return; }
    if (f.size > maxBytes) { setNote(`“${f.name}” is ${formatBytes(f.size)}; the limit is ${formatBytes(maxBytes)}.`); return; }
    setFile(f);
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file || upload.isPending) return;
    const form = new FormData(e.currentTarget);
    upload.mutate({ file, title: String(form.get('title') ?? '').trim() || undefined, tlp: String(form.get('tlp') ?? defaultTlp) });
  }

  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.sent / progress.total) * 100)) : 0;
  const failure = upload.isError ? explain(upload.error, maxBytes) : null;

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-describedby={ids.hint}>
      <label
        htmlFor={ids.file}
        onDragEnter={(e) => { e.preventDefault(); setDragging(true); }}
        onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; if (!dragging) setDragging(true); }}
        onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false); }}
        onDrop={(e) => { e.preventDefault(); setDragging(false); if (!upload.isPending) choose(e.dataTransfer.files); }}
        data-testid="drop-zone"
        className={`relative flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed text-center transition-colors focus-within:border-indigo-500 focus-within:ring-4 focus-within:ring-indigo-100 ${compact ? 'px-4 py-6' : 'px-6 py-8'} ${dragging ? 'border-indigo-500 bg-indigo-50/70' : 'border-slate-300 bg-slate-50/60 hover:border-slate-400 hover:bg-slate-50'} ${upload.isPending ? 'pointer-events-none opacity-60' : ''}`}
      >
        <input
          ref={inputRef}
          id={ids.file}
          name="file"
          type="file"
          className="sr-only"
          disabled={upload.isPending}
          onChange={(e) => choose(e.currentTarget.files)}
          data-testid="upload-input"
          aria-describedby={ids.hint}
        />
        <span className={`mb-2 flex size-10 items-center justify-center rounded-full ${dragging ? 'bg-indigo-100 text-indigo-600' : 'bg-white text-slate-500 ring-1 ring-slate-200'}`}>
          <Icon name="fileUp" className="size-5" />
        </span>
        <span className="text-sm font-medium text-slate-900">
          {dragging ? 'Drop the file to select it' : <><span className="text-indigo-600">Choose a file</span> or drag it here</>}
        </span>
        <span id={ids.hint} className="mt-1 text-xs text-slate-500">One file, up to {formatBytes(maxBytes)}. Stored encrypted; the upload is recorded in the audit trail.</span>
      </label>

      {note ? <Notice tone="warning">{note}</Notice> : null}

      {file ? (
        <div className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
          <div className="flex items-start gap-3">
            <span className="flex size-9 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-indigo-600"><Icon name="file" className="size-4" /></span>
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium text-slate-900" data-testid="selected-file">{file.name}</p>
              <p className="text-xs text-slate-500">{formatBytes(file.size)}{file.type ? ` · ${file.type}` : ''}</p>
            </div>
            {!upload.isPending ? (
              <button type="button" onClick={() => { setFile(null); if (inputRef.current) inputRef.current.value = ''; }} className={button('ghost', 'sm', 'px-2')} aria-label={`Remove ${file.name}`}>
                <Icon name="x" className="size-4" />
              </button>
            ) : null}
          </div>

          <div className={`mt-4 grid gap-4 ${mode.kind === 'create' ? 'sm:grid-cols-[minmax(0,1fr)_14rem]' : ''}`}>
            {mode.kind === 'create' ? (
              <div>
                <label htmlFor={ids.title} className={label}>Title</label>
                <input id={ids.title} name="title" type="text" maxLength={200} placeholder={file.name} disabled={upload.isPending} className={`${input} mt-1.5`} aria-describedby={`${ids.title}-hint`} />
                <p id={`${ids.title}-hint`} className="mt-1 text-xs text-slate-500">Leave empty to use the file name.</p>
              </div>
            ) : null}
            <div>
              <label htmlFor={ids.tlp} className={label}>Traffic Light Protocol</label>
              <select id={ids.tlp} name="tlp" defaultValue={defaultTlp} disabled={upload.isPending} className={`${select} mt-1.5`}>
                {TLP_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
              <p className="mt-1 text-xs text-slate-500">Limits who recipients may pass it on to.</p>
            </div>
          </div>

          {progress ? (
            <div className="mt-4" aria-live="polite">
              <div className="mb-1.5 flex justify-between text-xs text-slate-600">
                <span>{pct < 100 ? 'Uploading…' : 'Encrypting and saving…'}</span>
                <span className="tabular">{formatBytes(progress.sent)} of {formatBytes(progress.total)} · {pct}%</span>
              </div>
              <div role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-2 overflow-hidden rounded-full bg-slate-100">
                <div className={`h-full rounded-full bg-indigo-600 transition-[width] duration-200 ${pct >= 100 ? 'animate-pulse' : ''}`} style={{ width: `${pct}%` }} />
              </div>
            </div>
          ) : null}

          <div className="mt-4 flex justify-end gap-2">
            {upload.isPending
              ? <button type="button" onClick={() => abortRef.current?.()} className={button('secondary')}>Cancel upload</button>
              : null}
            <button type="submit" disabled={upload.isPending} className={button('primary')}>
              <Icon name="upload" className="size-4" />
              {upload.isPending ? 'Uploading…' : mode.kind === 'create' ? 'Upload document' : 'Upload version'}
            </button>
          </div>
        </div>
      ) : null}

      {failure ? <Notice tone="error" title={failure.title}>{failure.body}</Notice> : null}

      {done ? (
        <Notice tone="success" title={mode.kind === 'create' ? 'Document uploaded' : 'New version uploaded'}>
          <span className="break-words">“{done.title}” is stored. SHA-256 <code className="font-mono text-xs">{done.result.sha256.slice(0, 16)}…</code></span>
          {mode.kind === 'create' ? <> · <Link href={`/documents/${done.result.id}`} className="font-medium underline underline-offset-2">Open it</Link></> : null}
        </Notice>
      ) : null}
    </form>
  );
}
