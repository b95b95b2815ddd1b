'use client';
import { useId, useMemo, useRef, useState } from 'react';
import type { Participant, ParticipantId } from '@/lib/collab/types';
import { button, cx } from '../ui/styles';
import { ParticipantAvatar } from './presence-avatars';

export const MAX_BODY = 4000;

/** The "@name" being typed just before the caret, if any. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)@([^\s@]{0,30})$/.exec(text.slice(0, caret));
  return m ? { start: caret - m[2].length - 1, query: m[2] } : null;
}

/**
 * A comment or reply box: plain text (it is shown as text), @mentions picked from the people in the
 * document (arrow keys, Enter or Tab, Escape), Ctrl/⌘+Enter sends. onSubmit answers an error message
 * or null when the comment was saved.
 */
export function CommentComposer({ label, placeholder, submitLabel = 'Comment', people, selfId, onSubmit, onCancel, onTyping, autoFocus, compact }: {
  label: string;
  placeholder?: string;
  submitLabel?: string;
  people: Participant[];
  selfId: ParticipantId | null;
  onSubmit(body: string, mentions: ParticipantId[]): Promise<string | null>;
  onCancel?(): void;
  onTyping?(): void;
  autoFocus?: boolean;
  compact?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [picked, setPicked] = useState<Participant[]>([]);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);

  const candidates = useMemo(() => {
    if (!query) return [];
    const q = query.query.toLowerCase();
    const starts = (p: Participant) => p.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q));
    return people.filter((p) => p.id !== selfId && p.name.toLowerCase().includes(q))
      .sort((a, b) => Number(starts(b)) - Number(starts(a)) || a.name.localeCompare(b.name)).slice(0, 6);
  }, [people, query, selfId]);
  const open = candidates.length > 0;
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_BODY;

  const pick = (p: Participant) => {
    if (!query || !area.current) return;
    const caret = area.current.selectionStart;
    const next = `${text.slice(0, query.start)}@${p.name} ${text.slice(caret)}`;
    setText(next);
    setPicked((list) => (list.some((x) => x.id === p.id) ? list : [...list, p]));
    setQuery(null);
    const at = query.start + p.name.length + 2;
    requestAnimationFrame(() => { area.current?.focus(); area.current?.setSelectionRange(at, at); });
  };

  const submit = async () => {
    if (!trimmed || tooLong || busy) return;
    setBusy(true);
    setError(null);
    const mentions = picked.filter((p) => trimmed.includes(`@${p.name}`)).map((p) => p.id);
    const err = await onSubmit(trimmed, mentions);
    setBusy(false);
    if (err) { setError(err); return; }
    setText('');
    setPicked([]);
  };

  return (
    <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <label htmlFor={`${id}-text`} className="sr-only">{label}</label>
      <div className="relative">
        <textarea id={`${id}-text`} ref={area} value={text} autoFocus={autoFocus} rows={compact ? 2 : 3} placeholder={placeholder ?? 'Write a comment… Type @ to mention someone.'}
          role="combobox" aria-expanded={open} aria-controls={`${id}-people`} aria-autocomplete="list"
          aria-activedescendant={open ? `${id}-person-${active}` : undefined} aria-invalid={tooLong || undefined} aria-describedby={`${id}-hint`}
          onChange={(e) => {
            setText(e.target.value);
            setQuery(mentionQuery(e.target.value, e.target.selectionStart));
            setActive(0);
            onTyping?.();
          }}
          onKeyDown={(e) => {
            if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) { e.preventDefault(); setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length); return; }
            if (open && (e.key === 'Enter' || e.key === 'Tab')) { e.preventDefault(); pick(candidates[Math.min(active, candidates.length - 1)]); return; }
            if (e.key === 'Escape') { e.preventDefault(); if (open) setQuery(null); else onCancel?.(); return; }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
          }}
          onBlur={() => setTimeout(() => setQuery(null), 150)}
          className="block w-full resize-y rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600 focus:outline-none aria-[invalid=true]:ring-red-500" />
        {open ? (
          <ul id={`${id}-people`} role="listbox" aria-label="People to mention" className="absolute inset-x-0 top-full z-30 mt-1 max-h-56 overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200">
            {candidates.map((p, i) => (
              <li key={p.id} id={`${id}-person-${i}`} role="option" aria-selected={i === active}
                onMouseDown={(e) => { e.preventDefault(); pick(p); }} onMouseEnter={() => setActive(i)}
                className={cx('flex cursor-pointer items-center gap-2 px-3 py-1.5', i === active ? 'bg-indigo-50 text-indigo-900' : 'text-slate-800')}>
                <ParticipantAvatar participant={p} size="sm" />
                <span className="min-w-0 flex-1 truncate">{p.name}</span>
                <span className="text-xs text-slate-500">{p.kind === 'staff' ? 'Staff' : 'Guest'}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {error ? <p role="alert" className="text-xs text-red-700">{error}</p> : null}
      <div className="flex items-center justify-between gap-2">
        <p id={`${id}-hint`} className={cx('text-xs', tooLong ? 'font-medium text-red-700' : 'text-slate-500')}>
          {tooLong ? `${trimmed.length.toLocaleString('en-US')} of ${MAX_BODY.toLocaleString('en-US')} characters` : 'Ctrl+Enter to send'}
        </p>
        <div className="flex gap-2">
          {onCancel ? <button type="button" onClick={onCancel} className={button('ghost', 'sm')}>Cancel</button> : null}
          <button type="submit" disabled={!trimmed || tooLong || busy} className={button('primary', 'sm')}>{busy ? 'Sending…' : submitLabel}</button>
        </div>
      </div>
    </form>
  );
}
