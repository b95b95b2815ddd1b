'use client';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CommentAnchor, ParticipantId } from '@/lib/collab/types';
import { PageViewer, type PageSize } from '../guest/page-viewer';
import { Icon } from '../ui/icons';
import { cx } from '../ui/styles';
import { AnnotationLayer, type AnnotateTool } from './annotation-layer';
import { ActivityFeed } from './activity-feed';
import { CollabIcon } from './collab-icons';
import { CollabTabs, type TabSpec } from './collab-tabs';
import { actionError, isComment } from './collab-wire';
import { CommentComposer } from './comment-composer';
import { buildThreads, mentionable, CommentsTab, threadNumbers } from './comments-tab';
import { AccessEndedNotice } from './access-ended-notice';
import { ConnectionBadge, PresenceAvatars } from './presence-avatars';
import { NotesEditor } from './notes-editor';
import { ProposalsTab } from './proposals-tab';
import { QuestionsTab } from './questions-tab';
import { ackError, useCollabSocket, type Ack, type CollabAuth } from './use-collab-socket';

/** What the viewer page decided the person may do here; STAFF for the organisation's own people. */
export type CollabPermission = 'VIEW' | 'COMMENT' | 'EDIT' | 'STAFF';

type Draft = { page: number | null; anchor: CommentAnchor | null };

const errorOf = (ack: Ack): string | null => { const code = ackError(ack); return code ? actionError(code) : null; };

/**
 * The secure page viewer with live collaboration: presence avatars in the header, annotations over the
 * pages, and a side panel with comments, questions and the activity feed. Write controls follow the
 * permission the page was given (the server decides every event again). When access ends, everything
 * is replaced by a notice saying why, and nothing reconnects.
 */
