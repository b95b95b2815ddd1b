'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Icon } from '../ui/icons';
import { button, input } from '../ui/styles';
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
