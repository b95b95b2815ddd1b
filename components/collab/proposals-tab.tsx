'use client';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { formatBytes, formatDateTime, relativeTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { button, cx } from '../ui/styles';

/** A guest's own proposed version, as `GET <viewer>/proposals` answers (lib/collab/proposals.ts OwnProposalView). */
interface OwnProposal {
  id: string; fileName: string; size: number; note: string; state: 'PENDING' | 'ACCEPTED' | 'REJECTED' | string;
  createdAt: string; decidedAt: string | null; decisionNote: string | null;
}

const STATE: Record<string, { text: string; tone: string }> = {
  PENDING: { text: 'Awaiting review', tone: 'bg-amber-50 text-amber-900 ring-amber-600/25' },
  ACCEPTED: { text: 'Accepted', tone: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' },
  REJECTED: { text: 'Declined', tone: 'bg-red-50 text-red-800 ring-red-600/20' },
};

type Upload = { state: 'idle' } | { state: 'sending'; percent: number } | { state: 'done' } | { state: 'error'; message: string };

/**
 * EDIT guests propose a new version of the document (a marked-up contract, say): the file goes to the
 * sender's team, who accept it (it becomes the current version) or decline it. Listed here with its
 * state; nobody else's proposals are shown.
 */
export function ProposalsTab({ url }: { /** `<viewer base>/d/<documentId>/proposals` */ url: string }) {
  const id = useId();
  const [list, setList] = useState<OwnProposal[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });
  const input = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    try {
      const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      const body = await res.json().catch(() => null) as OwnProposal[] | { error_description?: string } | null;
      if (!res.ok || !Array.isArray(body)) { setListError((body && !Array.isArray(body) && body.error_description) || 'Your proposals could not be loaded.'); return; }
      setList(body);
      setListError(null);
    } catch {
      setListError('Your proposals could not be loaded. Check your connection.');
    }
  }, [url]);

  useEffect(() => { void refresh(); }, [refresh]);

  const send = () => {
    if (!file || upload.state === 'sending') return;
    const form = new FormData();
    form.set('note', note.trim());
    form.set('file', file);
    // XMLHttpRequest for upload progress, which fetch does not report.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) setUpload({ state: 'sending', percent: Math.round((e.loaded / e.total) * 100) }); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        setUpload({ state: 'done' });
        setFile(null);
        setNote('');
        if (input.current) input.current.value = '';
        void refresh();
        return;
      }
      let message = 'The file could not be sent.';
      try { message = (JSON.parse(xhr.responseText) as { error_description?: string }).error_description ?? message; } catch { /* keep */ }
      setUpload({ state: 'error', message });
    };
    xhr.onerror = () => setUpload({ state: 'error', message: 'The upload was interrupted. Check your connection and try again.' });
    setUpload({ state: 'sending', percent: 0 });
    xhr.send(form);
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <form className="space-y-2 border-b border-slate-200 p-3" onSubmit={(e) => { e.preventDefault(); send(); }}>
        <p className="text-xs font-medium text-slate-700">Propose a new version</p>
        <p className="text-xs text-slate-500">Upload your edited file. The sender’s team reviews it before it replaces the current version.</p>
        <label htmlFor={`${id}-file`} className={cx('flex cursor-pointer items-center gap-2 rounded-md border border-dashed px-3 py-2.5 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-600',
          file ? 'border-indigo-300 bg-indigo-50/50 text-slate-800' : 'border-slate-300 bg-white text-slate-600 hover:bg-slate-50')}>
          <Icon name="fileUp" className="size-4 shrink-0 text-slate-500" />
          <span className="min-w-0 flex-1 truncate">{file ? `${file.name} · ${formatBytes(file.size)}` : 'Choose a file…'}</span>
          <input id={`${id}-file`} ref={input} type="file" className="sr-only" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setUpload({ state: 'idle' }); }} />
        </label>
        <label htmlFor={`${id}-note`} className="sr-only">Note to the reviewer</label>
        <textarea id={`${id}-note`} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What changed (optional)"
          className="block w-full resize-y rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600 focus:outline-none" />
        {upload.state === 'sending' ? (
          <progress value={upload.percent} max={100} aria-label="Upload progress"
            className="block h-1.5 w-full overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-indigo-600" />
        ) : null}
        {upload.state === 'error' ? <p role="alert" className="text-xs text-red-700">{upload.message}</p> : null}
        {upload.state === 'done' ? <p role="status" className="text-xs text-emerald-700">Sent for review. You will see the decision here.</p> : null}
        <div className="flex justify-end">
          <button type="submit" disabled={!file || upload.state === 'sending'} className={button('primary', 'sm')}>{upload.state === 'sending' ? `Sending… ${upload.percent}%` : 'Send for review'}</button>
        </div>
      </form>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {listError ? <p role="alert" className="m-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset">{listError}</p>
          : list === null ? <div aria-busy="true" className="space-y-3 p-4"><span className="sr-only">Loading…</span><div className="h-14 animate-pulse rounded-lg bg-slate-100" /></div>
            : list.length === 0 ? <p className="px-6 py-8 text-center text-xs text-slate-500">You have not proposed a version of this document.</p>
              : (
                <ol className="space-y-2 p-3" aria-label="Your proposed versions">
                  {list.map((p) => {
                    const s = STATE[p.state] ?? { text: p.state, tone: 'bg-slate-100 text-slate-700 ring-slate-500/20' };
                    return (
                      <li key={p.id} className="rounded-lg bg-white p-3 ring-1 ring-slate-200" data-testid="collab-proposal">
                        <div className="flex items-start gap-2">
                          <p className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900" title={p.fileName}>{p.fileName}</p>
                          <span className={cx('shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', s.tone)}>{s.text}</span>
                        </div>
                        <p className="text-xs text-slate-500">{formatBytes(p.size)} · sent <time dateTime={p.createdAt} title={formatDateTime(p.createdAt)}>{relativeTime(p.createdAt)}</time></p>
                        {p.note ? <p className="mt-1.5 text-sm whitespace-pre-wrap text-slate-700 [overflow-wrap:anywhere]">{p.note}</p> : null}
                        {p.decisionNote ? <p className="mt-2 rounded-md bg-slate-50 px-2.5 py-1.5 text-xs whitespace-pre-wrap text-slate-700 ring-1 ring-slate-200 ring-inset [overflow-wrap:anywhere]"><span className="font-medium">Reviewer’s note: </span>{p.decisionNote}</p> : null}
                      </li>
                    );
                  })}
                </ol>
              )}
      </div>
    </div>
  );
}
