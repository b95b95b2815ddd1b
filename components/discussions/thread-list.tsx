import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { Icon } from '../ui/icons';
import { groupThreads, placeLabel, utc } from './format';
import { ReplyForm, ResolveButton } from './thread-actions';
import type { ConsoleComment, DiscussionActions } from './types';

function Author({ c }: { c: ConsoleComment }) {
  return (
    <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
      <span className="truncate font-medium text-slate-900" data-testid="comment-author">{c.author.name}</span>
      <Badge tone={c.author.kind === 'staff' ? 'indigo' : 'slate'}>{c.author.kind === 'staff' ? 'Staff' : 'Guest'}</Badge>
      <time dateTime={c.createdAt} className="tabular text-xs text-slate-500">{utc(c.createdAt)}</time>
      {c.ip ? <span className="font-mono text-xs text-slate-400" title="Written from this address">{c.ip}</span> : null}
    </span>
  );
}

/** The body exactly as written, as text: markup shows as typed and is never interpreted. */
function Body({ text }: { text: string }) {
  return <p className="mt-1.5 text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]" data-testid="comment-body">{text}</p>;
}

/**
 * Threads as staff see them: every thread of the document or share, with where it sits (page, region),
 * the grants it lives in (or "Staff only"), its replies, and, for staff who may write, reply and
 * resolve or reopen.
 */
export function ThreadList({ comments, canWrite, actions, showDocument }: {
  comments: ConsoleComment[]; canWrite: boolean; actions: DiscussionActions; showDocument?: Map<string, string>;
}) {
  const threads = groupThreads(comments);
  if (!threads.length) {
    return <EmptyState icon="list" title="No comments yet">Comments and annotations that guests or staff write on {showDocument ? 'these documents' : 'this document'} appear here.</EmptyState>;
  }
  return (
    <ol role="list" className="divide-y divide-slate-100" data-testid="threads">
      {threads.map(({ root, replies }) => {
        const resolved = root.resolvedAt !== null;
        return (
          <li key={root.id} className="px-5 py-4" data-testid="thread" aria-label={`Thread by ${root.author.name}`}>
            <div className="flex flex-wrap items-start justify-between gap-3">
              <Author c={root} />
              <span className="flex flex-wrap items-center gap-2">
                {resolved ? <Badge tone="green" title={`Resolved by ${root.resolvedBy ?? 'someone'} on ${utc(root.resolvedAt!)}`}><Icon name="check" className="size-3" />Resolved</Badge> : <Badge tone="amber">Open</Badge>}
                {canWrite ? <ResolveButton commentId={root.id} resolved={resolved} setResolved={actions.setResolved} /> : null}
              </span>
            </div>
            <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
              {showDocument?.get(root.documentId) ? <span className="font-medium text-slate-600">{showDocument.get(root.documentId)}</span> : null}
              <span data-testid="comment-place">{placeLabel(root)}</span>
              <span aria-hidden="true">·</span>
              {root.grants.length === 0
                ? <Badge tone="slate" title="No guest sees this thread">Staff only</Badge>
                : root.grants.map((g) => <Badge key={g.key} tone={g.keepPartiesApart ? 'red' : 'blue'} title={g.keepPartiesApart ? 'Parties kept apart: only this thread\u2019s guest and staff see it' : 'Every guest of this grant sees it'}>{g.label}{g.keepPartiesApart ? ' · apart' : ''}</Badge>)}
            </div>
            <Body text={root.body} />
            {resolved ? <p className="mt-1 text-xs text-slate-500">Resolved by {root.resolvedBy ?? 'someone'} · {utc(root.resolvedAt!)}</p> : null}
            {replies.length ? (
              <ol role="list" className="mt-3 space-y-3 border-l-2 border-slate-100 pl-4" aria-label="Replies">
                {replies.map((r) => <li key={r.id}><Author c={r} /><Body text={r.body} /></li>)}
              </ol>
            ) : null}
            {canWrite ? <ReplyForm documentId={root.documentId} parentId={root.id} comment={actions.comment} /> : null}
          </li>
        );
      })}
    </ol>
  );
}
