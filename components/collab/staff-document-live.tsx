'use client';
import { useId, useMemo, useState } from 'react';
import type { ParticipantId } from '@/lib/collab/types';
import { select } from '../ui/styles';
import { ActivityFeed } from './activity-feed';
import { CollabTabs, type TabSpec } from './collab-tabs';
import { actionError } from './collab-wire';
import { buildThreads, mentionable, CommentsTab, threadNumbers } from './comments-tab';
import { ConnectionBadge, PresenceAvatars } from './presence-avatars';
import { ackError, useCollabSocket, type Ack } from './use-collab-socket';

export interface GrantChoice { key: string; label: string }

const errorOf = (ack: Ack): string | null => { const code = ackError(ack); return code ? actionError(code) : null; };

/**
 * The console's live view of one document: who is reading it now (every guest, every share), its comment
 * threads as they are written and the activity feed (a new question shows there; it is answered in the page's
 * Questions section, which knows whether the grant lets an answer be published). Staff reply and resolve here;
 * a thread staff start lives in the share they choose, or stays among staff.
 */
export function StaffDocumentLive({ documentId, selfId, grants }: { documentId: string; selfId: ParticipantId; grants: GrantChoice[] }) {
  const id = useId();
  const collab = useCollabSocket({ auth: { kind: 'staff' }, documentId, selfId });
  const [tab, setTab] = useState('comments');
  const [drafting, setDrafting] = useState(false);
  const [grantKey, setGrantKey] = useState('');
  const [active, setActive] = useState<string | null>(null);
  const threads = useMemo(() => buildThreads(collab.comments ?? []), [collab.comments]);
  const numbers = useMemo(() => threadNumbers(threads), [threads]);
  const people = useMemo(() => mentionable(collab.comments, collab.participants), [collab.comments, collab.participants]);
  const ended = collab.connection.state === 'ended';

  const tabs: TabSpec[] = [
    {
      id: 'comments', label: 'Comments', icon: 'message', count: threads.filter((t) => !t.root.resolvedAt).length,
      content: (
        <CommentsTab comments={collab.comments} loadError={collab.loadError} threads={threads} numbers={numbers} canComment={!ended} staff
          viewOnlyReason="Your console session has ended. Sign in again to take part." selfId={selfId} people={people} typing={collab.typing}
          activeThreadId={active} focusSeq={0} currentPage={null} onPickThread={setActive}
          onReply={async (root, body, mentions) => errorOf(await collab.createComment({ page: root.page, body, parentId: root.id, mentions }))}
          onResolve={async (root, resolved) => errorOf(await collab.setCommentResolved(root.id, resolved))}
          onTyping={collab.sendTyping}
          pageDraft={drafting ? { page: null } : null} onStartPageComment={() => setDrafting(true)} onCancelDraft={() => setDrafting(false)}
          onSubmitPageComment={async (body, mentions) => {
            const err = errorOf(await collab.createComment({ body, mentions, grantKey: grantKey || null }));
            if (!err) setDrafting(false);
            return err;
          }}
          draftExtra={(
            <div className="mb-2">
              <label htmlFor={`${id}-grant`} className="mb-1 block text-xs font-medium text-slate-700">Visible to</label>
              <select id={`${id}-grant`} value={grantKey} onChange={(e) => setGrantKey(e.target.value)} className={`${select} py-1.5`}>
                <option value="">Staff only</option>
                {grants.map((g) => <option key={g.key} value={g.key}>{g.label}</option>)}
              </select>
            </div>
          )} />
      ),
    },
    {
      id: 'activity', label: 'Activity', icon: 'activity',
      content: <div className="min-h-0 flex-1 overflow-y-auto"><ActivityFeed events={collab.activity} empty="What guests and staff do on this document appears here as it happens." /></div>,
    },
  ];

  return (
    <section aria-labelledby={`${id}-title`} className="flex h-[36rem] flex-col overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="staff-live">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div>
          <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">Live discussion</h2>
          <p className="text-xs text-slate-500">Comments and who is reading this document now, across its shares; guests’ questions are answered below.</p>
        </div>
        <div className="flex items-center gap-3">
          <PresenceAvatars participants={collab.participants} selfId={selfId} />
          <ConnectionBadge connection={collab.connection} />
        </div>
      </div>
      <div className="flex min-h-0 flex-1 flex-col bg-slate-50/60">
        <CollabTabs tabs={tabs} selected={tab} onSelect={setTab} />
      </div>
    </section>
  );
}
