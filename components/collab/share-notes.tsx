import Link from 'next/link';
import type { NoteSummary, NoteUpdateView } from '@/lib/collab/notes-history';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatBytes, formatDateTime } from '../ui/format';
import { cx, td, th } from '../ui/styles';

export interface ShareNotesData {
  notes: NoteSummary[];
  selected: { note: NoteSummary; updates: NoteUpdateView[]; at: number | null; textAt: string | null } | null;
}

const noteName = (n: NoteSummary) => (n.partyGuest ? `${n.partyGuest.label}'s note with staff` : 'Shared note');

/**
 * The share's working notes as staff see them: the current text of each, and the chosen note's
 * history, every kept update with its author and time; choosing an update shows the text right after
 * it. Plain links, so the page works without script and each view has its own address.
 */
export function ShareNotes({ shareId, data }: { shareId: string; data: ShareNotesData }) {
  if (!data.selected) {
    return <EmptyState icon="pencil" title="No notes yet">Guests with edit permission and staff write working notes together in the viewer. Every change is kept here with its author.</EmptyState>;
  }
  const { note, updates, at, textAt } = data.selected;
  const base = `/shares/${encodeURIComponent(shareId)}`;
  const href = (noteId: string, seq?: number) => `${base}?note=${encodeURIComponent(noteId)}${seq ? `&at=${seq}` : ''}#notes-title`;
  return (
    <div className="grid gap-0 lg:grid-cols-2">
      <div className="min-w-0 border-slate-100 p-5 lg:border-r">
        {data.notes.length > 1 ? (
          <nav aria-label="Notes of this share" className="mb-4 flex flex-wrap gap-2">
            {data.notes.map((n) => (
              <Link key={n.id} href={href(n.id)} aria-current={n.id === note.id ? 'true' : undefined}
                className={cx('rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset', n.id === note.id ? 'bg-indigo-50 text-indigo-700 ring-indigo-600/30' : 'text-slate-600 ring-slate-300 hover:bg-slate-50')}>
                {noteName(n)}
              </Link>
            ))}
          </nav>
        ) : null}
        <h3 className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
          {at === null ? <>Current text</> : <>Text after update {at}</>}
          {note.partyGuest ? <Badge tone="indigo">Parties kept apart</Badge> : null}
        </h3>
        <p className="mt-0.5 text-xs text-slate-500">
          {noteName(note)} · {at === null ? `${updates.length ? `update ${note.seq}, ` : ''}changed ${formatDateTime(note.updatedAt)}` : <Link href={href(note.id)} className="font-medium text-indigo-600 hover:text-indigo-500">Back to the current text</Link>}
        </p>
        <pre className="mt-3 max-h-96 overflow-auto rounded-md bg-slate-50 p-4 font-sans text-sm whitespace-pre-wrap text-slate-900 ring-1 ring-slate-200 ring-inset [overflow-wrap:anywhere]" data-testid="note-text">
          {(at === null ? note.text : textAt) || <span className="text-slate-400">(empty)</span>}
        </pre>
      </div>
      <div className="min-w-0">
        <h3 className="sr-only">Version history</h3>
        <div className="max-h-[28rem] overflow-auto">
          <table className="min-w-full border-separate border-spacing-0" data-testid="note-history">
            <thead>
              <tr>
                <th scope="col" className={th}>Update</th>
                <th scope="col" className={th}>Author</th>
                <th scope="col" className={th}>When</th>
                <th scope="col" className={cx(th, 'text-right')}>Size</th>
              </tr>
            </thead>
            <tbody className="[&>tr:last-child>td]:border-b-0">
              {updates.map((u) => (
                <tr key={u.seq} className={u.seq === at ? 'bg-indigo-50/60' : 'hover:bg-slate-50/80'}>
                  <td className={cx(td, 'tabular border-b border-slate-100 py-2')}>
                    <Link href={href(note.id, u.seq)} aria-current={u.seq === at ? 'true' : undefined} className="font-medium text-indigo-600 hover:text-indigo-500">
                      #{u.seq}<span className="sr-only">: show the text after this update</span>
                    </Link>
                  </td>
                  <td className={cx(td, 'max-w-[14rem] border-b border-slate-100 py-2')}>
                    <span className="flex items-center gap-2"><span className="truncate" title={u.authorName}>{u.authorName}</span><Badge tone={u.authorKind === 'staff' ? 'indigo' : 'slate'}>{u.authorKind === 'staff' ? 'Staff' : 'Guest'}</Badge></span>
                  </td>
                  <td className={cx(td, 'tabular border-b border-slate-100 py-2 whitespace-nowrap text-slate-500')}>{formatDateTime(u.createdAt)}</td>
                  <td className={cx(td, 'tabular border-b border-slate-100 py-2 text-right whitespace-nowrap text-slate-500')}>{formatBytes(u.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