export function CollabViewer({ pagesUrl, sizes, title, protect, unit, auth, documentId, selfId, permission, header, actions, backHref, backLabel, proposalsUrl }: {
  pagesUrl: string;
  sizes: PageSize[];
  title: string;
  protect: boolean;
  unit: 'pt' | 'px';
  auth: CollabAuth;
  documentId: string;
  selfId: ParticipantId;
  permission: CollabPermission;
  /** The document's title block (server rendered). */
  header: ReactNode;
  /** Buttons at the right of the header (Download). */
  actions?: ReactNode;
  backHref: string;
  backLabel: string;
  /** Where an EDIT guest sends and lists proposed versions (`<base>/d/<documentId>/proposals`). */
  proposalsUrl?: string;
}) {
  const collab = useCollabSocket({ auth, documentId, selfId });
  // For tests and support: which mount of the viewer this is (a remount would lose unsaved drafts).
  const [instance] = useState(() => Math.random().toString(36).slice(2, 8));
  const staff = permission === 'STAFF';
  const ended = collab.connection.state === 'ended';
  const canComment = permission !== 'VIEW' && !ended;
  const [tab, setTab] = useState('comments');
  const [page, setPage] = useState(1);
  const [tool, setTool] = useState<AnnotateTool | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  const [focusSeq, setFocusSeq] = useState(0);
  const [pageRequest, setPageRequest] = useState<{ page: number; seq: number } | null>(null);

  const { setPage: sendPage } = collab;
  const onPageChange = useCallback((p: number) => { setPage(p); sendPage(p); }, [sendPage]);

  const threads = useMemo(() => buildThreads(collab.comments ?? []), [collab.comments]);
  const numbers = useMemo(() => threadNumbers(threads), [threads]);
  // Whom one can mention: staff here now and people who wrote in this document.
  const people = useMemo(() => mentionable(collab.comments, collab.participants), [collab.comments, collab.participants]);

  useEffect(() => {
    if (!tool && !draft) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !e.defaultPrevented) { setDraft(null); setTool(null); } };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tool, draft]);

  const pickThread = useCallback((threadId: string, from: 'page' | 'list') => {
    setActiveThreadId(threadId);
    const t = threads.find((x) => x.root.id === threadId);
    if (from === 'page') { setTab('comments'); setFocusSeq((n) => n + 1); }
    else if (t?.root.page && t.root.page !== page) setPageRequest((r) => ({ page: t.root.page!, seq: (r?.seq ?? 0) + 1 }));
  }, [threads, page]);

  const submitDraft = async (body: string, mentions: ParticipantId[]): Promise<string | null> => {
    if (!draft) return null;
    const ack = await collab.createComment({ page: draft.page, anchor: draft.anchor, body, mentions });
    const err = errorOf(ack);
    if (!err) {
      setDraft(null);
      setTool(null);
      const made = isComment(ack.comment) ? ack.comment.threadId : null;
      if (made) { setActiveThreadId(made); setTab('comments'); }
    }
    return err;
  };

  if (ended) return <AccessEndedNotice reason={collab.connection.state === 'ended' ? collab.connection.reason : 'revoked'} href={backHref} label={backLabel} />;

  const openCount = threads.filter((t) => !t.root.resolvedAt).length;
  const unanswered = (collab.questions ?? []).filter((q) => !q.answer).length;
  const viewOnly = 'This share lets you view only. You can read the discussion but not comment.';

  const tabs: TabSpec[] = [
    {
      id: 'comments', label: 'Comments', icon: 'message', count: openCount,
      content: (
        <CommentsTab comments={collab.comments} loadError={collab.loadError} threads={threads} numbers={numbers} canComment={canComment} viewOnlyReason={viewOnly} staff={staff}
          selfId={selfId} people={people} typing={collab.typing} activeThreadId={activeThreadId} focusSeq={focusSeq} currentPage={page}
          onPickThread={(id) => pickThread(id, 'list')}
          onReply={async (root, body, mentions) => errorOf(await collab.createComment({ page: root.page, body, parentId: root.id, mentions }))}
          onResolve={async (root, resolved) => errorOf(await collab.setCommentResolved(root.id, resolved))}
          onTyping={collab.sendTyping}
          pageDraft={draft && !draft.anchor ? draft : null}
          onStartPageComment={() => { setTool(null); setDraft({ page, anchor: null }); }}
          onSubmitPageComment={submitDraft} onCancelDraft={() => setDraft(null)} />
      ),
    },
    {
      id: 'questions', label: 'Questions', icon: 'question', count: unanswered,
      content: <QuestionsTab questions={collab.questions} selfId={selfId} canAsk={!staff} staff={staff} onAsk={async (body) => errorOf(await collab.askQuestion(body))} />,
    },
    {
      id: 'activity', label: 'Activity', icon: 'activity',
      content: (
        <div className="min-h-0 flex-1 overflow-y-auto">
          <ActivityFeed events={collab.activity} empty={staff ? 'What guests and staff do on this document appears here as it happens.' : 'What happens on this share while you are here appears as it happens.'} />
        </div>
      ),
    },
    ...(permission === 'EDIT' && proposalsUrl && !ended ? [{ id: 'versions', label: 'Versions', icon: 'fileUp' as const, content: <ProposalsTab url={proposalsUrl} /> }] : []),
    {
      // The grant's shared working notes (a Yjs text over this same socket): editable with EDIT, read-only otherwise.
      id: 'notes', label: 'Notes', icon: 'notes',
      content: (
        <div className="min-h-0 flex-1 overflow-y-auto p-3">
          {collab.socket ? <NotesEditor socket={collab.socket} grantKey={null} readOnly={permission !== 'EDIT'} />
            : <div aria-busy="true" className="h-48 animate-pulse rounded-md bg-slate-100"><span className="sr-only">Loading the notes…</span></div>}
          {permission === 'EDIT' ? null : <p className="mt-2 text-xs text-slate-500">Only people with edit permission on this share change these notes.</p>}
        </div>
      ),
    },
  ];

  const toolbar = canComment ? (
    <div className="flex items-center gap-1.5" role="group" aria-label="Annotate">
      <button type="button" aria-pressed={tool !== null} onClick={() => { setTool((t) => (t ? null : 'rect')); setDraft(null); }} data-testid="annotate"
        className={cx('inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600',
          tool ? 'bg-indigo-600 text-white hover:bg-indigo-500' : 'text-slate-700 hover:bg-slate-100')}>
        <Icon name="pencil" className="size-4" />Annotate
      </button>
      {tool ? (
        <>
          <span className="inline-flex rounded-md bg-slate-100 p-0.5" role="radiogroup" aria-label="Annotation kind">
            {(['rect', 'highlight'] as const).map((k) => (
              <button key={k} type="button" role="radio" aria-checked={tool === k} onClick={() => setTool(k)}
                className={cx('inline-flex h-7 items-center gap-1 rounded px-2 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-600', tool === k ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900')}>
                <CollabIcon name={k === 'rect' ? 'square' : 'highlighter'} className="size-3.5" />{k === 'rect' ? 'Box' : 'Highlight'}
              </button>
            ))}
          </span>
          <span className="hidden text-xs text-slate-500 2xl:inline">Drag on the page · Esc to stop</span>
        </>
      ) : null}
    </div>
  ) : null;

  return (
    <>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">{header}</div>
        <div className="flex flex-wrap items-center gap-3">
          <PresenceAvatars participants={collab.participants} selfId={selfId} />
          <ConnectionBadge connection={collab.connection} />
          {actions}
        </div>
      </div>
      {collab.connection.state === 'reconnecting' || collab.connection.state === 'unavailable' ? (
        <p role="status" className="mb-3 flex items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          <CollabIcon name="wifiOff" className="size-4 shrink-0 text-amber-600" />
          {collab.connection.state === 'reconnecting' ? 'Connection lost. Reconnecting… Comments you see may be out of date until then.' : 'Live collaboration is unavailable right now. The document stays readable; we keep trying to reconnect.'}
        </p>
      ) : null}
      <PageViewer pagesUrl={pagesUrl} sizes={sizes} title={title} shareUrl={backHref} protect={protect} unit={unit}
        onPageChange={onPageChange} pageRequest={pageRequest} toolbarExtra={toolbar}
        overlay={(p) => (
          <AnnotationLayer threads={threads.map((t) => t.root).filter((c) => c.page === p && c.anchor)} numbers={numbers} activeThreadId={activeThreadId}
            onPick={(id) => pickThread(id, 'page')} tool={tool}
            draft={draft?.anchor && draft.page === p ? draft.anchor : null}
            onDraw={(anchor) => setDraft({ page: p, anchor })}
            composer={draft?.anchor ? (
              <div className="rounded-lg bg-white p-3 shadow-xl ring-1 ring-slate-200" data-testid="annotation-composer">
                <p className="mb-2 text-xs font-medium text-slate-600">{draft.anchor.kind === 'highlight' ? 'Comment on the highlight' : 'Comment on the region'} · page {draft.page}</p>
                <CommentComposer label="Comment on the marked region" people={people} selfId={selfId} autoFocus compact
                  onSubmit={submitDraft} onCancel={() => setDraft(null)} onTyping={() => collab.sendTyping(null)} />
              </div>
            ) : null} />
        )}
        sidebar={(
          <aside aria-label="Comments, questions and activity" className="flex w-80 shrink-0 flex-col border-l border-slate-200 bg-slate-50/60 xl:w-96" data-testid="collab-panel"
            data-comments={collab.comments?.length ?? 'loading'} data-instance={instance}>
            <CollabTabs tabs={tabs} selected={tab} onSelect={setTab} />
          </aside>
        )} />
    </>
  );
}
