'use client';
import type { ParticipantId } from '@/lib/collab/types';
import { ActivityFeed } from './activity-feed';
import { ConnectionBadge } from './presence-avatars';
import { useCollabSocket } from './use-collab-socket';

/**
 * On a share's or portal's home: what happens on this guest's own grant while the page is open, live
 * (which events reach guests at all is the server's choice: docs/REALTIME.md). The server sends a guest only their own
 * grant's events, by the same rule as comments; nothing here widens that.
 */
export function GuestActivityPanel({ base, selfId, titles, deviceBound = false, className = '' }: {
  base: string; selfId: ParticipantId; titles: Record<string, string>; deviceBound?: boolean; className?: string;
}) {
  const collab = useCollabSocket({ auth: { kind: 'guest', base, deviceBound }, documentId: null, selfId });
  if (collab.connection.state === 'ended') return null; // the page itself says why on its next load
  return (
    <section aria-labelledby="live-activity-heading" className={`rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 ${className}`} data-testid="guest-activity">
      <div className="flex items-center justify-between gap-3">
        <h2 id="live-activity-heading" className="text-sm font-semibold text-slate-900">Live activity</h2>
        <ConnectionBadge connection={collab.connection} />
      </div>
      <p className="mt-1 text-xs text-slate-500">What happens on this share while this page is open, as the sender lets you see it.</p>
      <div className="mt-3">
        <ActivityFeed events={collab.activity} titles={titles} showDocument dense empty="Nothing new since you opened this page." />
      </div>
    </section>
  );
}
