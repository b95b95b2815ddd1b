'use client';

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { input } from '../ui/styles';
import { textChange } from './text-change';

/** The Y.Text the server keeps the notes in (lib/collab/notes.ts NOTE_TEXT). */
const NOTE_TEXT = 'notes';
/** Local changes are sent at most this often: one kept update per burst of typing, not per key. */
const SEND_DELAY_MS = 400;
/** Below the server's 64 KB cap per update, with room for Yjs's own encoding. */
const MAX_UPDATE_BYTES = 60 * 1024;

type Ack = { ok: true; grantKey?: string; update?: string; seq?: number } | { ok?: undefined; error: string };
type Status = 'connecting' | 'saved' | 'saving' | 'offline' | 'error';

const toB64 = (u: Uint8Array) => {
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
};
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

const MESSAGES: Record<string, string> = {
  forbidden: 'You can read these notes but not change them.',
  payload_too_large: 'That change is too large to send at once, or the notes are full. It was not saved.',
  rate_limited: 'Too many changes at once. Wait a moment.',
  bad_request: 'That change could not be saved. The notes were reloaded.',
};

/**
 * Working notes shared by the grant's editors (guests with EDIT and staff), as a plain textarea bound
 * to a Yjs text synced over the socket (`note:sync`, `note:update`; docs/EDITING.md). Edits merge with
 * everyone else's, character by character; the caret stays where it was when others type. Read-only
 * for guests without EDIT (the server refuses their updates anyway).
 */
