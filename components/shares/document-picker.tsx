'use client';

import Link from 'next/link';
import { useEffect, useId, useMemo, useState, useTransition } from 'react';
import { tlpAllowed } from '@/lib/shares/tlp';
import type { Tlp } from '@/lib/generated/prisma/enums';
import { Icon } from '../ui/icons';
import { input } from '../ui/styles';
import { TlpBadge, tlpLabel } from '../ui/tlp-badge';

export interface PickerDoc { id: string; title: string; fileName: string | null; tlp: string | null }

/**
 * A searchable checkbox list. When the page could load the whole library it filters in the browser;
 * otherwise a search asks the server. Selected documents stay selected whatever the search shows.
 */
export function DocumentPicker({ initial, complete, ceiling, preselected, error, onSearch }: {
  initial: PickerDoc[];
  complete: boolean;
  ceiling: string;
  preselected: PickerDoc[];
  error?: string;
  onSearch: (q: string) => Promise<PickerDoc[] | null>;
}) {
  const id = useId();
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<Map<string, PickerDoc>>(() => new Map(preselected.map((d) => [d.id, d])));
  const [remote, setRemote] = useState<PickerDoc[] | null>(null);
  const [searching, startSearch] = useTransition();

  useEffect(() => {
    if (complete) return;
    if (!q.trim()) { setRemote(null); return; }
    const t = setTimeout(() => startSearch(async () => setRemote(await onSearch(q.trim()))), 250);
    return () => clearTimeout(t);
  }, [q, complete, onSearch]);

  const shown = useMemo(() => {
    if (remote) return remote;
    const needle = q.trim().toLowerCase();
    const base = [...preselected.filter((d) => !initial.some((i) => i.id === d.id)), ...initial];
    return needle ? base.filter((d) => d.title.toLowerCase().includes(needle) || d.fileName?.toLowerCase().includes(needle)) : base;
  }, [remote, q, initial, preselected]);

  const allowed = (d: PickerDoc) => !d.tlp || tlpAllowed(d.tlp as Tlp, ceiling as Tlp);
  const toggle = (d: PickerDoc) => setSelected((cur) => {
    const next = new Map(cur);
    if (next.has(d.id)) next.delete(d.id); else next.set(d.id, d);
    return next;
  });

  return (
    <div>
      {[...selected.keys()].map((docId) => <input key={docId} type="hidden" name="documentIds" value={docId} />)}
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <div className="relative sm:w-80">
          <label htmlFor={`${id}-q`} className="sr-only">Search documents</label>
          <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
          <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search titles and file names" maxLength={200}
            className={`${input} pl-9`} aria-controls={`${id}-list`} onKeyDown={(e) => { if (e.key === 'Enter') e.preventDefault(); }} />
        </div>
        <p className="text-sm text-slate-600" aria-live="polite" data-testid="selected-count">
          {selected.size === 0 ? 'No document selected' : `${selected.size} document${selected.size === 1 ? '' : 's'} selected`}
        </p>
      </div>

      {selected.size ? (
        <ul role="list" aria-label="Selected documents" className="mt-3 flex flex-wrap gap-2">
          {[...selected.values()].map((d) => (
            <li key={d.id} className="inline-flex max-w-full items-center gap-1.5 rounded-md bg-indigo-50 py-1 pr-1 pl-2.5 text-xs font-medium text-indigo-800 ring-1 ring-indigo-200 ring-inset">
              <span className="truncate">{d.title}</span>
              <button type="button" onClick={() => toggle(d)} className="rounded p-0.5 text-indigo-500 hover:bg-indigo-100 hover:text-indigo-800" aria-label={`Remove ${d.title}`}>
                <Icon name="x" className="size-3.5" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      <div id={`${id}-list`} role="group" aria-label="Documents" aria-invalid={Boolean(error) || undefined} aria-describedby={error ? `${id}-err` : undefined}
        className={`mt-3 max-h-80 overflow-y-auto rounded-md ring-1 ring-inset ${error ? 'ring-red-400' : 'ring-slate-200'}`}>
        {shown.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-500">{searching ? 'Searching…' : q ? <>No document matches “{q}”.</> : <>There are no documents yet. <Link href="/documents#upload" className="font-medium text-indigo-600 hover:text-indigo-500">Upload one first</Link>.</>}</p>
        ) : (
          <ul role="list" className="divide-y divide-slate-100">
            {shown.map((d) => {
              const ok = allowed(d);
              const checked = selected.has(d.id);
              return (
                <li key={d.id}>
                  <label className={`flex items-center gap-3 px-4 py-2.5 ${ok ? 'cursor-pointer hover:bg-slate-50' : 'cursor-not-allowed bg-slate-50/60'} ${checked ? 'bg-indigo-50/50' : ''}`}
                    title={ok ? undefined : `${tlpLabel(d.tlp ?? '')} is above your organisation's sharing ceiling (${tlpLabel(ceiling)}).`}>
                    <input type="checkbox" checked={checked} disabled={!ok && !checked} onChange={() => toggle(d)} className="size-4 shrink-0 rounded border-slate-300 accent-indigo-600" />
                    <span className="min-w-0 flex-1">
                      <span className={`block truncate text-sm font-medium ${ok ? 'text-slate-900' : 'text-slate-500'}`}>{d.title}</span>
                      {d.fileName && d.fileName !== d.title ? <span className="block truncate text-xs text-slate-500">{d.fileName}</span> : null}
                    </span>
                    {!ok ? <span className="hidden text-xs text-slate-500 sm:inline">Above ceiling</span> : null}
                    <TlpBadge tlp={d.tlp} />
                  </label>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {error ? <p id={`${id}-err`} className="mt-1.5 text-xs text-red-700">{error}</p>
        : !complete && !q ? <p className="mt-1.5 text-xs text-slate-500">Showing the most recent documents. Search to find older ones.</p> : null}
    </div>
  );
}
