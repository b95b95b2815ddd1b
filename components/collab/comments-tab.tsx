'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CommentDto, Participant, ParticipantId } from '@/lib/collab/types';
import { Icon } from '../ui/icons';
import { formatDateTime, relativeTime } from '../ui/format';
import { button, cx } from '../ui/styles';
import { CollabIcon } from './collab-icons';
import { CommentComposer } from './comment-composer';
import { actionError } from './collab-wire';
import { useNow } from './activity-feed';
import { ParticipantAvatar } from './presence-avatars';
import type { Typing } from './use-collab-socket';

export interface Thread { root: CommentDto; replies: CommentDto[] }

/** Threads from a flat list: roots in page order (document-wide first), each with its replies by time. */
export function buildThreads(comments: CommentDto[]): Thread[] {
  const byThread = new Map<string, Thread>();
  const sorted = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const c of sorted) if (c.id === c.threadId || !c.parentId) byThread.set(c.id, { root: c, replies: [] });
  for (const c of sorted) {
    if (byThread.has(c.id)) continue;
    byThread.get(c.threadId)?.replies.push(c);
  }
  return [...byThread.values()].sort((a, b) => (a.root.page ?? 0) - (b.root.page ?? 0) || (a.root.anchor?.y ?? 0) - (b.root.anchor?.y ?? 0) || a.root.createdAt.localeCompare(b.root.createdAt));
}

/** Annotation numbers: anchored threads counted in page order, the same on the page and in the list. */
export function threadNumbers(threads: Thread[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of threads) if (t.root.anchor) m.set(t.root.id, m.size + 1);
  return m;
}

/** "Anna is typing…", "Anna and Ben are typing…", "3 people are typing…". */
export function typingText(list: Typing[]): string | null {
  const names = [...new Set(list.map((t) => t.participant.name))];
  if (!names.length) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** The body as text, with the mentioned names set off (still text: React escapes it). */
function Body({ comment, people }: { comment: CommentDto; people: Participant[] }) {
  const names = comment.mentions.map((id) => people.find((p) => p.id === id)?.name).filter((n): n is string => !!n);
  if (!names.length) return <>{comment.body}</>;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length);
  const parts = comment.body.split(new RegExp(`(@(?:${escaped.join('|')}))`, 'g'));
  return <>{parts.map((part, i) => (i % 2 === 1 ? <span key={i} className="rounded bg-indigo-50 px-0.5 font-medium text-indigo-800">{part}</span> : part))}</>;
}

function Meta({ c, selfId, now }: { c: CommentDto; selfId: ParticipantId | null; now: number }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <ParticipantAvatar participant={c.author} size="sm" />
      <p className="min-w-0 truncate text-sm">
        <span className="font-medium text-slate-900">{c.author.name}</span>
        {c.author.id === selfId ? <span className="text-slate-500"> (you)</span> : null}
        {c.author.kind === 'staff' ? <span className="ml-1.5 rounded bg-indigo-50 px-1.5 py-px text-[11px] font-medium text-indigo-700 ring-1 ring-indigo-600/20 ring-inset">Staff</span> : null}
      </p>
      <time dateTime={c.createdAt} title={formatDateTime(c.createdAt)} className="ml-auto shrink-0 text-xs text-slate-500">{relativeTime(c.createdAt, now)}</time>
    </div>
  );
}

