'use client';
import type { Participant, ParticipantId } from '@/lib/collab/types';
import { cx } from '../ui/styles';
import { kindLabel, participantColour, participantInitials } from './participant-style';
import type { ConnectionState } from './use-collab-socket';

export function ParticipantAvatar({ participant, size = 'md', className = '' }: { participant: Pick<Participant, 'id' | 'name'>; size?: 'sm' | 'md'; className?: string }) {
  return (
    <span aria-hidden className={cx('grid shrink-0 place-items-center rounded-full font-semibold ring-1 ring-inset select-none', size === 'sm' ? 'size-6 text-[10px]' : 'size-8 text-xs', participantColour(participant.id), className)}>
      {participantInitials(participant.name)}
    </span>
  );
}

const SHOWN = 5;

/** Who is in this document now: initials in their colour, a tooltip with name, role and page (hover or focus). */
export function PresenceAvatars({ participants, selfId }: { participants: Participant[]; selfId: ParticipantId | null }) {
  // You first, then staff, then guests, each by name: the order does not jump as people turn pages.
  const sorted = [...participants].sort((a, b) => Number(b.id === selfId) - Number(a.id === selfId) || a.kind.localeCompare(b.kind) * -1 || a.name.localeCompare(b.name));
  const shown = sorted.slice(0, SHOWN);
  const rest = sorted.slice(SHOWN);
  const label = `${participants.length} ${participants.length === 1 ? 'person' : 'people'} viewing`;
  return (
    <div className="flex items-center gap-2" data-testid="presence">
      <span className="sr-only">{label}</span>
      <ul className="flex -space-x-1.5" aria-label="People viewing this document">
        {shown.map((p) => {
          const text = `${p.name}${p.id === selfId ? ' (you)' : ''} · ${kindLabel(p)}${p.page ? ` · page ${p.page}` : ''}`;
          return (
            <li key={p.id} className="group relative">
              <span tabIndex={0} aria-label={text} className="block rounded-full ring-2 ring-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
                <ParticipantAvatar participant={p} />
              </span>
              {p.kind === 'staff' ? <span aria-hidden className="absolute -right-0.5 -bottom-0.5 size-2.5 rounded-full bg-indigo-600 ring-2 ring-white" /> : null}
              <span role="tooltip" className="pointer-events-none absolute top-full left-1/2 z-40 mt-2 hidden -translate-x-1/2 rounded-md bg-slate-900 px-2.5 py-1.5 text-xs whitespace-nowrap text-white shadow-lg group-focus-within:block group-hover:block">
                <span className="font-medium">{p.name}</span>{p.id === selfId ? ' (you)' : ''}
                <span className="block text-slate-300">{kindLabel(p)}{p.page ? ` · page ${p.page}` : ''}</span>
              </span>
            </li>
          );
        })}
        {rest.length ? (
          <li>
            <span tabIndex={0} title={rest.map((p) => p.name).join(', ')} aria-label={`and ${rest.length} more: ${rest.map((p) => p.name).join(', ')}`}
              className="grid size-8 place-items-center rounded-full bg-slate-100 text-xs font-semibold text-slate-700 ring-2 ring-white">+{rest.length}</span>
          </li>
        ) : null}
      </ul>
    </div>
  );
}

/** "Live", "Reconnecting…" or "Offline", next to the avatars. */
export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  const s = connection.state;
  const [dot, text, tone] = s === 'connected' ? ['bg-emerald-500', 'Live', 'text-emerald-800 bg-emerald-50 ring-emerald-600/20']
    : s === 'ended' ? ['bg-red-500', 'Disconnected', 'text-red-800 bg-red-50 ring-red-600/20']
      : s === 'unavailable' ? ['bg-slate-400', 'Offline', 'text-slate-700 bg-slate-100 ring-slate-500/20']
        : ['bg-amber-500 animate-pulse', s === 'connecting' ? 'Connecting…' : 'Reconnecting…', 'text-amber-900 bg-amber-50 ring-amber-600/25'];
  return (
    <span role="status" data-testid="connection-state" data-state={s} className={cx('inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset', tone)}>
      <span aria-hidden className={cx('size-1.5 rounded-full', dot)} />{text}
    </span>
  );
}
