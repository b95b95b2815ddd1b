import { OutcomeBadge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatTimestamp } from '../ui/format';
import { td, th } from '../ui/styles';
import { shortAgent } from './format';
import { reasonLabel, shareEventLabel } from './labels';

export interface LogEvent {
  id: string; at: Date; type: string; actor: string; actorType: string; ip: string | null; userAgent: string | null;
  outcome: string; reason: string | null; documentId: string | null; details?: unknown;
}

/** The page a page-view event is about, when it is one. */
const pageOf = (details: unknown): number | null => {
  const p = (details as { page?: unknown } | null)?.page;
  return typeof p === 'number' && Number.isSafeInteger(p) ? p : null;
};

/** A share's access log: who did what, from where, and why a refusal was a refusal. */
export function AccessLog({ events, documentTitles }: { events: LogEvent[]; documentTitles: Map<string, string> }) {
  if (!events.length) {
    return <EmptyState icon="history" title="No access yet">Link opens, sessions, views and downloads will be listed here as they happen, refused attempts included.</EmptyState>;
  }
  const cell = `${td} border-b border-slate-100`;
  return (
    <div className="max-h-[48rem] overflow-auto">
      <table className="min-w-full border-separate border-spacing-0" data-testid="access-log">
        <thead>
          <tr>
            <th scope="col" className={`${th} whitespace-nowrap`}>Time (UTC)</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>Event</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>Actor</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>IP address</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>Outcome</th>
            <th scope="col" className={`${th} whitespace-nowrap`}>Client</th>
          </tr>
        </thead>
        <tbody className="[&>tr:last-child>td]:border-b-0">
          {events.map((e) => {
            const doc = e.documentId ? documentTitles.get(e.documentId) ?? 'a deleted document' : null;
            return (
              <tr key={e.id} className={e.outcome === 'success' ? 'hover:bg-slate-50/80' : 'bg-amber-50/30 hover:bg-amber-50/60'}>
                <td className={`${cell} whitespace-nowrap`}><time dateTime={e.at.toISOString()} className="tabular font-mono text-xs text-slate-600">{formatTimestamp(e.at)}</time></td>
                <td className={`${cell} min-w-[12rem]`}>
                  <span className="block font-medium text-slate-900">{shareEventLabel(e.type)}</span>
                  {doc ? <span className="block max-w-[16rem] truncate text-xs text-slate-500" title={doc}>{doc}{pageOf(e.details) ? ` · page ${pageOf(e.details)}` : ''}</span> : null}
                  {e.reason ? (
                    <span className="mt-0.5 block text-xs text-amber-800" title={e.outcome === 'success' ? undefined : `Reason code: ${e.reason}`}>
                      {e.outcome === 'success' ? 'Reason: ' : ''}{reasonLabel(e.reason)}
                    </span>
                  ) : null}
                </td>
                <td className={cell}>
                  <span className="block max-w-[20rem] truncate" title={e.actor}>{e.actor}</span>
                  <span className="block text-xs text-slate-500">{e.actorType === 'staff' ? 'Staff' : e.actorType === 'apikey' ? 'API key' : e.actorType === 'guest' ? 'Guest' : e.actorType === 'anonymous' ? 'Link guest' : e.actorType}</span>
                </td>
                <td className={`${cell} whitespace-nowrap`}>{e.ip ? <code className="font-mono text-xs text-slate-700">{e.ip}</code> : <span className="text-slate-400">—</span>}</td>
                <td className={cell}><OutcomeBadge outcome={e.outcome} /></td>
                <td className={`${cell} max-w-[12rem] truncate text-xs text-slate-500`} title={e.userAgent ?? undefined}>{shortAgent(e.userAgent)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