export function CommentsTab({ comments, loadError, threads, numbers, canComment, viewOnlyReason, selfId, people, typing, activeThreadId, focusSeq,
  onPickThread, onReply, onResolve, onTyping, pageDraft, onStartPageComment, onSubmitPageComment, onCancelDraft, currentPage, draftExtra, staff = false }: {
  comments: CommentDto[] | null;
  loadError: string | null;
  threads: Thread[];
  numbers: Map<string, number>;
  canComment: boolean;
  /** Why write controls are hidden, shown in their place. */
  viewOnlyReason: string;
  selfId: ParticipantId | null;
  people: Participant[];
  typing: Typing[];
  activeThreadId: string | null;
  /** Bumped when a thread is picked on the page, to bring it into view and focus it. */
  focusSeq: number;
  onPickThread(threadId: string): void;
  onReply(thread: CommentDto, body: string, mentions: ParticipantId[]): Promise<string | null>;
  onResolve(thread: CommentDto, resolved: boolean): Promise<string | null>;
  onTyping(threadId: string | null): void;
  /** A page comment being written (no region): "Comment on this page". */
  pageDraft: { page: number | null } | null;
  onStartPageComment(): void;
  onSubmitPageComment(body: string, mentions: ParticipantId[]): Promise<string | null>;
  onCancelDraft(): void;
  currentPage: number | null;
  /** Staff may resolve any thread; a guest only the threads they started. */
  staff?: boolean;
  /** Shown above a new thread's composer (staff choose whom the thread is visible to). */
  draftExtra?: React.ReactNode;
}) {
  const now = useNow(); // "just now" becomes "2 min ago" while the panel stays open
  const [showResolved, setShowResolved] = useState(false);
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const open = threads.filter((t) => !t.root.resolvedAt);
  const resolved = threads.filter((t) => t.root.resolvedAt);
  const shown = showResolved ? threads : open;
  // Someone typing in a thread is shown there only, not also as typing a new comment.
  const inThreads = new Set(typing.filter((t) => t.threadId).map((t) => t.participant.id));
  const docTyping = typingText(typing.filter((t) => !t.threadId && !inThreads.has(t.participant.id)));

  useEffect(() => {
    if (!activeThreadId || !focusSeq) return;
    if (resolved.some((t) => t.root.id === activeThreadId)) setShowResolved(true);
    requestAnimationFrame(() => {
      const el = list.current?.querySelector<HTMLElement>(`[data-thread="${activeThreadId}"]`);
      el?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      el?.focus({ preventScroll: true });
    });
    // Only a new pick moves focus, not every update of the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusSeq]);

  const groups = useMemo(() => {
    const g = new Map<string, Thread[]>();
    for (const t of shown) {
      const key = t.root.page == null ? 'Whole document' : `Page ${t.root.page}`;
      g.set(key, [...(g.get(key) ?? []), t]);
    }
    return [...g.entries()];
  }, [shown]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="space-y-3 border-b border-slate-200 p-3">
        {canComment ? (
          pageDraft ? (
            <div className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
              <p className="mb-2 text-xs font-medium text-slate-600">{pageDraft.page ? `New comment on page ${pageDraft.page}` : 'New comment on the document'}</p>
              {draftExtra}
              <CommentComposer label={pageDraft.page ? `Comment on page ${pageDraft.page}` : 'Comment on the document'} people={people} selfId={selfId} autoFocus
                onSubmit={onSubmitPageComment} onCancel={onCancelDraft} onTyping={() => onTyping(null)} />
            </div>
          ) : (
            <button type="button" onClick={onStartPageComment} className={button('secondary', 'sm', 'w-full')} data-testid="comment-on-page">
              <CollabIcon name="message" className="size-4" />{currentPage ? `Comment on page ${currentPage}` : 'Comment on this document'}
            </button>
          )
        ) : (
          <p className="flex gap-2 rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600 ring-1 ring-slate-200 ring-inset" data-testid="view-only-note">
            <Icon name="eye" className="mt-px size-3.5 shrink-0 text-slate-400" />{viewOnlyReason}
          </p>
        )}
        {docTyping ? <p className="text-xs text-slate-500 italic" aria-live="polite" data-testid="typing">{docTyping}</p> : null}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {comments === null ? (
          loadError ? (
            <p role="alert" className="m-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset">Comments could not be loaded. {actionError(loadError)}</p>
          ) : (
            <div aria-busy="true" className="space-y-3 p-4">
              <span className="sr-only">Loading comments…</span>
              {[0, 1, 2].map((i) => <div key={i} className="h-16 animate-pulse rounded-lg bg-slate-100" />)}
            </div>
          )
        ) : shown.length === 0 ? (
          <div className="px-6 py-10 text-center">
            <span aria-hidden className="mx-auto mb-3 grid size-10 place-items-center rounded-full bg-slate-100 text-slate-500"><CollabIcon name="message" className="size-5" /></span>
            <p className="text-sm font-medium text-slate-900">{resolved.length ? 'No open comments' : 'No comments yet'}</p>
            <p className="mt-1 text-xs text-slate-500">
              {canComment ? 'Comment on a page, or choose Annotate and drag on the page to mark a region.' : 'Comments on this document will appear here as they are made.'}
            </p>
          </div>
        ) : (
          <ol ref={list} className="space-y-4 p-3" aria-label="Comment threads">
            {groups.map(([heading, ts]) => (
              <li key={heading}>
                <h3 className="mb-2 px-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{heading}</h3>
                <ol className="space-y-2">
                  {ts.map(({ root, replies }) => {
                    const n = numbers.get(root.id);
                    const active = root.id === activeThreadId;
                    const threadTyping = typingText(typing.filter((t) => t.threadId === root.id));
                    return (
                      <li key={root.id} data-thread={root.id} tabIndex={-1} data-testid="collab-thread"
                        className={cx('rounded-lg bg-white p-3 shadow-xs ring-1 transition-shadow focus:outline-none', active ? 'ring-2 ring-indigo-500' : 'ring-slate-200', root.resolvedAt ? 'bg-slate-50' : '')}>
                        <button type="button" onClick={() => onPickThread(root.id)} className="mb-1.5 flex w-full items-center gap-2 rounded text-left text-xs text-slate-500 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
                          aria-label={`Show comment ${n ?? ''} on ${root.page ? `page ${root.page}` : 'the document'}`}>
                          {n ? <span className={cx('grid size-5 place-items-center rounded-full text-[11px] font-semibold text-white', root.resolvedAt ? 'bg-slate-500' : root.anchor?.kind === 'highlight' ? 'bg-amber-600' : 'bg-indigo-600')}>{n}</span> : null}
                          <span>{root.anchor ? (root.anchor.kind === 'highlight' ? 'Highlight' : 'Region') : root.page ? 'Page comment' : 'Document comment'}{root.page ? ` · page ${root.page}` : ''}</span>
                          {root.resolvedAt ? <span className="ml-auto inline-flex items-center gap-1 font-medium text-emerald-700"><CollabIcon name="checkCircle" className="size-3.5" />Resolved{root.resolvedBy ? ` by ${root.resolvedBy}` : ''}</span> : null}
                        </button>
                        <Meta c={root} selfId={selfId} now={now} />
                        <p className="mt-1.5 text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]" data-testid="collab-comment-body"><Body comment={root} people={people} /></p>
                        {replies.length ? (
                          <ol className="mt-3 space-y-3 border-l-2 border-slate-100 pl-3" aria-label="Replies">
                            {replies.map((r) => (
                              <li key={r.id}>
                                <Meta c={r} selfId={selfId} now={now} />
                                <p className="mt-1 text-sm whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]" data-testid="collab-comment-body"><Body comment={r} people={people} /></p>
                              </li>
                            ))}
                          </ol>
                        ) : null}
                        {threadTyping ? <p className="mt-2 text-xs text-slate-500 italic" aria-live="polite" data-testid="typing">{threadTyping}</p> : null}
                        {rowError?.id === root.id ? <p role="alert" className="mt-2 text-xs text-red-700">{rowError.message}</p> : null}
                        {canComment ? (
                          replyTo === root.id ? (
                            <div className="mt-3">
                              <CommentComposer label={`Reply to ${root.author.name}`} placeholder="Write a reply…" submitLabel="Reply" people={people} selfId={selfId} autoFocus compact
                                onSubmit={async (body, mentions) => { const err = await onReply(root, body, mentions); if (!err) setReplyTo(null); return err; }}
                                onCancel={() => setReplyTo(null)} onTyping={() => onTyping(root.id)} />
                            </div>
                          ) : (
                            <div className="mt-2 flex gap-1">
                              <button type="button" onClick={() => setReplyTo(root.id)} className={button('ghost', 'sm', 'h-7 px-2 text-xs')}><CollabIcon name="reply" className="size-3.5" />Reply</button>
                              {staff || root.author.id === selfId ? <button type="button" className={button('ghost', 'sm', 'h-7 px-2 text-xs')}
                                onClick={async () => {
                                  const err = await onResolve(root, !root.resolvedAt);
                                  setRowError(err ? { id: root.id, message: err } : null);
                                }}>
                                <CollabIcon name={root.resolvedAt ? 'undo' : 'checkCircle'} className="size-3.5" />{root.resolvedAt ? 'Reopen' : 'Resolve'}
                              </button> : null}
                            </div>
                          )
                        ) : null}
                      </li>
                    );
                  })}
                </ol>
              </li>
            ))}
          </ol>
        )}
        {comments && resolved.length ? (
          <div className="border-t border-slate-100 px-3 py-2">
            <button type="button" onClick={() => setShowResolved((v) => !v)} aria-expanded={showResolved} className={button('ghost', 'sm', 'w-full text-xs')}>
              {showResolved ? 'Hide resolved threads' : `Show ${resolved.length} resolved ${resolved.length === 1 ? 'thread' : 'threads'}`}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** Whom one can mention: staff here now, and anyone who has written in this document (the server refuses others). */
export function mentionable(comments: readonly CommentDto[] | null, participants: readonly Participant[]): Participant[] {
  const m = new Map<string, Participant>();
  for (const c of comments ?? []) m.set(c.author.id, { id: c.author.id, name: c.author.name, kind: c.author.kind });
  for (const p of participants) if (p.kind === 'staff' || m.has(p.id)) m.set(p.id, p);
  return [...m.values()];
}