export function NotesEditor({ socket, grantKey, readOnly }: { socket: Socket; grantKey: string | null; readOnly: boolean }) {
  const ids = { label: useId(), status: useId() };
  const area = useRef<HTMLTextAreaElement>(null);
  const docRef = useRef<Y.Doc | null>(null);
  const keyRef = useRef<string | null>(null);
  const unsent = useRef<Uint8Array[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<Status>('connecting');
  const [problem, setProblem] = useState<string | null>(null);
  const [lastAuthor, setLastAuthor] = useState<string | null>(null);

  /** Shows the Y.Text in the textarea, keeping the caret at the same place in the text around it. */
  const render = useCallback((doc: Y.Doc, apply: () => void) => {
    const ytext = doc.getText(NOTE_TEXT);
    const el = area.current;
    const focused = el && document.activeElement === el;
    const sel = focused ? [Y.createRelativePositionFromTypeIndex(ytext, el.selectionStart), Y.createRelativePositionFromTypeIndex(ytext, el.selectionEnd)] : null;
    apply();
    const next = ytext.toString();
    setText(next);
    if (el && sel) {
      const [a, b] = sel.map((r) => Y.createAbsolutePositionFromRelativePosition(r, doc)?.index ?? next.length);
      requestAnimationFrame(() => el.setSelectionRange(a, b));
    }
  }, []);

  const flush = useCallback(() => {
    timer.current = null;
    const doc = docRef.current;
    if (!doc || !unsent.current.length || !socket.connected) return;
    const update = Y.mergeUpdates(unsent.current);
    unsent.current = [];
    if (update.length > MAX_UPDATE_BYTES) { setProblem(MESSAGES.payload_too_large); void resync(); return; }
    setStatus('saving');
    socket.timeout(10_000).emit('note:update', { grantKey: keyRef.current ?? grantKey, update: toB64(update) }, (err: unknown, ack: Ack) => {
      if (err) { unsent.current.unshift(update); setStatus('offline'); return; }
      if ('error' in ack) { setProblem(MESSAGES[ack.error] ?? 'That change could not be saved.'); setStatus('error'); void resync(); return; }
      setProblem(null);
      setStatus(unsent.current.length ? 'saving' : 'saved');
    });
  }, [socket, grantKey]);

  /** Starts again from the server's copy: after a refused change, so the screen never shows what was not kept. */
  const resync = useCallback(async () => {
    docRef.current?.destroy();
    docRef.current = null;
    unsent.current = [];
    const doc = new Y.Doc();
    const ack = await socket.timeout(10_000).emitWithAck('note:sync', { grantKey, stateVector: toB64(Y.encodeStateVector(doc)) }).catch(() => null) as Ack | null;
    if (!ack) { setStatus('offline'); return; }
    if ('error' in ack) { setProblem(MESSAGES[ack.error] ?? 'The notes could not be loaded.'); setStatus('error'); return; }
    keyRef.current = ack.grantKey ?? grantKey;
    render(doc, () => { if (ack.update) Y.applyUpdate(doc, fromB64(ack.update), 'remote'); });
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      unsent.current.push(u);
      setStatus('saving');
      if (!timer.current) timer.current = setTimeout(flush, SEND_DELAY_MS);
    });
    docRef.current = doc;
    setStatus('saved');
  }, [socket, grantKey, render, flush]);

  useEffect(() => {
    const onRemote = (m: { grantKey: string; update: string; author?: { name: string } }) => {
      const doc = docRef.current;
      if (!doc || m.grantKey !== keyRef.current) return;
      render(doc, () => Y.applyUpdate(doc, fromB64(m.update), 'remote'));
      if (m.author?.name) setLastAuthor(m.author.name);
    };
    // A reconnect starts from the server's copy again, then sends what was typed while away.
    const onConnect = async () => {
      const pending = unsent.current.length ? Y.mergeUpdates(unsent.current) : null;
      const doc = docRef.current;
      if (doc && pending) {
        const ack = await socket.timeout(10_000).emitWithAck('note:sync', { grantKey, stateVector: toB64(Y.encodeStateVector(doc)) }).catch(() => null) as Ack | null;
        if (ack && !('error' in ack) && ack.update) render(doc, () => Y.applyUpdate(doc, fromB64(ack.update!), 'remote'));
        flush();
      } else {
        await resync();
      }
    };
    const onDisconnect = () => setStatus('offline');
    socket.on('note:update', onRemote);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) void resync();
    return () => {
      socket.off('note:update', onRemote);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      if (timer.current) clearTimeout(timer.current);
      docRef.current?.destroy();
      docRef.current = null;
    };
  }, [socket, grantKey, render, resync, flush]);

  const onChange = (next: string) => {
    const doc = docRef.current;
    if (!doc || readOnly) return;
    const ytext = doc.getText(NOTE_TEXT);
    const change = textChange(ytext.toString(), next);
    if (change) {
      doc.transact(() => {
        if (change.remove) ytext.delete(change.index, change.remove);
        if (change.insert) ytext.insert(change.index, change.insert);
      }, 'local');
    }
    setText(next);
  };

  const statusText: Record<Status, string> = {
    connecting: 'Loading…', saved: 'All changes saved', saving: 'Saving…', offline: 'Offline: changes are sent when the connection returns', error: 'Not saved',
  };

  return (
    <div className="flex min-h-0 flex-col gap-2">
      <div className="flex items-baseline justify-between gap-3">
        <label htmlFor={ids.label} className="text-sm font-medium text-slate-900">Working notes</label>
        <span id={ids.status} aria-live="polite" className={`text-xs ${status === 'error' ? 'text-red-700' : status === 'offline' ? 'text-amber-700' : 'text-slate-500'}`}>
          {readOnly ? 'Read only' : statusText[status]}
        </span>
      </div>
      <textarea
        id={ids.label}
        ref={area}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        readOnly={readOnly || status === 'connecting'}
        aria-describedby={ids.status}
        aria-busy={status === 'connecting'}
        rows={12}
        spellCheck
        placeholder={readOnly ? 'No notes yet.' : 'Notes shared with everyone who may edit this share. Every change is kept with its author.'}
        className={`${input} min-h-48 resize-y font-sans leading-relaxed read-only:bg-slate-50`}
        data-testid="notes-editor"
      />
      {problem ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-800 ring-1 ring-red-200 ring-inset">{problem}</p> : null}
      {lastAuthor ? <p className="text-xs text-slate-500">Last change by {lastAuthor}</p> : null}
    </div>
  );
}
