import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { utc } from './format';
import { AnswerForm } from './answer-form';
import type { ConsoleQuestion, DiscussionActions } from './types';

/** Guests' questions, newest first, with their answers; staff who may write answer (and publish) here. */
export function QuestionList({ questions, canWrite, actions, showDocument }: { questions: ConsoleQuestion[]; canWrite: boolean; actions: DiscussionActions; showDocument?: boolean }) {
  if (!questions.length) return <EmptyState icon="mail" title="No questions yet">Questions guests ask appear here; their owner is also told by mail.</EmptyState>;
  return (
    <ol role="list" className="divide-y divide-slate-100" data-testid="questions">
      {questions.map((q) => (
        <li key={q.id} className="px-5 py-4" data-testid="question">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="font-medium text-slate-900">{q.asker.name}</span>
            <time dateTime={q.createdAt} className="tabular text-xs text-slate-500">{utc(q.createdAt)}</time>
            {showDocument && q.documentTitle ? <span className="text-xs font-medium text-slate-600">on {q.documentTitle}</span> : null}
            <span className="ml-auto flex flex-wrap gap-2">
              {q.answer ? (q.published ? <Badge tone="green">Published</Badge> : <Badge tone="indigo">Answered privately</Badge>) : <Badge tone="amber">Awaiting answer</Badge>}
              {q.grants.map((g) => <Badge key={g.key} tone={g.keepPartiesApart ? 'red' : 'blue'}>{g.label}{g.keepPartiesApart ? ' · apart' : ''}</Badge>)}
            </span>
          </div>
          <p className="mt-1.5 text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]" data-testid="question-body">{q.body}</p>
          {q.answer ? (
            <div className="mt-3 rounded-md bg-slate-50 px-4 py-3 ring-1 ring-slate-200 ring-inset">
              <p className="text-xs text-slate-500">Answer by {q.answer.by} · {utc(q.answer.at)}</p>
              <p className="mt-1 text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]">{q.answer.body}</p>
            </div>
          ) : null}
          {canWrite ? <AnswerForm questionId={q.id} answered={q.answer !== null} published={q.published} publishable={q.publishable} answer={actions.answer} /> : null}
        </li>
      ))}
    </ol>
  );
}
