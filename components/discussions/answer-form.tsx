'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Icon } from '../ui/icons';
import { button, input } from '../ui/styles';
import type { DiscussionActions } from './types';

const MAX = 4000;

export function AnswerForm({ questionId, answered, published, publishable, answer }: {
  questionId: string; answered: boolean; published: boolean; publishable: boolean; answer: DiscussionActions['answer'];
}) {
  const router = useRouter();
  const ids = { body: useId(), publish: useId(), hint: useId() };
  const [open, setOpen] = useState(!answered);
  const [body, setBody] = useState('');
  const [publish, setPublish] = useState(published);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (!open) return <button type="button" className={button('ghost', 'sm', 'mt-2 -ml-3')} onClick={() => setOpen(true)}><Icon name="pencil" className="size-4" />Change the answer</button>;
  return (
    <form className="mt-3 space-y-2" onSubmit={(e) => {
      e.preventDefault();
      start(async () => {
        const r = await answer({ questionId, answer: body, publish });
        if (!r.ok) { setError(Object.values(r.error.fields ?? {})[0] ?? r.error.message); return; }
        setError(null); setBody(''); setOpen(false); router.refresh();
      });
    }}>
      <label htmlFor={ids.body} className="sr-only">Answer</label>
      <textarea id={ids.body} value={body} onChange={(e) => setBody(e.target.value)} maxLength={MAX} rows={2} required
        className={`${input} resize-y`} placeholder="Your answer, as plain text. The guest who asked sees it." aria-invalid={error ? true : undefined} />
      <div className="flex items-start gap-2">
        <input id={ids.publish} type="checkbox" checked={publish} disabled={!publishable || published} onChange={(e) => setPublish(e.target.checked)}
          aria-describedby={ids.hint} className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600 disabled:opacity-50" />
        <label htmlFor={ids.publish} className="text-sm text-slate-700">
          Publish to every guest of the grant
          <span id={ids.hint} className="block text-xs text-slate-500">
            {published ? 'Already published: every guest of the grant sees the question and its answer.'
              : publishable ? 'Every guest of the grant will see the question and this answer.'
                : 'Not possible: this grant keeps its parties apart. Only the guest who asked will see the answer.'}
          </span>
        </label>
      </div>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <div className="flex items-center gap-2">
        <button type="submit" className={button('primary', 'sm')} disabled={pending || !body.trim()}>{pending ? 'Sending…' : answered ? 'Save answer' : 'Send answer'}</button>
        {answered ? <button type="button" className={button('ghost', 'sm')} onClick={() => setOpen(false)}>Cancel</button> : null}
        <span className="ml-auto text-xs text-slate-500 tabular">{body.length}/{MAX}</span>
      </div>
    </form>
  );
}
