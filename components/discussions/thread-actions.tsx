'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Icon } from '../ui/icons';
import { button, input, label as labelClass, select } from '../ui/styles';
import type { DiscussionActions } from './types';

const MAX = 4000;

export function ResolveButton({ commentId, resolved, setResolved }: { commentId: string; resolved: boolean; setResolved: DiscussionActions['setResolved'] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex items-center gap-2">
      <button type="button" className={button('ghost', 'sm')} disabled={pending} onClick={() => start(async () => {
        const r = await setResolved({ commentId, resolved: !resolved });
        if (!r.ok) setError(r.error.message); else { setError(null); router.refresh(); }
      })}>
        <Icon name={resolved ? 'refresh' : 'check'} className="size-4" />{pending ? 'Saving…' : resolved ? 'Reopen' : 'Resolve'}
      </button>
      {error ? <span role="alert" className="text-xs text-red-700">{error}</span> : null}
    </span>
  );
}

function useSubmit() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const submit = (fn: () => Promise<{ ok: boolean; error?: { message: string; fields?: Record<string, string> } }>, done: () => void) => start(async () => {
    const r = await fn();
    if (!r.ok) setError(Object.values(r.error?.fields ?? {})[0] ?? r.error?.message ?? 'Could not save.');
    else { setError(null); done(); router.refresh(); }
  });
  return { pending, error, submit };
}

export function ReplyForm({ documentId, parentId, comment }: { documentId: string; parentId: string; comment: DiscussionActions['comment'] }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const { pending, error, submit } = useSubmit();
  if (!open) return <button type="button" className={button('ghost', 'sm', 'mt-2 -ml-3')} onClick={() => setOpen(true)}><Icon name="send" className="size-4" />Reply</button>;
  return (
    <form className="mt-3 space-y-2" onSubmit={(e) => { e.preventDefault(); submit(() => comment({ documentId, parentId, body }), () => { setBody(''); setOpen(false); }); }}>
      <label htmlFor={id} className="sr-only">Reply</label>
      <textarea id={id} autoFocus value={body} onChange={(e) => setBody(e.target.value)} maxLength={MAX} rows={2} required
        className={`${input} resize-y`} placeholder="Write a reply. Everyone who sees this thread will see it." aria-invalid={error ? true : undefined} />
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <div className="flex items-center gap-2">
        <button type="submit" className={button('primary', 'sm')} disabled={pending || !body.trim()}>{pending ? 'Sending…' : 'Send reply'}</button>
        <button type="button" className={button('ghost', 'sm')} onClick={() => { setOpen(false); setBody(''); }}>Cancel</button>
        <span className="ml-auto text-xs text-slate-500 tabular">{body.length}/{MAX}</span>
      </div>
    </form>
  );
}

/** A new thread on a document: in a live grant covering it (its guests see it) or staff only. */
export function NewThreadForm({ documentId, grants, pages, comment }: {
  documentId: string; grants: Array<{ key: string; label: string; keepPartiesApart: boolean }>; pages: number | null; comment: DiscussionActions['comment'];
}) {
  const ids = { body: useId(), grant: useId(), page: useId() };
  const [body, setBody] = useState('');
  const [grantKey, setGrantKey] = useState('');
  const [page, setPage] = useState('');
  const { pending, error, submit } = useSubmit();
  return (
    <form className="space-y-3 border-b border-slate-200 px-5 py-4" data-testid="new-thread" onSubmit={(e) => {
      e.preventDefault();
      submit(() => comment({ documentId, body, ...(grantKey ? { grantKey } : {}), ...(page ? { page: Number(page) } : {}) }), () => { setBody(''); setPage(''); });
    }}>
      <div>
        <label htmlFor={ids.body} className={labelClass}>New comment</label>
        <textarea id={ids.body} value={body} onChange={(e) => setBody(e.target.value)} maxLength={MAX} rows={3} required
          className={`${input} mt-1.5 resize-y`} placeholder="Shown as plain text." aria-invalid={error ? true : undefined} />
      </div>
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_8rem]">
        <div>
          <label htmlFor={ids.grant} className={labelClass}>Who sees it</label>
          <select id={ids.grant} value={grantKey} onChange={(e) => setGrantKey(e.target.value)} className={`${select} mt-1.5`}>
            <option value="">Staff only</option>
            {grants.map((g) => <option key={g.key} value={g.key}>{g.label}{g.keepPartiesApart ? ' (parties kept apart: each guest sees it, not each other\u2019s replies)' : ''}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor={ids.page} className={labelClass}>Page <span className="font-normal text-slate-400">optional</span></label>
          <input id={ids.page} type="number" min={1} max={pages ?? undefined} value={page} onChange={(e) => setPage(e.target.value)} className={`${input} mt-1.5`} />
        </div>
      </div>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <div className="flex items-center gap-3">
        <button type="submit" className={button('primary', 'sm')} disabled={pending || !body.trim()}>{pending ? 'Posting…' : 'Post comment'}</button>
        <span className="ml-auto text-xs text-slate-500 tabular">{body.length}/{MAX}</span>
      </div>
    </form>
  );
}
