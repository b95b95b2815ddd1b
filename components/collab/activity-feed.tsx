'use client';
import { useEffect, useState } from 'react';
import { formatDateTime, relativeTime } from '../ui/format';
import { CollabIcon } from './collab-icons';
import { activityVerb, type ActivityEvent } from './collab-wire';
import { ParticipantAvatar } from './presence-avatars';

/** Re-renders every 30 s so "just now" turns into "2 min ago" while the feed is open. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * The live feed: what happens on this share (or, for staff, this document) while the page is open, newest
 * first. Guests receive only their own grant's events (the server decides; this only shows them).
 */
export function ActivityFeed({ events, empty, showDocument = false, dense = false, titles }: {
  events: ActivityEvent[]; empty: string; showDocument?: boolean; dense?: boolean;
  /** Document titles by id, where the feed spans several documents (the share's or portal's home). */
  titles?: Record<string, string>;
}) {
  const now = useNow();
  if (!events.length) {
    return (
      <div className={dense ? 'py-4 text-sm text-slate-500' : 'px-6 py-10 text-center'}>
        {dense ? null : <span aria-hidden className="mx-auto mb-3 grid size-10 place-items-center rounded-full bg-slate-100 text-slate-500"><CollabIcon name="activity" className="size-5" /></span>}
        {dense ? empty : <><p className="text-sm font-medium text-slate-900">Nothing yet</p><p className="mt-1 text-xs text-slate-500">{empty}</p></>}
      </div>
    );
  }
  return (
    <ol className={dense ? 'space-y-3' : 'space-y-3 p-3'} aria-label="Live activity" aria-live="polite" data-testid="activity-feed">
      {events.map((e) => (
        <li key={e.id} className="flex gap-2.5 text-sm">
          <ParticipantAvatar participant={{ id: e.actorName ?? e.type, name: e.actorName ?? '?' }} size="sm" className="mt-0.5" />
          <div className="min-w-0">
            <p className="text-slate-800 [overflow-wrap:anywhere]">
              {e.denied ? <span className="font-medium text-red-700">Refused ({e.denied.replace(/_/g, ' ')}): </span> : null}
              <span className="font-medium text-slate-900">{e.actorName ?? 'Someone'}</span>
              {e.actorKind === 'staff' ? <span className="text-slate-500"> (staff)</span> : null}
              {' '}{activityVerb(e.type)}{' '}
              {!showDocument ? 'this document' : e.documentId ? <span className="font-medium">{(e.documentId && titles?.[e.documentId]) || e.documentTitle || 'a document'}</span> : null}
              {e.page ? `, page ${e.page}` : ''}
            </p>
            {e.summary ? <p className="mt-0.5 line-clamp-2 text-xs text-slate-600 [overflow-wrap:anywhere]">{e.summary}</p> : null}
            <p className="text-xs text-slate-500"><time dateTime={e.at} title={formatDateTime(e.at)}>{relativeTime(e.at, now)}</time></p>
          </div>
        </li>
      ))}
    </ol>
  );
}
