'use client';
import { useId, useState } from 'react';
import type { QuestionDto, ParticipantId } from '@/lib/collab/types';
import { formatDateTime, relativeTime } from '../ui/format';
import { button, cx } from '../ui/styles';
import { CollabIcon } from './collab-icons';
import { actionError } from './collab-wire';
import { MAX_BODY } from './comment-composer';
import { ParticipantAvatar } from './presence-avatars';

/**
 * Questions about this document: a guest asks (the question goes to the person who shared it, by mail)
 * and sees their own questions and the answers published to everyone; staff see them all and answer
 * from the console.
 */
export function QuestionsTab({ questions, selfId, canAsk, staff, onAsk }: {
  questions: QuestionDto[] | null;
  selfId: ParticipantId | null;
  canAsk: boolean;
  staff: boolean;
  onAsk(body: string): Promise<string | null>;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const trimmed = text.trim();
  const sorted = [...(questions ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const submit = async () => {
    if (!trimmed || trimmed.length > MAX_BODY || busy) return;
    setBusy(true);
    setError(null);
    const err = await onAsk(trimmed);
    setBusy(false);
    if (err) { setError(err); return; }
    setText('');
    setSent(true);
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {canAsk ? (
        <form className="space-y-2 border-b border-slate-200 p-3" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <label htmlFor={`${id}-q`} className="block text-xs font-medium text-slate-700">Ask a question about this document</label>
          <textarea id={`${id}-q`} rows={3} value={text} onChange={(e) => { setText(e.target.value); setSent(false); }} aria-describedby={`${id}-hint`}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); } }}
            aria-invalid={trimmed.length > MAX_BODY || undefined} placeholder="Your question goes to the person who shared this document."
            className="block w-full resize-y rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600 focus:outline-none aria-[invalid=true]:ring-red-500" />
          {error ? <p role="alert" className="text-xs text-red-700">{error}</p> : null}
          {sent ? <p role="status" className="text-xs text-emerald-700">Sent. You will see the answer here.</p> : null}
          <div className="flex items-center justify-between gap-2">
            <p id={`${id}-hint`} className="text-xs text-slate-500">Only you and the sender’s team see it unless they publish the answer.</p>
            <button type="submit" disabled={!trimmed || busy || trimmed.length > MAX_BODY} className={button('primary', 'sm')}>{busy ? 'Sending…' : 'Ask'}</button>
          </div>
        </form>
      ) : staff ? (
        <p className="border-b border-slate-200 p-3 text-xs text-slate-600">Guests’ questions about this document, as they arrive. Answer them on the share’s page (Shares → the share → Questions); a published answer reaches every guest of the share.</p>
      ) : null}
      <div className="min-h-0 flex-1 overflow-y-auto">
        {questions === null ? (
          <div aria-busy="true" className="space-y-3 p-4"><span className="sr-only">Loading questions…</span>{[0, 1].map((i) => <div key={i} className="h-16 animate-pulse rounded-lg bg-slate-100" />)}</div>
        ) : sorted.length === 0 ? (
          <div className="px-6 py-10 text-center">
            <span aria-hidden className="mx-auto mb-3 grid size-10 place-items-center rounded-full bg-slate-100 text-slate-500"><CollabIcon name="question" className="size-5" /></span>
            <p className="text-sm font-medium text-slate-900">No questions yet</p>
            <p className="mt-1 text-xs text-slate-500">{staff ? 'Questions guests ask about this document appear here.' : 'Your questions, and answers published to everyone on this share, appear here.'}</p>
          </div>
        ) : (
          <ol className="space-y-2 p-3" aria-label="Questions">
            {sorted.map((q) => (
              <li key={q.id} className="rounded-lg bg-white p-3 ring-1 ring-slate-200" data-testid="collab-question">
                <div className="flex min-w-0 items-center gap-2">
                  <ParticipantAvatar participant={q.asker} size="sm" />
                  <p className="min-w-0 truncate text-sm font-medium text-slate-900">{q.asker.name}{q.asker.id === selfId ? <span className="font-normal text-slate-500"> (you)</span> : null}</p>
                  <time dateTime={q.createdAt} title={formatDateTime(q.createdAt)} className="ml-auto shrink-0 text-xs text-slate-500">{relativeTime(q.createdAt)}</time>
                </div>
                <p className="mt-1.5 text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]">{q.body}</p>
                {q.answer ? (
                  <div className="mt-3 rounded-md bg-emerald-50/70 px-3 py-2 ring-1 ring-emerald-600/15 ring-inset">
                    <p className="flex flex-wrap items-center gap-x-2 text-xs text-emerald-900">
                      <span className="font-semibold">Answer from {q.answer.by}</span>
                      <time dateTime={q.answer.at} title={formatDateTime(q.answer.at)} className="text-emerald-800/80">{relativeTime(q.answer.at)}</time>
                      {q.published ? <span className="ml-auto rounded bg-white/70 px-1.5 py-px font-medium ring-1 ring-emerald-600/20 ring-inset">Published to all guests</span> : null}
                    </p>
                    <p className="mt-1 text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]">{q.answer.body}</p>
                  </div>
                ) : (
                  <p className={cx('mt-2 inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-600/25 ring-inset')}>
                    <span aria-hidden className="size-1.5 rounded-full bg-amber-500" />Awaiting an answer
                  </p>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

export const questionError = actionError;
